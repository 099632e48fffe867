-- prisma/sql/functions/hold_seats.sql
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

-- prisma/sql/functions/hold_seats_set.sql
-- Decides a batch of independent seat holds (hold_seats_independent) with a few set-based statements
-- instead of one hold_seats call per hold: called per hold, hold_seats runs about ten statements, each
-- with its own executor start-up, foreign-key checks and JSON building (about 500 µs of PostgreSQL per
-- hold); a whole batch decided at once costs a fraction of that per hold (docs/PERFORMANCE.md, "Fourth
-- round"). Takes hold_seats_batch's JSON and returns the same outcomes as hold_seats, in order.
--
-- Locking is as in hold_seats: hold_seats_batch has locked every seat of the batch in one global
-- order; then the fans' advisory locks are taken in key order; then a new statement (so a new
-- snapshot) reads and decides.
CREATE OR REPLACE FUNCTION hold_seats_set(p_requests jsonb) RETURNS jsonb
LANGUAGE plpgsql
-- Plans are made once per connection and kept (generic). Whatever the statistics said when they were
-- made (a fresh event's holds table looks empty), every row is reached through an index: a plan that
-- scans holds would cost more with every hold placed.
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET jit = off
AS $$
DECLARE
  v_results jsonb;
BEGIN
  -- One fan's requests for one event run one at a time (the same lock hold_seats takes), so the
  -- limits below cannot be raced by another batch. Taken in key order: batches cannot deadlock on it
  -- unless the same fans are in both at once (then PostgreSQL detects it and the caller retries).
  PERFORM pg_advisory_xact_lock(l.k)
  FROM (SELECT DISTINCT hashtextextended('hold:' || r.event_id::text || ':' || r.user_id::text, 0) AS k
        FROM jsonb_to_recordset(p_requests) AS r(event_id uuid, user_id uuid)
        JOIN events e ON e.id = r.event_id
        ORDER BY 1) l;

  -- A request key names one live hold; once that hold has ended (or it is another event's), the key
  -- may start a new one (as in hold_seats, only for requests that get that far).
  UPDATE holds h SET request_key = NULL
  FROM jsonb_to_recordset(p_requests) AS r(event_id uuid, user_id uuid, request_key text)
  JOIN events e ON e.id = r.event_id
  WHERE h.user_id = r.user_id AND h.request_key = r.request_key
    AND event_on_sale(e.status, e.on_sale_at, e.starts_at)
    AND NOT ((h.status = 'ACTIVE') IS TRUE AND h.expires_at > now() AND h.event_id = r.event_id);

  WITH r AS (
    SELECT * FROM ROWS FROM (jsonb_to_recordset(p_requests) AS (
      hold_id uuid, event_id uuid, user_id uuid, request_key text, seat_ids uuid[], allow_single_gaps boolean
    )) WITH ORDINALITY AS r(hold_id, event_id, user_id, request_key, seat_ids, allow_single_gaps, ord)
  ), found AS (
    SELECT r.*, e.id AS e_id, e.status, e.on_sale_at, e.starts_at, e.currency, e.max_seats_per_user,
           now() + make_interval(secs => e.hold_duration_seconds) AS expires,
           (coalesce(r.allow_single_gaps, false) OR e.allow_single_seat_gaps) AS gaps_allowed,
           k.id AS key_hold_id, k.expires_at AS key_expires_at,
           a.id AS live_hold_id, a.expires_at AS live_expires_at,
           o.owned, f.free
    FROM r
    LEFT JOIN events e ON e.id = r.event_id
    LEFT JOIN LATERAL (
      SELECT k.id, k.expires_at FROM holds k
      WHERE k.user_id = r.user_id AND k.request_key = r.request_key
        AND (k.status = 'ACTIVE') IS TRUE AND k.expires_at > now() AND k.event_id = r.event_id
      LIMIT 1 -- (a subquery the planner keeps: one index probe per request, never a scan of all holds)
    ) k ON true
    LEFT JOIN LATERAL (
      -- "IS TRUE" keeps holds_status_expires_at_idx out of the plan (see hold_seats).
      SELECT h.id, h.expires_at FROM holds h
      WHERE h.event_id = r.event_id AND h.user_id = r.user_id AND (h.status = 'ACTIVE') IS TRUE AND h.expires_at > now()
      LIMIT 1
    ) a ON true
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS owned FROM tickets t JOIN orders o ON o.id = t.order_id
      WHERE o.user_id = r.user_id AND o.event_id = r.event_id AND t.status <> 'VOID'
    ) o ON true
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS free FROM event_seats es
      WHERE es.event_id = r.event_id AND es.seat_id = ANY(r.seat_ids)
        AND (es.status = 'AVAILABLE' OR (es.status = 'HELD' AND es.held_until <= now()))
    ) f ON true
  ), decided AS (
    SELECT d.*,
           CASE
             WHEN d.e_id IS NULL OR d.status = 'DRAFT' THEN 'NOT_FOUND'
             WHEN NOT event_on_sale(d.status, d.on_sale_at, d.starts_at) THEN 'NOT_ON_SALE'
             WHEN d.key_hold_id IS NOT NULL THEN 'REPLAYED'
             WHEN d.live_hold_id IS NOT NULL THEN 'ACTIVE_HOLD'
             WHEN d.owned + cardinality(d.seat_ids) > d.max_seats_per_user THEN 'SEAT_LIMIT'
             WHEN d.free <> cardinality(d.seat_ids) THEN 'UNAVAILABLE'
             WHEN d.stranded IS NOT NULL THEN 'STRANDED'
             ELSE 'HELD'
           END AS outcome
    FROM (
      SELECT f.*,
             -- The seats this pick would leave alone (hold_seats_stranded); only for requests that must
             -- not strand one.
             CASE WHEN NOT f.gaps_allowed AND f.e_id IS NOT NULL THEN hold_seats_stranded(f.event_id, f.seat_ids) END AS stranded
      FROM found f
      OFFSET 0 -- (kept as a subquery, so the check runs once per request, not once per use)
    ) d
  ), taken AS (
    -- Every seat here is locked by this transaction and was free above.
    UPDATE event_seats es
    SET status = 'HELD', hold_id = w.hold_id, holder_user_id = w.user_id, held_until = w.expires,
        version = es.version + 1, updated_at = now()
    FROM (SELECT d.hold_id, d.user_id, d.event_id, d.expires, unnest(d.seat_ids) AS seat_id FROM decided d WHERE d.outcome = 'HELD') w
    WHERE es.event_id = w.event_id AND es.seat_id = w.seat_id
    RETURNING w.hold_id, es.seat_id, es.section_id
  ), priced AS (
    SELECT t.hold_id, t.seat_id, t.section_id, x.price_minor, x.currency
    FROM taken t
    JOIN decided d ON d.hold_id = t.hold_id
    JOIN event_sections x ON x.event_id = d.event_id AND x.section_id = t.section_id
  ), held AS (
    SELECT p.hold_id, sum(p.price_minor)::int AS subtotal,
           jsonb_agg(jsonb_build_object('section_id', p.section_id, 'seat_id', p.seat_id, 'price_minor', p.price_minor) ORDER BY p.seat_id) AS lines
    FROM priced p GROUP BY p.hold_id
  ), new_holds AS (
    INSERT INTO holds (id, event_id, user_id, status, request_key, subtotal_minor, currency, expires_at)
    SELECT d.hold_id, d.event_id, d.user_id, 'ACTIVE', d.request_key, h.subtotal, d.currency, d.expires
    FROM decided d JOIN held h ON h.hold_id = d.hold_id
  ), new_lines AS (
    INSERT INTO hold_lines (hold_id, section_id, seat_id, price_minor, currency)
    SELECT p.hold_id, p.section_id, p.seat_id, p.price_minor, p.currency FROM priced p
  )
  SELECT jsonb_agg(
           CASE d.outcome
             WHEN 'HELD' THEN jsonb_build_object('outcome', 'HELD', 'hold_id', d.hold_id, 'expires_at', d.expires, 'currency', d.currency,
                                                 'subtotal_minor', h.subtotal, 'lines', h.lines, 'ga_available', NULL)
             WHEN 'NOT_FOUND' THEN jsonb_build_object('outcome', 'NOT_FOUND')
             WHEN 'NOT_ON_SALE' THEN jsonb_build_object('outcome', 'NOT_ON_SALE', 'status', d.status, 'on_sale_at', d.on_sale_at)
             WHEN 'REPLAYED' THEN jsonb_build_object('outcome', 'REPLAYED', 'hold_id', d.key_hold_id, 'expires_at', d.key_expires_at)
             WHEN 'ACTIVE_HOLD' THEN jsonb_build_object('outcome', 'ACTIVE_HOLD', 'hold_id', d.live_hold_id, 'expires_at', d.live_expires_at)
             WHEN 'SEAT_LIMIT' THEN jsonb_build_object('outcome', 'SEAT_LIMIT', 'max', d.max_seats_per_user, 'owned', d.owned)
             WHEN 'STRANDED' THEN jsonb_build_object('outcome', 'STRANDED', 'seats', d.stranded)
             ELSE hold_seats_unavailable(d.event_id, d.seat_ids)
           END ORDER BY d.ord)
  INTO v_results
  FROM decided d LEFT JOIN held h ON h.hold_id = d.hold_id;
  RETURN v_results;
END
$$;

-- prisma/sql/functions/hold_seats_stranded.sql
-- The seats a pick would strand, or NULL: a free seat whose neighbours in its row are both taken (or
-- the row's end), next to a seat picked now, would be left alone by this pick (the picked seats count
-- as taken). The one definition of the single-seat rule: hold_seats and hold_seats_set both call it
-- for picks that must not strand a seat (events without allow_single_seat_gaps, explicit picks).
-- PL/pgSQL so that its query's plan is cached per connection (a SQL function with a WITH query would
-- be planned again on every call).
CREATE OR REPLACE FUNCTION hold_seats_stranded(p_event_id uuid, p_seat_ids uuid[]) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  RETURN (
    WITH row_seats AS (
      SELECT s.row_id, s.number, s.id,
             ((es.status = 'AVAILABLE' OR (es.status = 'HELD' AND es.held_until <= now())) AND s.id <> ALL(p_seat_ids)) AS free
      FROM seats s JOIN event_seats es ON es.event_id = p_event_id AND es.seat_id = s.id
      WHERE s.row_id = ANY(ARRAY(SELECT s2.row_id FROM seats s2 WHERE s2.id = ANY(p_seat_ids)))
    )
    SELECT jsonb_agg(x.id) FROM row_seats x
    WHERE x.free
      AND NOT EXISTS (SELECT 1 FROM row_seats n WHERE n.row_id = x.row_id AND n.free AND n.number IN (x.number - 1, x.number + 1))
      AND EXISTS (SELECT 1 FROM row_seats n WHERE n.row_id = x.row_id AND n.id = ANY(p_seat_ids) AND n.number IN (x.number - 1, x.number + 1))
  );
END;
$$;
