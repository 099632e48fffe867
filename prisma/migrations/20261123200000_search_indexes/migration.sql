-- PostgreSQL search (the engine when Elasticsearch is not configured, and its fallback): full text over
-- name and artist, and trigram word similarity for typos. Expression indexes, which Prisma's schema
-- language cannot express and introspection does not report as drift.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "events_search_text_idx" ON "events" USING gin ((to_tsvector('simple', "name" || ' ' || "artist")));
CREATE INDEX "events_search_title_trgm_idx" ON "events" USING gin ((lower("name" || ' ' || "artist")) gin_trgm_ops);

-- Every change that affects search writes an outbox row for the search indexer in the same
-- transaction, whichever code path made it: a trigger on events (the version is bumped on each such
-- change, so the indexer can apply versions in order), and one on section prices that bumps the event.
CREATE FUNCTION events_search_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.artist, NEW.category, NEW.status, NEW.starts_at, NEW.on_sale_at, NEW.venue_id, NEW.description)
     IS DISTINCT FROM (OLD.name, OLD.artist, OLD.category, OLD.status, OLD.starts_at, OLD.on_sale_at, OLD.venue_id, OLD.description)
     AND NEW.version = OLD.version THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION events_search_outbox() RETURNS trigger
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
  RETURN NULL;
END
$$;

CREATE TRIGGER events_search_version BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION events_search_version();
CREATE TRIGGER events_search_outbox AFTER INSERT OR UPDATE ON events FOR EACH ROW EXECUTE FUNCTION events_search_outbox();

CREATE FUNCTION event_sections_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE events SET version = version + 1 WHERE id = coalesce(NEW.event_id, OLD.event_id);
  RETURN NULL;
END
$$;

CREATE TRIGGER event_sections_search AFTER INSERT OR DELETE OR UPDATE OF price_minor ON event_sections
  FOR EACH ROW EXECUTE FUNCTION event_sections_search();

-- Called by finalize_checkout after a sale: when the event has just sold out (nothing available or
-- held, no general-admission place left), its search document must say so.
CREATE FUNCTION search_note_sale(p_event_id uuid) RETURNS void
LANGUAGE sql AS $$
  UPDATE events SET version = version + 1
  WHERE id = p_event_id
    AND NOT EXISTS (SELECT 1 FROM event_seats WHERE event_id = p_event_id AND status IN ('AVAILABLE', 'HELD'))
    AND NOT EXISTS (SELECT 1 FROM event_sections x JOIN sections s ON s.id = x.section_id
                    WHERE x.event_id = p_event_id AND s.kind = 'GENERAL_ADMISSION' AND x.ga_sold < x.capacity);
$$;
