-- Places one hold, all or nothing: explicit seats (p_seat_ids) or p_quantity places of a
-- general-admission section (p_section_id). Called for one request, or by hold_seats_batch for each
-- request of a batch that hold_seats_set cannot decide at once. Returns a JSON object whose "outcome" is
--   HELD         the new hold (hold_id, expires_at, currency, subtotal_minor, lines, ga_available);
--   REPLAYED     the caller's live hold with the same request key, unchanged;
--   NOT_FOUND, NOT_ON_SALE (status, on_sale_at), ACTIVE_HOLD (the caller's other live hold),
--   SEAT_LIMIT (max, owned);
--   UNAVAILABLE  seats not free, with their holder and status (hold_seats_unavailable);
--   STRANDED     the pick would leave a single free seat between taken ones (seats);
--   GA_SHORT     too few general-admission places left (available).
-- A refusal writes nothing, so a refused request inside a batch costs the batch nothing, with no
-- subtransaction per request. Expired holds count as available: their seats are taken over, their
-- general-admission places are freed first (end_holds).
--
-- How it decides:
--   * one fan's requests for one event run one at a time (an advisory lock taken by the statement that
--     reads the event), so the limits cannot be raced; the request key's hold, the fan's live hold and
--     the tickets owned are then read in one statement, with a snapshot taken after the lock;
--   * several seats, or an explicit pick that must not strand a seat: the seats are locked in seat
--     order (overlapping requests queue instead of deadlocking) and checked first; the writes run only
--     when every seat is free and none is stranded;
--   * one seat where gaps are allowed (best available, most explicit picks of one seat): one write
--     statement, whose row re-check (EvalPlanQual on a concurrent holder's commit) decides; the hold
--     and its line are inserted only when the seat was taken. A seat is taken by at most one live hold;
--   * general admission: a conditional UPDATE of the section's counters decides; the hold is inserted
--     once its price is known.
-- Planner settings: statements run on generic plans (each has a stable shape, and planning anew on
-- every call cost about as much CPU as running it), and only through indexes, so a plan made while a
-- fresh event's holds table looked empty never scans all holds for the connection's lifetime.
CREATE OR REPLACE FUNCTION hold_seats(
  p_hold_id uuid, p_event_id uuid, p_user_id uuid, p_request_key text,
  p_seat_ids uuid[], p_section_id uuid, p_quantity int, p_allow_single_gaps boolean
) RETURNS jsonb
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET jit = off
AS $$
DECLARE
  v_event record;
  v_found record;
  v_wanted int;
  v_expires timestamptz;
  v_free int;
  v_taken int;
  v_subtotal int;
  v_lines jsonb;
  v_detail jsonb;
  v_ga_available int;
  v_price int;
  v_line_currency text;
  v_gaps_allowed boolean;
BEGIN
  -- One user's requests for one event run one at a time, so the limits below cannot be raced. The
  -- lock is taken only when the event exists (the target list runs per row found).
  SELECT e.status, e.on_sale_at, e.starts_at, e.currency, e.hold_duration_seconds, e.max_seats_per_user,
         e.allow_single_seat_gaps,
         pg_advisory_xact_lock(hashtextextended('hold:' || p_event_id::text || ':' || p_user_id::text, 0)) AS locked
  INTO v_event FROM events e WHERE e.id = p_event_id;
  IF NOT FOUND OR v_event.status = 'DRAFT' THEN
    RETURN jsonb_build_object('outcome', 'NOT_FOUND');
  END IF;
  IF NOT event_on_sale(v_event.status, v_event.on_sale_at, v_event.starts_at) THEN
    RETURN jsonb_build_object('outcome', 'NOT_ON_SALE', 'status', v_event.status, 'on_sale_at', v_event.on_sale_at);
  END IF;

  -- A new statement, so its snapshot is taken after the lock.
  SELECT k.id AS key_hold_id, k.event_id AS key_event_id, k.status AS key_status, k.expires_at AS key_expires_at,
         a.id AS live_hold_id, a.expires_at AS live_expires_at,
         (SELECT count(*)::int FROM tickets t JOIN orders o ON o.id = t.order_id
          WHERE o.user_id = p_user_id AND o.event_id = p_event_id AND t.status <> 'VOID') AS owned
  INTO v_found
  FROM (SELECT 1) AS one
  LEFT JOIN holds k ON k.user_id = p_user_id AND k.request_key = p_request_key
  LEFT JOIN LATERAL (
    -- "IS TRUE" keeps holds_status_expires_at_idx (every live hold of every event) out of every plan:
    -- after an ANALYZE that saw few live holds, a plan walking it costs one row per live hold.
    SELECT h.id, h.expires_at FROM holds h
    WHERE h.event_id = p_event_id AND h.user_id = p_user_id AND (h.status = 'ACTIVE') IS TRUE AND h.expires_at > now()
    LIMIT 1
  ) a ON true;

  IF v_found.key_hold_id IS NOT NULL THEN
    IF v_found.key_status = 'ACTIVE' AND v_found.key_expires_at > now() AND v_found.key_event_id = p_event_id THEN
      RETURN jsonb_build_object('outcome', 'REPLAYED', 'hold_id', v_found.key_hold_id, 'expires_at', v_found.key_expires_at);
    END IF;
    -- A request key names one live hold; once that hold has ended the key may start a new one.
    UPDATE holds SET request_key = NULL WHERE id = v_found.key_hold_id;
  END IF;

  IF v_found.live_hold_id IS NOT NULL THEN
    RETURN jsonb_build_object('outcome', 'ACTIVE_HOLD', 'hold_id', v_found.live_hold_id, 'expires_at', v_found.live_expires_at);
  END IF;

  v_wanted := CASE WHEN p_seat_ids IS NOT NULL THEN cardinality(p_seat_ids) ELSE p_quantity END;
  IF v_found.owned + v_wanted > v_event.max_seats_per_user THEN
    RETURN jsonb_build_object('outcome', 'SEAT_LIMIT', 'max', v_event.max_seats_per_user, 'owned', v_found.owned);
  END IF;

  v_expires := now() + make_interval(secs => v_event.hold_duration_seconds);

  IF p_seat_ids IS NOT NULL THEN
    v_gaps_allowed := p_allow_single_gaps OR v_event.allow_single_seat_gaps;
    IF cardinality(p_seat_ids) > 1 OR NOT v_gaps_allowed THEN
      -- Lock in one global order so overlapping requests queue instead of deadlocking; a locked row
      -- is read as its holder left it.
      SELECT count(*) FILTER (WHERE l.free)::int INTO v_free
      FROM (SELECT (es.status = 'AVAILABLE' OR (es.status = 'HELD' AND es.held_until <= now())) AS free
            FROM event_seats es
            WHERE es.event_id = p_event_id AND es.seat_id = ANY(p_seat_ids)
            ORDER BY es.seat_id FOR UPDATE) l;
      IF v_free <> v_wanted THEN
        RETURN hold_seats_unavailable(p_event_id, p_seat_ids);
      END IF;

      IF NOT v_gaps_allowed THEN
        v_detail := hold_seats_stranded(p_event_id, p_seat_ids);
        IF v_detail IS NOT NULL THEN
          RETURN jsonb_build_object('outcome', 'STRANDED', 'seats', v_detail);
        END IF;
      END IF;
    END IF;

    -- Every seat is locked and free here, or there is one seat and this statement's row re-check
    -- (EvalPlanQual on a concurrent holder's commit) decides. The hold and its lines are written only
    -- when every seat was taken; otherwise nothing was (one seat: taken or not).
    WITH taken AS (
      UPDATE event_seats es
      SET status = 'HELD', hold_id = p_hold_id, holder_user_id = p_user_id, held_until = v_expires,
          version = es.version + 1, updated_at = now()
      WHERE es.event_id = p_event_id AND es.seat_id = ANY(p_seat_ids)
        AND (es.status = 'AVAILABLE' OR (es.status = 'HELD' AND es.held_until <= now()))
      RETURNING es.seat_id, es.section_id
    ), priced AS (
      SELECT t.seat_id, t.section_id, x.price_minor, x.currency
      FROM taken t JOIN event_sections x ON x.event_id = p_event_id AND x.section_id = t.section_id
    ), hold AS (
      INSERT INTO holds (id, event_id, user_id, status, request_key, subtotal_minor, currency, expires_at)
      SELECT p_hold_id, p_event_id, p_user_id, 'ACTIVE', p_request_key, coalesce(sum(p.price_minor), 0)::int, v_event.currency, v_expires
      FROM priced p
      HAVING count(*) = v_wanted
    ), lines AS (
      INSERT INTO hold_lines (hold_id, section_id, seat_id, price_minor, currency)
      SELECT p_hold_id, p.section_id, p.seat_id, p.price_minor, p.currency FROM priced p
      WHERE (SELECT count(*) FROM priced) = v_wanted
    )
    SELECT count(*)::int, coalesce(sum(p.price_minor), 0)::int,
           jsonb_agg(jsonb_build_object('section_id', p.section_id, 'seat_id', p.seat_id, 'price_minor', p.price_minor) ORDER BY p.seat_id)
    INTO v_taken, v_subtotal, v_lines FROM priced p;

    IF v_taken <> v_wanted THEN
      -- Only a single unlocked seat gets here, and then nothing was taken.
      RETURN hold_seats_unavailable(p_event_id, p_seat_ids);
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
    RETURNING x.capacity - x.ga_held - x.ga_sold, x.price_minor, x.currency INTO v_ga_available, v_price, v_line_currency;
    IF NOT FOUND THEN
      SELECT x.capacity - x.ga_held - x.ga_sold INTO v_ga_available
      FROM event_sections x WHERE x.event_id = p_event_id AND x.section_id = p_section_id;
      RETURN jsonb_build_object('outcome', 'GA_SHORT', 'available', coalesce(v_ga_available, 0));
    END IF;

    v_subtotal := v_price * p_quantity;
    INSERT INTO holds (id, event_id, user_id, status, request_key, subtotal_minor, currency, expires_at)
    VALUES (p_hold_id, p_event_id, p_user_id, 'ACTIVE', p_request_key, v_subtotal, v_event.currency, v_expires);
    INSERT INTO hold_lines (hold_id, section_id, seat_id, price_minor, currency)
    SELECT p_hold_id, p_section_id, NULL, v_price, v_line_currency FROM generate_series(1, p_quantity);
    SELECT jsonb_agg(jsonb_build_object('section_id', p_section_id, 'seat_id', NULL, 'price_minor', v_price))
    INTO v_lines FROM generate_series(1, p_quantity);
  END IF;

  RETURN jsonb_build_object('outcome', 'HELD', 'hold_id', p_hold_id, 'expires_at', v_expires, 'currency', v_event.currency,
                            'subtotal_minor', v_subtotal, 'lines', v_lines, 'ga_available', v_ga_available);
END
$$;
