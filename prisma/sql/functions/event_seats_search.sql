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
