-- One webhook delivery per subscribed endpoint for each new partner event (functions/webhook_fanout.sql).
CREATE OR REPLACE TRIGGER webhook_fanout AFTER INSERT ON partner_events
  FOR EACH ROW EXECUTE FUNCTION webhook_fanout();
