-- event.updated / event.on_sale / event.sold_out partner events (functions/partner_events_events.sql).
CREATE OR REPLACE TRIGGER partner_events_events AFTER UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION partner_events_events();
