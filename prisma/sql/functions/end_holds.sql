-- Ends ACTIVE holds (RELEASED, EXPIRED or CONVERTED) and gives their seats and general-admission places
-- back. Only holds that were still ACTIVE are ended, so two callers racing on the same hold (the
-- sweeper in two processes, a fan's release against the sweeper) free its places exactly once.
-- A hold's seats are found through its lines (hold_lines is keyed by hold_id first, event_seats has no
-- hold_id index) and freed only while they still belong to the hold: a seat that was lazily re-held by
-- a newer hold after this one expired is left alone. Returns one row per freed seat, and one row per
-- general-admission section with the number of places freed.
CREATE OR REPLACE FUNCTION end_holds(p_hold_ids uuid[], p_status "HoldStatus")
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
    FROM ended JOIN hold_lines l ON l.hold_id = ended.id AND l.seat_id IS NOT NULL
    WHERE es.event_id = ended.event_id AND es.seat_id = l.seat_id
      AND es.hold_id = ended.id AND es.status = 'HELD'
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
