-- A venue renamed, moved or given new coordinates reindexes its events' search documents (the admin
-- console edits venues now; before, only events and event_sections changes reached the search outbox).

-- prisma/sql/functions/venues_search.sql
-- Trigger function of venues_search (prisma/sql/triggers/venues_search.sql): a venue renamed, moved to
-- another city or given new coordinates changes what search shows for every event there (venue name,
-- city, geo point), so each of its events gets a version bump, which writes that event's search outbox
-- row through events_search_outbox, in the same transaction.
CREATE OR REPLACE FUNCTION venues_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.city, NEW.latitude, NEW.longitude) IS DISTINCT FROM (OLD.name, OLD.city, OLD.latitude, OLD.longitude) THEN
    UPDATE events SET version = version + 1 WHERE venue_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;

-- prisma/sql/triggers/venues_search.sql
-- After a venue's name, city or coordinates change: its events' search documents are rewritten
-- (functions/venues_search.sql).
CREATE OR REPLACE TRIGGER venues_search AFTER UPDATE OF name, city, latitude, longitude ON venues
  FOR EACH ROW EXECUTE FUNCTION venues_search();
