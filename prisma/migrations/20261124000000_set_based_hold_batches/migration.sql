-- Batches of independent seat holds decided by a few set-based statements instead of one hold_seats
-- call per hold (docs/PERFORMANCE.md, "Fourth round"). Called per hold, hold_seats runs about ten
-- statements, each with its own executor start-up, foreign-key checks and JSON building: about
-- 500 µs of PostgreSQL per hold. A whole batch decided at once costs a fraction of that per hold.
--
-- The set-based path (hold_seats_set) is taken only when no request of the batch can affect another,
-- so deciding them together gives exactly the outcomes hold_seats would give one after another:
--   * every request names seats (general admission stays on hold_seats);
--   * no two requests are the same fan at the same event, share a request key, or name the same seat;
--   * a request that must not strand a single seat shares no seat row with any other request.
-- Any other batch (say, two fans racing for one seat while Redis is away) goes one request at a time
-- through hold_seats, in arrival order, as before.
--
-- Locking is as in hold_seats: every seat of the batch is locked first in one global order; then the
-- fans' advisory locks, in one order; then a new statement (so a new snapshot) reads and decides.
CREATE FUNCTION hold_seats_set(p_requests jsonb) RETURNS jsonb
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
    AND e.status IN ('ON_SALE', 'SCHEDULED') AND e.on_sale_at <= now() AND e.starts_at > now()
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
             WHEN d.status NOT IN ('ON_SALE', 'SCHEDULED') OR d.on_sale_at > now() OR d.starts_at <= now() THEN 'NOT_ON_SALE'
             WHEN d.key_hold_id IS NOT NULL THEN 'REPLAYED'
             WHEN d.live_hold_id IS NOT NULL THEN 'ACTIVE_HOLD'
             WHEN d.owned + cardinality(d.seat_ids) > d.max_seats_per_user THEN 'SEAT_LIMIT'
             WHEN d.free <> cardinality(d.seat_ids) THEN 'UNAVAILABLE'
             WHEN d.stranded IS NOT NULL THEN 'STRANDED'
             ELSE 'HELD'
           END AS outcome
    FROM (
      SELECT f.*,
             -- A free seat whose neighbours in its row are both taken (or the row's end), next to a
             -- seat picked now, would be stranded by this pick (as in hold_seats). Only run for
             -- requests that must not strand one.
             CASE WHEN NOT f.gaps_allowed AND f.e_id IS NOT NULL THEN (
               WITH row_seats AS (
                 SELECT s.row_id, s.number, s.id,
                        ((es.status = 'AVAILABLE' OR (es.status = 'HELD' AND es.held_until <= now())) AND s.id <> ALL(f.seat_ids)) AS free
                 FROM seats s JOIN event_seats es ON es.event_id = f.event_id AND es.seat_id = s.id
                 WHERE s.row_id = ANY(ARRAY(SELECT s2.row_id FROM seats s2 WHERE s2.id = ANY(f.seat_ids)))
               )
               SELECT jsonb_agg(x.id) FROM row_seats x
               WHERE x.free
                 AND NOT EXISTS (SELECT 1 FROM row_seats n WHERE n.row_id = x.row_id AND n.free AND n.number IN (x.number - 1, x.number + 1))
                 AND EXISTS (SELECT 1 FROM row_seats n WHERE n.row_id = x.row_id AND n.id = ANY(f.seat_ids) AND n.number IN (x.number - 1, x.number + 1))
             ) END AS stranded
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

-- Whether no request of the batch can affect another (see the top of this file): then hold_seats_set
-- decides them all at once.
CREATE FUNCTION hold_seats_independent(p_requests jsonb) RETURNS boolean
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
SET jit = off
AS $$
BEGIN
  RETURN (WITH r AS (
    SELECT * FROM jsonb_to_recordset(p_requests) AS r(
      hold_id uuid, event_id uuid, user_id uuid, request_key text, seat_ids uuid[], section_id uuid, quantity int, allow_single_gaps boolean)
  ), picks AS (
    SELECT r.hold_id, r.event_id, s.seat_id, (coalesce(r.allow_single_gaps, false) OR coalesce(e.allow_single_seat_gaps, true)) AS gaps_allowed
    FROM r LEFT JOIN events e ON e.id = r.event_id, unnest(r.seat_ids) AS s(seat_id)
  )
  SELECT (SELECT bool_and(r.seat_ids IS NOT NULL AND cardinality(r.seat_ids) > 0 AND r.section_id IS NULL AND r.quantity IS NULL)
                 AND count(DISTINCT (r.event_id, r.user_id)) = count(*)
                 AND count(DISTINCT (r.user_id, r.request_key)) FILTER (WHERE r.request_key IS NOT NULL) = count(r.request_key)
          FROM r)
     AND (SELECT count(DISTINCT (p.event_id, p.seat_id)) = count(*) FROM picks p)
     -- A request that must not strand a seat shares its seat rows with no other request.
     AND NOT EXISTS (
       SELECT 1 FROM picks p JOIN seats s ON s.id = p.seat_id
       JOIN picks q ON q.event_id = p.event_id AND q.hold_id <> p.hold_id
       JOIN seats t ON t.id = q.seat_id AND t.row_id = s.row_id
       WHERE NOT p.gaps_allowed));
END
$$;

-- As in 20261123220000_batched_holds, plus the choice of path: a batch whose requests are independent
-- (see the top of this file) is decided by hold_seats_set, any other one request at a time.
CREATE OR REPLACE FUNCTION hold_seats_batch(p_requests jsonb) RETURNS jsonb
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET jit = off
AS $$
DECLARE
  v_request jsonb;
  v_results jsonb[] := '{}';
  v_event_ids uuid[];
  v_seat_ids uuid[];
BEGIN
  IF jsonb_array_length(p_requests) > 1 THEN
    SELECT array_agg(DISTINCT (r.value->>'event_id')::uuid), array_agg(DISTINCT s.value::uuid)
    INTO v_event_ids, v_seat_ids
    FROM jsonb_array_elements(p_requests) r,
         jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.value->'seat_ids') = 'array' THEN r.value->'seat_ids' ELSE '[]'::jsonb END) s;
    IF v_seat_ids IS NOT NULL THEN
      PERFORM 1 FROM event_seats es
      WHERE es.event_id = ANY(v_event_ids) AND es.seat_id = ANY(v_seat_ids)
      ORDER BY es.event_id, es.seat_id
      FOR UPDATE;
    END IF;

    IF hold_seats_independent(p_requests) THEN
      RETURN hold_seats_set(p_requests);
    END IF;
  END IF;
  FOR v_request IN SELECT value FROM jsonb_array_elements(p_requests) LOOP
    v_results := array_append(v_results, hold_seats(
      (v_request->>'hold_id')::uuid, (v_request->>'event_id')::uuid, (v_request->>'user_id')::uuid,
      v_request->>'request_key',
      CASE WHEN jsonb_typeof(v_request->'seat_ids') = 'array'
           THEN ARRAY(SELECT jsonb_array_elements_text(v_request->'seat_ids'))::uuid[] END,
      (v_request->>'section_id')::uuid, (v_request->>'quantity')::int,
      coalesce((v_request->>'allow_single_gaps')::boolean, false)));
  END LOOP;
  RETURN to_jsonb(v_results);
END
$$;

-- hold_seats and the independence check get the same planner settings as hold_seats_set: a plan made
-- while a fresh event's holds table looked empty scanned all holds for every request key and live
-- hold looked up, and kept doing so for the connection's lifetime as the table grew.
ALTER FUNCTION hold_seats(uuid, uuid, uuid, text, uuid[], uuid, int, boolean)
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off SET jit = off;
ALTER FUNCTION hold_seats_independent(jsonb)
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off;

-- A fan's holds are found through an index that starts with the fan: (user_id, event_id, status)
-- instead of (event_id, user_id, status). Every index on holds that a per-fan lookup could then use
-- starts with user_id, so even a plan made while the table looked empty (and kept by the connection
-- while an on-sale fills it) reads only that fan's holds. With the old index such a plan used user_id
-- as a non-leading key and walked the whole index for every request key it cleared.
DROP INDEX "holds_event_id_user_id_status_idx";
CREATE INDEX "holds_user_id_event_id_status_idx" ON "holds"("user_id", "event_id", "status");
