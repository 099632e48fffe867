-- ticket.voided partner events (functions/partner_events_tickets.sql); the WHEN clause keeps scans
-- (VALID → SCANNED) from calling the function at all.
CREATE OR REPLACE TRIGGER partner_events_tickets AFTER UPDATE OF status ON tickets
  FOR EACH ROW WHEN (NEW.status = 'VOID' AND OLD.status <> 'VOID') EXECUTE FUNCTION partner_events_tickets();
