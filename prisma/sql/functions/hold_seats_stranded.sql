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
