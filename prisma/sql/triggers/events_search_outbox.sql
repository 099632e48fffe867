-- After every insert of an event, and every update that bumped its version: an outbox row for the
-- search indexer, in the same transaction as the change, whichever code path made it
-- (functions/events_search_outbox.sql).
CREATE OR REPLACE TRIGGER events_search_outbox AFTER INSERT OR UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION events_search_outbox();
