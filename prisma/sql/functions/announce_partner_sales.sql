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
