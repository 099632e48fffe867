-- After seats are inserted into an event's inventory: one version bump per event and statement
-- (functions/event_seats_search.sql), so search shows the event available from then on.
CREATE OR REPLACE TRIGGER event_seats_search AFTER INSERT ON event_seats
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION event_seats_search();
