-- order.confirmed / order.refunded partner events (functions/partner_events_orders.sql).
CREATE OR REPLACE TRIGGER partner_events_orders AFTER INSERT OR UPDATE OF status ON orders
  FOR EACH ROW EXECUTE FUNCTION partner_events_orders();
