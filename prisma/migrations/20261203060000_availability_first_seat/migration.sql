-- prisma/sql/functions/announce_partner_sales.sql
-- Announces to partners the sale changes that no single row change marks, run every few seconds by
-- each API process (api/src/partner/partner.announce.ts; one pass at a time thanks to the advisory
-- lock, the others skip):
--
-- 1. `event.on_sale` for an event whose sale began by itself: SCHEDULED, on_sale_at passed in the last
--    7 days (a bound that keeps each pass an index range, not a scan of every past event), not started,
--    never announced. A promoter's early start (status ON_SALE) is announced by partner_events_events.
-- 2. `event.sold_out` for an event on sale with a sale or refund in the last 2 minutes that has nothing
--    left: no seat AVAILABLE or HELD (a held seat may come back) and no general-admission place left,
--    unless its last announcement already says so.
-- 3. `event.on_sale` again when such an event, last announced sold out, has something to sell again
--    (a refund).
--
-- At most 500 events per kind and pass. Returns how many events it announced.
CREATE OR REPLACE FUNCTION announce_partner_sales() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_started integer;
  v_changed integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('announce_partner_sales')) THEN
    RETURN 0;
  END IF;

  SELECT count(emit_partner_event(e.organization_id, 'event.on_sale', e.id::text,
           jsonb_build_object('eventId', e.id, 'status', e.status, 'startsAt', e.starts_at, 'onSaleAt', e.on_sale_at)))
  INTO v_started
  FROM (SELECT e.* FROM events e
        WHERE e.on_sale_at > now() - interval '7 days' AND e.on_sale_at <= now()
          AND e.status = 'SCHEDULED' AND e.starts_at > now()
          AND NOT EXISTS (SELECT 1 FROM partner_events p WHERE p.subject_id = e.id::text AND p.type = 'event.on_sale')
        ORDER BY e.on_sale_at LIMIT 500) e;

  WITH touched AS (
    SELECT DISTINCT (p.data->>'eventId')::uuid AS event_id FROM partner_events p
    WHERE p.created_at > now() - interval '2 minutes' AND p.type IN ('order.confirmed', 'order.refunded')
    LIMIT 500
  ), state AS (
    SELECT e.id, e.organization_id, e.status, e.starts_at, e.on_sale_at,
           -- The first such seat in primary-key order, not EXISTS: an index probe whatever the statistics
           -- (see event_search_refresh's header).
           coalesce((SELECT true FROM event_seats s WHERE s.event_id = e.id AND s.status IN ('AVAILABLE', 'HELD')
                     ORDER BY s.seat_id LIMIT 1), false)
           OR EXISTS (SELECT 1 FROM event_sections x JOIN sections sec ON sec.id = x.section_id
                      WHERE x.event_id = e.id AND sec.kind = 'GENERAL_ADMISSION' AND x.capacity > x.ga_sold) AS left_to_sell,
           (SELECT p.type FROM partner_events p WHERE p.subject_id = e.id::text AND p.type IN ('event.on_sale', 'event.sold_out')
            ORDER BY p.id DESC LIMIT 1) AS last_announced
    FROM touched t JOIN events e ON e.id = t.event_id
    WHERE event_on_sale(e.status, e.on_sale_at, e.starts_at)
  )
  SELECT count(emit_partner_event(s.organization_id, CASE WHEN s.left_to_sell THEN 'event.on_sale' ELSE 'event.sold_out' END, s.id::text,
           jsonb_build_object('eventId', s.id, 'status', s.status, 'startsAt', s.starts_at, 'onSaleAt', s.on_sale_at)))
  INTO v_changed
  FROM state s
  WHERE (NOT s.left_to_sell AND s.last_announced IS DISTINCT FROM 'event.sold_out')
     OR (s.left_to_sell AND s.last_announced = 'event.sold_out');

  RETURN v_started + v_changed;
END
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
--
-- The seat half of availability is read as the first such seat in primary-key order (ORDER BY seat_id
-- LIMIT 1 in a scalar subquery), not as EXISTS, so its plan is an index scan of event_seats_pkey
-- whatever the statistics say. With EXISTS the planner drops ordering and limit, and where one huge
-- event dominates event_seats (a 200,000-seat stadium among small shows) it estimates that many seats
-- per event, expects a sequential scan to meet one at once, and for every event without such seats
-- (sold out, or general admission only) read the whole table: 24 ms per event, 12 s for 500. In
-- primary-key order no plan but the index reaches the first row without reading every row of the
-- event, so a full scan always costs more. search_note_sale and announce_partner_sales read it the same
-- way (api/test/search/search-availability.test.ts checks all three on such a table).
CREATE OR REPLACE FUNCTION event_search_refresh(p_event_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO event_search AS s (event_id, version, listed, category, starts_at, name, title, place, city, city_key, latitude, longitude,
                                 price_min_minor, price_max_minor, available)
  SELECT e.id, e.version, e.status <> 'DRAFT', e.category, e.starts_at, e.name, e.name || ' ' || e.artist, v.name || ' ' || v.city,
         v.city, lower(v.city), v.latitude, v.longitude,
         all_in_price_minor(p.min_price, e.service_fee_basis_points, e.facility_fee_minor),
         all_in_price_minor(p.max_price, e.service_fee_basis_points, e.facility_fee_minor),
         coalesce((SELECT true FROM event_seats es WHERE es.event_id = e.id AND es.status IN ('AVAILABLE', 'HELD')
                   ORDER BY es.seat_id LIMIT 1), false)
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

-- prisma/sql/functions/search_note_sale.sql
-- Called by finalize_checkout after a sale: when the event has just sold out (nothing available or
-- held, no general-admission place left), its version is bumped so its search document says so
-- (events_search_outbox). The seat test is the first AVAILABLE or HELD seat in primary-key order, not
-- NOT EXISTS: an index probe whatever the statistics (see event_search_refresh's header).
CREATE OR REPLACE FUNCTION search_note_sale(p_event_id uuid) RETURNS void
LANGUAGE sql AS $$
  UPDATE events SET version = version + 1
  WHERE id = p_event_id
    AND (SELECT true FROM event_seats es WHERE es.event_id = p_event_id AND es.status IN ('AVAILABLE', 'HELD')
         ORDER BY es.seat_id LIMIT 1) IS NULL
    AND NOT EXISTS (SELECT 1 FROM event_sections x JOIN sections s ON s.id = x.section_id
                    WHERE x.event_id = p_event_id AND s.kind = 'GENERAL_ADMISSION' AND x.ga_sold < x.capacity);
$$;
