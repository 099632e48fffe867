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
