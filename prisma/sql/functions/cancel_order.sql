-- Cancels a confirmed order before its event starts: tickets VOID (their seats free for sale again),
-- general-admission places back, order CANCELLED, and a refund row whose gateway_reference stays NULL
-- until the gateway confirms (the API, or after a crash the reconciler, completes it). All in one
-- transaction. Returns JSON "outcome": CANCELLED (refund_id, payment_intent_id, gateway_reference of
-- the charge, amount_minor, currency, event_id, seats, places), NOT_FOUND, NOT_CONFIRMED (status),
-- STARTED, SCANNED. The tickets are locked before the SCANNED check, so a scan at the door either
-- commits first (and the order cannot be cancelled) or sees the tickets VOID.
CREATE OR REPLACE FUNCTION cancel_order(p_order_id uuid) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_order record;
  v_intent record;
  v_refund_id uuid := gen_random_uuid();
  v_seats jsonb;
  v_places jsonb;
BEGIN
  SELECT o.*, e.starts_at INTO v_order FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = p_order_id FOR UPDATE OF o;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('outcome', 'NOT_FOUND');
  END IF;
  IF v_order.status <> 'CONFIRMED' THEN
    RETURN jsonb_build_object('outcome', 'NOT_CONFIRMED', 'status', v_order.status);
  END IF;
  IF v_order.starts_at <= now() THEN
    RETURN jsonb_build_object('outcome', 'STARTED');
  END IF;
  -- Locked first, so a scan at the door either commits before this check or waits and then sees VOID.
  PERFORM 1 FROM tickets t WHERE t.order_id = p_order_id ORDER BY t.id FOR UPDATE;
  PERFORM 1 FROM tickets t WHERE t.order_id = p_order_id AND t.status = 'SCANNED';
  IF FOUND THEN
    RETURN jsonb_build_object('outcome', 'SCANNED');
  END IF;

  PERFORM 1 FROM event_seats es
  WHERE es.event_id = v_order.event_id AND es.seat_id IN (SELECT t.seat_id FROM tickets t WHERE t.order_id = p_order_id)
  ORDER BY es.seat_id FOR UPDATE;

  WITH voided AS (
    UPDATE tickets t SET status = 'VOID', active_seat_id = NULL, voided_at = now()
    WHERE t.order_id = p_order_id AND t.status = 'VALID'
    RETURNING t.seat_id, t.section_id
  ), freed AS (
    UPDATE event_seats es
    SET status = 'AVAILABLE', hold_id = NULL, holder_user_id = NULL, held_until = NULL,
        version = es.version + 1, updated_at = now()
    FROM voided v
    WHERE es.event_id = v_order.event_id AND es.seat_id = v.seat_id AND es.status = 'SOLD'
    RETURNING es.seat_id, es.section_id
  ), ga AS (
    SELECT v.section_id, count(*)::int AS quantity FROM voided v WHERE v.seat_id IS NULL GROUP BY v.section_id
  ), ga_freed AS (
    UPDATE event_sections x SET ga_sold = x.ga_sold - ga.quantity, version = x.version + 1
    FROM ga WHERE x.event_id = v_order.event_id AND x.section_id = ga.section_id
    RETURNING x.section_id, ga.quantity, x.capacity - x.ga_held - x.ga_sold AS available
  )
  SELECT (SELECT coalesce(jsonb_agg(jsonb_build_object('seat_id', f.seat_id, 'section_id', f.section_id)), '[]'::jsonb) FROM freed f),
         (SELECT coalesce(jsonb_agg(jsonb_build_object('section_id', g.section_id, 'quantity', g.quantity, 'available', g.available)), '[]'::jsonb) FROM ga_freed g)
  INTO v_seats, v_places;

  UPDATE orders SET status = 'CANCELLED', cancelled_at = now(), updated_at = now() WHERE id = p_order_id;
  -- Tickets are back on sale: the event's search document is refreshed (a sold-out event is not any more).
  UPDATE events SET version = version + 1 WHERE id = v_order.event_id;

  SELECT i.id, i.gateway_reference INTO v_intent FROM payment_intents i WHERE i.order_id = p_order_id AND i.status = 'SUCCEEDED';
  INSERT INTO refunds (id, order_id, payment_intent_id, amount_minor, currency, reason)
  VALUES (v_refund_id, p_order_id, v_intent.id, v_order.total_minor, v_order.currency, 'CANCELLED');

  INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload)
  VALUES ('OrderCancelled', 'order', p_order_id::text, jsonb_build_object('orderId', p_order_id, 'eventId', v_order.event_id));

  RETURN jsonb_build_object('outcome', 'CANCELLED', 'refund_id', v_refund_id, 'payment_intent_id', v_intent.id,
    'gateway_reference', v_intent.gateway_reference, 'amount_minor', v_order.total_minor, 'currency', v_order.currency,
    'event_id', v_order.event_id, 'seats', v_seats, 'places', v_places);
END
$$;
