-- Holding a seat becomes a heap-only (HOT) update of its event_seats row (docs/PERFORMANCE.md, "Tenth
-- round"). PostgreSQL's single lane of hold batches is the serial stage of a flash on-sale. A hold
-- changes a seat's status and hold_id; both were indexed, so every held seat wrote a new row version
-- plus an entry in each of event_seats' three indexes, and a foreign-key check of hold_id. When no
-- indexed column changes and the page has room, PostgreSQL writes only the new row version, beside
-- the old one on the same page, and touches no index.
--
--   * (event_id, section_id, status) becomes (event_id, section_id). Everything that reads a
--     section's seats reads all of them (the seat map, best available, the availability counts) and
--     checks the status on the row; a section is at most a few thousand rows.
--   * event_seats (hold_id) goes. A hold's seats are found through its lines (hold_lines is keyed by
--     hold_id first) and then event_seats' primary key; end_holds below does so. Every other reader
--     already went through hold_lines.
--   * The foreign key event_seats.hold_id → holds goes too. Without the index, its ON DELETE SET NULL
--     would scan event_seats once for every hold deleted with its event. hold_id is the seat's
--     pointer to the hold that holds or bought it; it is only written by the hold and checkout
--     functions, in the same statement that writes that hold, so it cannot point at a missing hold.
--   * Pages keep 15% free for new row versions (fillfactor 85). Rows of events created from now on
--     are laid out so; older events' pages gain room as their first updates' old versions are pruned.
ALTER TABLE "event_seats" DROP CONSTRAINT "event_seats_hold_id_fkey";
DROP INDEX "event_seats_hold_id_idx";
DROP INDEX "event_seats_event_id_section_id_status_idx";
CREATE INDEX "event_seats_event_id_section_id_idx" ON "event_seats"("event_id", "section_id");
ALTER TABLE "event_seats" SET (fillfactor = 85);

-- As in 20261123170000_hold_functions, with the hold's seats found through its lines.
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
