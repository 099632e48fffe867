-- Before every update of an event: a change to anything search shows bumps the event's version
-- (functions/events_search_version.sql), so the search indexer can apply an event's documents in order.
CREATE OR REPLACE TRIGGER events_search_version BEFORE UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION events_search_version();
