-- Search at catalogue scale (issue 28): one search-ready row per event (event_search), recomputed by
-- event_search_refresh from the same trigger that writes the event's search outbox row, so the
-- PostgreSQL engine reads price ranges, availability and location from one indexed table instead of
-- recomputing them per event per query (EXPLAIN ANALYZE at 100,000 events: docs/PERFORMANCE.md,
-- "Search"). Its prices are all-in (issue 27, "Prices": all_in_price_minor, the rule checkout charges),
-- so a fee change bumps the event's version too (events_search_version).

-- CreateTable
CREATE TABLE "event_search" (
    "event_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "listed" BOOLEAN NOT NULL,
    "category" "EventCategory" NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "place" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "city_key" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "price_min_minor" INTEGER,
    "price_max_minor" INTEGER,
    "available" BOOLEAN NOT NULL,

    CONSTRAINT "event_search_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "event_search_listed_starts_at_idx" ON "event_search"("listed", "starts_at");

-- AddForeignKey
ALTER TABLE "event_search" ADD CONSTRAINT "event_search_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- prisma/sql/functions/all_in_price_minor.sql
-- The all-in price of one ticket at a base price: base + service fee (basis points of the base, rounded
-- half up to the minor unit) + facility fee. The same rule as ticketFees in
-- api/src/checkout/checkout.fees.ts, which charges it; search filters and counts by it
-- (event_search_refresh), so the prices a fan searches by are the ones shown and charged.
CREATE OR REPLACE FUNCTION all_in_price_minor(p_price_minor integer, p_service_fee_basis_points integer, p_facility_fee_minor integer)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (p_price_minor + (p_price_minor::bigint * p_service_fee_basis_points + 5000) / 10000 + p_facility_fee_minor)::integer
$$;

-- prisma/sql/functions/event_search_refresh.sql
-- Recomputes the event_search rows of these events from events, venues, event_sections and the seat
-- inventory: the one definition of what search knows about an event. events_search_outbox calls it
-- for every change that writes the event's search outbox row (so the row and the Elasticsearch
-- document change in the same transaction, from the same version); the migration that made the table
-- and bench:search's set-based seeding call it with many ids at once. Price range: the all-in price
-- (all_in_price_minor) of the cheapest and the dearest section; the fee grows with the base price, so
-- the cheapest base price is the cheapest all-in price. Availability: the definition search_note_sale
-- watches for sell-outs, and cancel_order's version bump brings back.
CREATE OR REPLACE FUNCTION event_search_refresh(p_event_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO event_search AS s (event_id, version, listed, category, starts_at, name, title, place, city, city_key, latitude, longitude,
                                 price_min_minor, price_max_minor, available)
  SELECT e.id, e.version, e.status <> 'DRAFT', e.category, e.starts_at, e.name, e.name || ' ' || e.artist, v.name || ' ' || v.city,
         v.city, lower(v.city), v.latitude, v.longitude,
         all_in_price_minor(p.min_price, e.service_fee_basis_points, e.facility_fee_minor),
         all_in_price_minor(p.max_price, e.service_fee_basis_points, e.facility_fee_minor),
         EXISTS (SELECT 1 FROM event_seats es WHERE es.event_id = e.id AND es.status IN ('AVAILABLE', 'HELD'))
           OR EXISTS (SELECT 1 FROM event_sections x JOIN sections z ON z.id = x.section_id
                      WHERE x.event_id = e.id AND z.kind = 'GENERAL_ADMISSION' AND x.ga_sold < x.capacity)
  FROM events e
  JOIN venues v ON v.id = e.venue_id
  LEFT JOIN LATERAL (SELECT min(x.price_minor) AS min_price, max(x.price_minor) AS max_price FROM event_sections x WHERE x.event_id = e.id) p ON true
  WHERE e.id = ANY(p_event_ids)
  ON CONFLICT (event_id) DO UPDATE SET
    version = EXCLUDED.version, listed = EXCLUDED.listed, category = EXCLUDED.category, starts_at = EXCLUDED.starts_at,
    name = EXCLUDED.name, title = EXCLUDED.title, place = EXCLUDED.place, city = EXCLUDED.city, city_key = EXCLUDED.city_key,
    latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, price_min_minor = EXCLUDED.price_min_minor,
    price_max_minor = EXCLUDED.price_max_minor, available = EXCLUDED.available;
$$;

-- prisma/sql/functions/events_search_outbox.sql
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

-- prisma/sql/functions/events_search_version.sql
-- Trigger function of events_search_version (prisma/sql/triggers/events_search_version.sql): an update
-- that changes anything search shows (name, artist, category, status, dates, venue, description, and
-- the fees that make its all-in prices) bumps the event's version, unless the update set the version itself.
CREATE OR REPLACE FUNCTION events_search_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.artist, NEW.category, NEW.status, NEW.starts_at, NEW.on_sale_at, NEW.venue_id, NEW.description,
      NEW.service_fee_basis_points, NEW.facility_fee_minor)
     IS DISTINCT FROM (OLD.name, OLD.artist, OLD.category, OLD.status, OLD.starts_at, OLD.on_sale_at, OLD.venue_id, OLD.description,
      OLD.service_fee_basis_points, OLD.facility_fee_minor)
     AND NEW.version = OLD.version THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END
$$;

-- Expression indexes (Prisma's schema language cannot express them; introspection does not report
-- them as drift). Text: the same full-text and trigram expressions the engine's WHERE uses, each
-- answering one branch of its OR (a BitmapOr of the three). Geo: a GiST index on the venue's point in
-- degrees, core PostgreSQL (no extension), which the engine's bounding box (`<@ box`) uses before the
-- exact great-circle distance decides.
CREATE INDEX "event_search_title_text_idx" ON "event_search" USING gin ((to_tsvector('simple', "title")));
CREATE INDEX "event_search_title_trgm_idx" ON "event_search" USING gin ((lower("title")) gin_trgm_ops);
CREATE INDEX "event_search_place_text_idx" ON "event_search" USING gin ((to_tsvector('simple', "place")));
CREATE INDEX "event_search_location_idx" ON "event_search" USING gist ((point("longitude", "latitude")));

-- The engine searched these expressions on events; nothing reads them now, and every event write paid for them.
DROP INDEX "events_search_text_idx";
DROP INDEX "events_search_title_trgm_idx";

-- Every existing event gets its row.
SELECT event_search_refresh(array_agg(id)) FROM events;
