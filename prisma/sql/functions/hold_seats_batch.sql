-- Several holds in one transaction, in the order given: an API process sends the holds that arrive
-- while its earlier batch is in flight as one call, so one round trip, one transaction and one commit
-- serve many holds. Each element is hold_seats' arguments as JSON (hold_id, event_id, user_id,
-- request_key, seat_ids, section_id, quantity, allow_single_gaps). Returns hold_seats' outcomes in the
-- same order.
--
-- Every seat the batch names is locked first, in one global order (event, seat): two batches that
-- want the same seats then queue instead of deadlocking, as single requests do. A batch whose requests
-- are independent (hold_seats_independent) is then decided at once by hold_seats_set; any other batch
-- goes one request at a time through hold_seats, in arrival order, where later requests see earlier
-- ones (a duplicate request replays, a second seat request of the same fan meets the first hold).
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
