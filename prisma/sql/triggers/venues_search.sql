-- After a venue's name, city or coordinates change: its events' search documents are rewritten
-- (functions/venues_search.sql).
CREATE OR REPLACE TRIGGER venues_search AFTER UPDATE OF name, city, latitude, longitude ON venues
  FOR EACH ROW EXECUTE FUNCTION venues_search();
