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
