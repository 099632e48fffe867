-- The seats of a refused request that are not free, and who has them (the holder's claim is rebuilt
-- in Redis from this), as hold_seats' UNAVAILABLE outcome. A seat that is not the event's has no status.
CREATE OR REPLACE FUNCTION hold_seats_unavailable(p_event_id uuid, p_seat_ids uuid[]) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object('outcome', 'UNAVAILABLE', 'seats', coalesce(jsonb_agg(jsonb_build_object(
           'seat_id', wanted.id, 'status', es.status, 'hold_id', es.hold_id,
           'holder_user_id', es.holder_user_id, 'held_until', es.held_until)), '[]'::jsonb))
  FROM unnest(p_seat_ids) AS wanted(id)
  LEFT JOIN event_seats es ON es.event_id = p_event_id AND es.seat_id = wanted.id
  WHERE es.seat_id IS NULL OR NOT (es.status = 'AVAILABLE' OR (es.status = 'HELD' AND es.held_until <= now()))
$$;
