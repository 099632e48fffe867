-- Whether no request of a batch can affect another, so that hold_seats_set may decide them all at once
-- with exactly the outcomes hold_seats would give one after another:
--   * every request names seats (general admission stays on hold_seats);
--   * no fan is in the batch twice (whatever the event; that also rules out one fan's request key
--     twice) and no seat is named twice, compared by plain uuids read from the JSON once;
--   * a request that must not strand a single seat shares no seat row with any other request. This
--     check looks up every picked seat's row, so it runs only when some request must not strand one.
-- Costs ~6-9 µs of PostgreSQL CPU per hold (docs/PERFORMANCE.md, "Sixth round").
CREATE OR REPLACE FUNCTION hold_seats_independent(p_requests jsonb) RETURNS boolean
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
SET jit = off
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
  v_apart boolean;
  v_strict boolean;
BEGIN
  WITH r AS (
    SELECT r.*, (coalesce(r.allow_single_gaps, false) OR coalesce(e.allow_single_seat_gaps, true)) AS gaps_allowed
    FROM jsonb_to_recordset(p_requests) AS r(
      hold_id uuid, event_id uuid, user_id uuid, request_key text, seat_ids uuid[], section_id uuid, quantity int, allow_single_gaps boolean)
    LEFT JOIN events e ON e.id = r.event_id
  )
  SELECT bool_and(r.seat_ids IS NOT NULL AND cardinality(r.seat_ids) > 0 AND r.section_id IS NULL AND r.quantity IS NULL)
           AND count(DISTINCT r.user_id) = count(*)
           AND (SELECT count(DISTINCT s.seat_id) = count(*) FROM r p, unnest(p.seat_ids) AS s(seat_id)),
         NOT bool_and(r.gaps_allowed)
  INTO v_apart, v_strict
  FROM r;
  IF v_apart IS NOT TRUE THEN
    RETURN false;
  END IF;
  IF NOT v_strict THEN
    RETURN true;
  END IF;
  RETURN NOT EXISTS (
    WITH picks AS (
      SELECT r.hold_id, r.event_id, s.seat_id, (coalesce(r.allow_single_gaps, false) OR coalesce(e.allow_single_seat_gaps, true)) AS gaps_allowed
      FROM jsonb_to_recordset(p_requests) AS r(hold_id uuid, event_id uuid, seat_ids uuid[], allow_single_gaps boolean)
      LEFT JOIN events e ON e.id = r.event_id, unnest(r.seat_ids) AS s(seat_id)
    )
    SELECT 1 FROM picks p JOIN seats s ON s.id = p.seat_id
    JOIN picks q ON q.event_id = p.event_id AND q.hold_id <> p.hold_id
    JOIN seats t ON t.id = q.seat_id AND t.row_id = s.row_id
    WHERE NOT p.gaps_allowed);
END
$$;
