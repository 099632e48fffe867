-- An event whose seats are inserted after its last search change (the inventory comes after the event
-- and its sections) must not stay "sold out" in its search row (event_search, computed in the
-- transaction, not read later like the indexer once did): inserting seats bumps the event's version.

-- prisma/sql/functions/event_seats_search.sql
-- Trigger function of event_seats_search (prisma/sql/triggers/event_seats_search.sql): seats put on
-- sale for an event (its inventory created or rebuilt) make it available, so each such event's version
-- is bumped once per statement, which rewrites its search row and document (events_search_outbox).
-- Holds and sales change seats by UPDATE and do not come here: sell-outs are noted by search_note_sale.
CREATE OR REPLACE FUNCTION event_seats_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE events SET version = version + 1 WHERE id IN (SELECT DISTINCT event_id FROM inserted);
  RETURN NULL;
END
$$;

-- prisma/sql/triggers/event_seats_search.sql
-- After seats are inserted into an event's inventory: one version bump per event and statement
-- (functions/event_seats_search.sql), so search shows the event available from then on.
CREATE OR REPLACE TRIGGER event_seats_search AFTER INSERT ON event_seats
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION event_seats_search();
