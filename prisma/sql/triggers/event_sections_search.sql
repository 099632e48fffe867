-- A section added to or removed from an event, or repriced, bumps the event's version, which writes
-- the event's search change through events_search_outbox (functions/event_sections_search.sql).
CREATE OR REPLACE TRIGGER event_sections_search AFTER INSERT OR DELETE OR UPDATE OF price_minor ON event_sections
  FOR EACH ROW EXECUTE FUNCTION event_sections_search();
