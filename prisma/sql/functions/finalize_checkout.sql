-- After a successful charge: seats SOLD, the order with its lines, fees and tickets, the intent
-- SUCCEEDED and an outbox row, all in one transaction. Idempotent: a settled intent returns what it
-- became. The seats must still be claimable by the hold: held by it, or free (an expired hold whose
-- seats nobody took since). Otherwise nothing changes and the outcome is LOST, with a pending refund
-- recorded by lose_checkout (the caller refunds at the gateway). Seats are locked in the same global
-- order as hold_seats; UNIQUE (event_id, active_seat_id) on tickets is the last line of defence against
-- a double sale and also ends in LOST ("net": true).
-- Returns JSON "outcome": DONE (order_id, created, event_id, seats [{seat_id, section_id}],
-- places [{section_id, quantity, available}]), LOST (refund_id, amount_minor), or the intent's status
-- when it is REFUNDED.
CREATE OR REPLACE FUNCTION finalize_checkout(p_intent_id uuid, p_gateway_reference text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_intent record;
  v_hold record;
  v_order_id uuid := gen_random_uuid();
  v_fees_minor int;
  v_wanted int;
  v_lost jsonb;
  v_seats jsonb;
  v_places jsonb;
BEGIN
  SELECT i.* INTO v_intent FROM payment_intents i WHERE i.id = p_intent_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'payment intent % does not exist', p_intent_id;
  END IF;
  IF v_intent.order_id IS NOT NULL THEN
    RETURN jsonb_build_object('outcome', 'DONE', 'order_id', v_intent.order_id, 'created', false);
  END IF;
  IF v_intent.status = 'FAILED' THEN
    RETURN jsonb_build_object('outcome', 'LOST', 'refund_id', lose_checkout(p_intent_id, p_gateway_reference), 'amount_minor', v_intent.amount_minor);
  END IF;
  IF v_intent.status <> 'CREATED' THEN
    RETURN jsonb_build_object('outcome', v_intent.status);
  END IF;

  SELECT h.* INTO v_hold FROM holds h WHERE h.id = v_intent.hold_id FOR UPDATE;

  -- Seats, locked in the same global order as hold_seats.
  PERFORM 1 FROM event_seats es
  WHERE es.event_id = v_hold.event_id
    AND es.seat_id IN (SELECT l.seat_id FROM hold_lines l WHERE l.hold_id = v_hold.id AND l.seat_id IS NOT NULL)
  ORDER BY es.seat_id FOR UPDATE;
  SELECT jsonb_agg(es.seat_id) INTO v_lost
  FROM hold_lines l JOIN event_seats es ON es.event_id = v_hold.event_id AND es.seat_id = l.seat_id
  WHERE l.hold_id = v_hold.id
    AND NOT ((es.status = 'HELD' AND es.hold_id = v_hold.id)
             OR es.status = 'AVAILABLE'
             OR (es.status = 'HELD' AND es.held_until <= now()));
  IF v_lost IS NOT NULL THEN
    RETURN jsonb_build_object('outcome', 'LOST', 'refund_id', lose_checkout(p_intent_id, p_gateway_reference), 'amount_minor', v_intent.amount_minor);
  END IF;

  -- General admission: an ACTIVE hold's places move from held to sold; an ended hold's places were
  -- given back and must still be free.
  FOR v_places IN
    SELECT jsonb_build_object('section_id', l.section_id, 'quantity', count(*)::int)
    FROM hold_lines l WHERE l.hold_id = v_hold.id AND l.seat_id IS NULL GROUP BY l.section_id
  LOOP
    v_wanted := (v_places ->> 'quantity')::int;
    UPDATE event_sections x
    SET ga_held = x.ga_held - CASE WHEN v_hold.status = 'ACTIVE' THEN v_wanted ELSE 0 END,
        ga_sold = x.ga_sold + v_wanted, version = x.version + 1
    WHERE x.event_id = v_hold.event_id AND x.section_id = (v_places ->> 'section_id')::uuid
      AND (v_hold.status = 'ACTIVE' OR x.capacity - x.ga_held - x.ga_sold >= v_wanted);
    IF NOT FOUND THEN
      -- Nothing has been written yet in this loop's earlier iterations that should survive: undo by
      -- raising, which rolls the whole statement back, and report LOST to the caller.
      RAISE EXCEPTION 'general admission places gone' USING ERRCODE = 'BO002';
    END IF;
  END LOOP;

  WITH sold AS (
    UPDATE event_seats es
    SET status = 'SOLD', hold_id = v_hold.id, holder_user_id = v_hold.user_id, held_until = NULL,
        version = es.version + 1, updated_at = now()
    FROM hold_lines l
    WHERE l.hold_id = v_hold.id AND es.event_id = v_hold.event_id AND es.seat_id = l.seat_id
    RETURNING es.seat_id, es.section_id
  )
  SELECT coalesce(jsonb_agg(jsonb_build_object('seat_id', sold.seat_id, 'section_id', sold.section_id)), '[]'::jsonb)
  INTO v_seats FROM sold;

  UPDATE holds SET status = 'CONVERTED', ended_at = coalesce(ended_at, now()), request_key = NULL WHERE id = v_hold.id;

  SELECT coalesce(sum((f ->> 'amountMinor')::int), 0)::int INTO v_fees_minor FROM jsonb_array_elements(v_intent.fees) f;
  INSERT INTO orders (id, event_id, user_id, hold_id, status, idempotency_key, currency, subtotal_minor, fees_minor, total_minor)
  VALUES (v_order_id, v_hold.event_id, v_hold.user_id, v_hold.id, 'CONFIRMED', v_intent.idempotency_key, v_intent.currency,
          v_intent.amount_minor - v_fees_minor, v_fees_minor, v_intent.amount_minor);
  INSERT INTO order_lines (order_id, section_id, seat_id, price_minor, currency)
  SELECT v_order_id, l.section_id, l.seat_id, l.price_minor, l.currency FROM hold_lines l WHERE l.hold_id = v_hold.id;
  INSERT INTO fee_lines (order_id, kind, amount_minor, currency)
  SELECT v_order_id, f ->> 'kind', (f ->> 'amountMinor')::int, v_intent.currency FROM jsonb_array_elements(v_intent.fees) f;
  -- UNIQUE (event_id, active_seat_id) is the last line of defence against a double sale.
  INSERT INTO tickets (order_id, event_id, section_id, seat_id, active_seat_id, status, rotation_secret)
  SELECT v_order_id, v_hold.event_id, l.section_id, l.seat_id, l.seat_id, 'VALID',
         replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
  FROM hold_lines l WHERE l.hold_id = v_hold.id;

  UPDATE payment_intents SET status = 'SUCCEEDED', order_id = v_order_id, gateway_reference = p_gateway_reference, updated_at = now()
  WHERE id = p_intent_id;

  WITH event AS (
    INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload)
    VALUES ('OrderConfirmed', 'order', v_order_id::text,
            jsonb_build_object('orderId', v_order_id, 'eventId', v_hold.event_id, 'userId', v_hold.user_id))
    RETURNING id
  )
  INSERT INTO outbox_deliveries (outbox_event_id, consumer) SELECT id, 'email' FROM event;

  -- Search shows sold-out events as such (search_note_sale, migration 20261123200000_search_indexes).
  PERFORM search_note_sale(v_hold.event_id);

  SELECT coalesce(jsonb_agg(jsonb_build_object('section_id', x.section_id, 'quantity', g.quantity,
                                               'available', x.capacity - x.ga_held - x.ga_sold)), '[]'::jsonb)
  INTO v_places
  FROM (SELECT l.section_id, count(*)::int AS quantity FROM hold_lines l
        WHERE l.hold_id = v_hold.id AND l.seat_id IS NULL GROUP BY l.section_id) g
  JOIN event_sections x ON x.event_id = v_hold.event_id AND x.section_id = g.section_id;

  RETURN jsonb_build_object('outcome', 'DONE', 'order_id', v_order_id, 'created', true, 'event_id', v_hold.event_id,
                            'seats', v_seats, 'places', v_places);
EXCEPTION
  -- Everything above is rolled back; the refund owed is recorded after it.
  WHEN SQLSTATE 'BO002' THEN
    RETURN jsonb_build_object('outcome', 'LOST', 'refund_id', lose_checkout(p_intent_id, p_gateway_reference), 'amount_minor', v_intent.amount_minor);
  WHEN unique_violation THEN
    -- The tickets' UNIQUE (event_id, active_seat_id) caught a seat sold twice.
    RETURN jsonb_build_object('outcome', 'LOST', 'refund_id', lose_checkout(p_intent_id, p_gateway_reference), 'amount_minor', v_intent.amount_minor, 'net', true);
END
$$;
