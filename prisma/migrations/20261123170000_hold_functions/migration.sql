-- Seat holds in one round trip. PostgreSQL is the authority on who holds what (DESIGN.md, layer 2);
-- these functions keep every hold decision inside one statement so a hold costs one network round trip
-- and one commit. Prisma does not introspect functions, so they never show up as drift.

-- Ends ACTIVE holds (RELEASED, EXPIRED or CONVERTED) and gives their seats and general-admission places
-- back. Only holds that were still ACTIVE are ended, so two callers racing on the same hold (the
-- sweeper in two processes, a fan's release against the sweeper) free its places exactly once.
-- Seats are freed only while they still belong to the hold: a seat that was lazily re-held by a newer
-- hold after this one expired is left alone. Returns one row per freed seat, and one row per
-- general-admission section with the number of places freed.
CREATE FUNCTION end_holds(p_hold_ids uuid[], p_status "HoldStatus")
RETURNS TABLE (hold_id uuid, user_id uuid, event_id uuid, section_id uuid, seat_id uuid, quantity int)
LANGUAGE sql AS $$
  WITH ended AS (
    UPDATE holds h SET status = p_status, ended_at = now(), request_key = NULL
    WHERE h.id = ANY(p_hold_ids) AND h.status = 'ACTIVE'
    RETURNING h.id, h.user_id, h.event_id
  ), freed_seats AS (
    UPDATE event_seats es
    SET status = 'AVAILABLE', hold_id = NULL, holder_user_id = NULL, held_until = NULL,
        version = es.version + 1, updated_at = now()
    FROM ended
    WHERE es.hold_id = ended.id AND es.status = 'HELD'
    RETURNING ended.id AS hold_id, ended.user_id, es.event_id, es.section_id, es.seat_id
  ), ga AS (
    SELECT ended.id AS hold_id, ended.user_id, ended.event_id, l.section_id, count(*)::int AS quantity
    FROM ended JOIN hold_lines l ON l.hold_id = ended.id AND l.seat_id IS NULL
    GROUP BY ended.id, ended.user_id, ended.event_id, l.section_id
  ), ga_totals AS (
    SELECT ga.event_id, ga.section_id, sum(ga.quantity)::int AS quantity FROM ga GROUP BY ga.event_id, ga.section_id
  ), freed_places AS (
    UPDATE event_sections x SET ga_held = x.ga_held - t.quantity, version = x.version + 1
    FROM ga_totals t
    WHERE x.event_id = t.event_id AND x.section_id = t.section_id
    RETURNING x.event_id
  ) -- every data-modifying CTE runs to completion, read or not
  SELECT f.hold_id, f.user_id, f.event_id, f.section_id, f.seat_id, 1 FROM freed_seats f
  UNION ALL
  SELECT ga.hold_id, ga.user_id, ga.event_id, ga.section_id, NULL::uuid, ga.quantity FROM ga
$$;

-- Places a hold, all or nothing: explicit seats (p_seat_ids) or p_quantity places of a
-- general-admission section (p_section_id). Returns a JSON object whose "outcome" is one of
--   HELD        the new hold (hold_id, expires_at, lines, subtotal, ga_available);
--   REPLAYED    the caller's live hold with the same request key, unchanged;
--   NOT_FOUND, NOT_ON_SALE, ACTIVE_HOLD (the caller's other live hold), SEAT_LIMIT (max, owned).
-- When a seat is not available, when general admission has too few places left, or when explicit
-- picks would strand a single seat, it raises SQLSTATE BO001 with a JSON DETAIL (unavailable seats
-- with their holder and status, places left, or the stranded seats), which rolls back everything.
-- Expired holds count as available: their seats are taken over, their places are freed first.
CREATE FUNCTION hold_seats(
  p_hold_id uuid, p_event_id uuid, p_user_id uuid, p_request_key text,
  p_seat_ids uuid[], p_section_id uuid, p_quantity int, p_allow_single_gaps boolean
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_event record;
  v_existing record;
  v_wanted int;
  v_owned int;
  v_expires timestamptz;
  v_taken int;
  v_detail jsonb;
  v_ga_available int;
BEGIN
  SELECT e.status, e.on_sale_at, e.starts_at, e.currency, e.hold_duration_seconds, e.max_seats_per_user,
         e.allow_single_seat_gaps
  INTO v_event FROM events e WHERE e.id = p_event_id;
  IF NOT FOUND OR v_event.status = 'DRAFT' THEN
    RETURN jsonb_build_object('outcome', 'NOT_FOUND');
  END IF;
  -- A SCHEDULED event is on sale from on_sale_at, whether or not anything has flipped its status yet.
  IF v_event.status NOT IN ('ON_SALE', 'SCHEDULED') OR v_event.on_sale_at > now() OR v_event.starts_at <= now() THEN
    RETURN jsonb_build_object('outcome', 'NOT_ON_SALE', 'status', v_event.status, 'on_sale_at', v_event.on_sale_at);
  END IF;

  -- One user's requests for one event run one at a time, so the limits below cannot be raced.
  PERFORM pg_advisory_xact_lock(hashtextextended('hold:' || p_event_id::text || ':' || p_user_id::text, 0));

  IF p_request_key IS NOT NULL THEN
    SELECT h.id, h.event_id, h.status, h.expires_at INTO v_existing
    FROM holds h WHERE h.user_id = p_user_id AND h.request_key = p_request_key;
    IF FOUND THEN
      IF v_existing.status = 'ACTIVE' AND v_existing.expires_at > now() AND v_existing.event_id = p_event_id THEN
        RETURN jsonb_build_object('outcome', 'REPLAYED', 'hold_id', v_existing.id, 'expires_at', v_existing.expires_at);
      END IF;
      -- A request key names one live hold; once that hold has ended the key may start a new one.
      UPDATE holds SET request_key = NULL WHERE id = v_existing.id;
    END IF;
  END IF;

  SELECT h.id, h.expires_at INTO v_existing FROM holds h
  WHERE h.event_id = p_event_id AND h.user_id = p_user_id AND h.status = 'ACTIVE' AND h.expires_at > now()
  LIMIT 1;
  IF FOUND THEN
    RETURN jsonb_build_object('outcome', 'ACTIVE_HOLD', 'hold_id', v_existing.id, 'expires_at', v_existing.expires_at);
  END IF;

  v_wanted := CASE WHEN p_seat_ids IS NOT NULL THEN cardinality(p_seat_ids) ELSE p_quantity END;
  SELECT count(*)::int INTO v_owned
  FROM tickets t JOIN orders o ON o.id = t.order_id
  WHERE o.user_id = p_user_id AND o.event_id = p_event_id AND t.status <> 'VOID';
  IF v_owned + v_wanted > v_event.max_seats_per_user THEN
    RETURN jsonb_build_object('outcome', 'SEAT_LIMIT', 'max', v_event.max_seats_per_user, 'owned', v_owned);
  END IF;

  v_expires := now() + make_interval(secs => v_event.hold_duration_seconds);
  INSERT INTO holds (id, event_id, user_id, status, request_key, subtotal_minor, currency, expires_at)
  VALUES (p_hold_id, p_event_id, p_user_id, 'ACTIVE', p_request_key, 0, v_event.currency, v_expires);

  IF p_seat_ids IS NOT NULL THEN
    -- Lock in one global order so overlapping requests queue instead of deadlocking.
    PERFORM 1 FROM event_seats es
    WHERE es.event_id = p_event_id AND es.seat_id = ANY(p_seat_ids)
    ORDER BY es.seat_id FOR UPDATE;

    WITH taken AS (
      UPDATE event_seats es
      SET status = 'HELD', hold_id = p_hold_id, holder_user_id = p_user_id, held_until = v_expires,
          version = es.version + 1, updated_at = now()
      WHERE es.event_id = p_event_id AND es.seat_id = ANY(p_seat_ids)
        AND (es.status = 'AVAILABLE' OR (es.status = 'HELD' AND es.held_until <= now()))
      RETURNING es.seat_id, es.section_id
    )
    INSERT INTO hold_lines (hold_id, section_id, seat_id, price_minor, currency)
    SELECT p_hold_id, t.section_id, t.seat_id, x.price_minor, x.currency
    FROM taken t JOIN event_sections x ON x.event_id = p_event_id AND x.section_id = t.section_id;
    GET DIAGNOSTICS v_taken = ROW_COUNT;

    IF v_taken <> v_wanted THEN
      SELECT jsonb_build_object('reason', 'UNAVAILABLE', 'seats', coalesce(jsonb_agg(jsonb_build_object(
               'seat_id', wanted.id, 'status', es.status, 'hold_id', es.hold_id,
               'holder_user_id', es.holder_user_id, 'held_until', es.held_until)), '[]'::jsonb))
      INTO v_detail
      FROM unnest(p_seat_ids) AS wanted(id)
      LEFT JOIN event_seats es ON es.event_id = p_event_id AND es.seat_id = wanted.id
      WHERE es.hold_id IS DISTINCT FROM p_hold_id;
      RAISE EXCEPTION 'seats unavailable' USING ERRCODE = 'BO001', DETAIL = v_detail::text;
    END IF;

    IF NOT (p_allow_single_gaps OR v_event.allow_single_seat_gaps) THEN
      -- A free seat whose neighbours in its row are both taken (or the row's end), next to a seat
      -- just held, would be stranded by this pick.
      WITH row_seats AS (
        SELECT s.row_id, s.number, s.id,
               (es.status = 'AVAILABLE' OR (es.status = 'HELD' AND es.held_until <= now())) AS free
        FROM seats s JOIN event_seats es ON es.event_id = p_event_id AND es.seat_id = s.id
        WHERE s.row_id IN (SELECT s2.row_id FROM seats s2 WHERE s2.id = ANY(p_seat_ids))
      ), stranded AS (
        SELECT r.id FROM row_seats r
        WHERE r.free
          AND NOT EXISTS (SELECT 1 FROM row_seats n WHERE n.row_id = r.row_id AND n.free AND n.number IN (r.number - 1, r.number + 1))
          AND EXISTS (SELECT 1 FROM row_seats n WHERE n.row_id = r.row_id AND n.id = ANY(p_seat_ids) AND n.number IN (r.number - 1, r.number + 1))
      )
      SELECT jsonb_agg(stranded.id) INTO v_detail FROM stranded;
      IF v_detail IS NOT NULL THEN
        RAISE EXCEPTION 'single seat stranded' USING ERRCODE = 'BO001',
          DETAIL = jsonb_build_object('reason', 'STRANDED', 'seats', v_detail)::text;
      END IF;
    END IF;
  ELSE
    -- Lazy expiry for general admission: places of this section's expired holds are freed first.
    PERFORM 1 FROM end_holds(ARRAY(
      SELECT h.id FROM holds h
      WHERE h.event_id = p_event_id AND h.status = 'ACTIVE' AND h.expires_at <= now()
        AND EXISTS (SELECT 1 FROM hold_lines l WHERE l.hold_id = h.id AND l.section_id = p_section_id AND l.seat_id IS NULL)
      FOR UPDATE SKIP LOCKED), 'EXPIRED');

    UPDATE event_sections x SET ga_held = x.ga_held + p_quantity, version = x.version + 1
    FROM sections s
    WHERE x.event_id = p_event_id AND x.section_id = p_section_id AND s.id = x.section_id
      AND s.kind = 'GENERAL_ADMISSION' AND x.capacity - x.ga_held - x.ga_sold >= p_quantity
    RETURNING x.capacity - x.ga_held - x.ga_sold INTO v_ga_available;
    IF NOT FOUND THEN
      SELECT x.capacity - x.ga_held - x.ga_sold INTO v_ga_available
      FROM event_sections x WHERE x.event_id = p_event_id AND x.section_id = p_section_id;
      RAISE EXCEPTION 'not enough places' USING ERRCODE = 'BO001',
        DETAIL = jsonb_build_object('reason', 'GA_SHORT', 'available', coalesce(v_ga_available, 0))::text;
    END IF;

    INSERT INTO hold_lines (hold_id, section_id, seat_id, price_minor, currency)
    SELECT p_hold_id, x.section_id, NULL, x.price_minor, x.currency
    FROM event_sections x, generate_series(1, p_quantity)
    WHERE x.event_id = p_event_id AND x.section_id = p_section_id;
  END IF;

  SELECT jsonb_agg(jsonb_build_object('section_id', l.section_id, 'seat_id', l.seat_id, 'price_minor', l.price_minor)),
         sum(l.price_minor)::int
  INTO v_detail, v_taken FROM hold_lines l WHERE l.hold_id = p_hold_id;
  UPDATE holds h SET subtotal_minor = v_taken WHERE h.id = p_hold_id;

  RETURN jsonb_build_object('outcome', 'HELD', 'hold_id', p_hold_id, 'expires_at', v_expires, 'currency', v_event.currency,
                            'subtotal_minor', v_taken, 'lines', v_detail, 'ga_available', v_ga_available);
END
$$;
