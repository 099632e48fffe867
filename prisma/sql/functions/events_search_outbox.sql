-- Trigger function of events_search_outbox (prisma/sql/triggers/events_search_outbox.sql): every new
-- event, and every update that bumped the version (events_search_version), writes an outbox row for the
-- search indexer in the same transaction, whichever code path made the change. The payload carries the
-- version, so the indexer applies versions in order and skips stale ones. The event's search row
-- (event_search_refresh) is recomputed here too: it is what the PostgreSQL engine searches and what
-- the indexer's document is read from, so it must change exactly when the outbox row is written.
CREATE OR REPLACE FUNCTION events_search_outbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN
    RETURN NULL;
  END IF;
  WITH event AS (
    INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload)
    VALUES ('EventSearchChanged', 'event', NEW.id::text, jsonb_build_object('eventId', NEW.id, 'version', NEW.version))
    RETURNING id
  )
  INSERT INTO outbox_deliveries (outbox_event_id, consumer) SELECT id, 'search-indexer' FROM event;
  PERFORM event_search_refresh(ARRAY[NEW.id]);
  RETURN NULL;
END
$$;
