-- Checkout, cancellation and their crash safety. A payment intent is recorded before the gateway is
-- called (begin_checkout); after a successful charge one transaction turns the hold into an order with
-- tickets (finalize_checkout); cancel_order voids tickets and returns seats in one transaction and
-- leaves a pending refund row that the API (or, after a crash, the reconciler) completes at the gateway.
-- Prisma does not introspect functions, so they never show up as drift.

-- AlterTable
ALTER TABLE "payment_intents" ADD COLUMN "fees" JSONB NOT NULL DEFAULT '[]';

-- The EXISTING outcome of a user's idempotency key (intent_id, hold_id, status, order_id,
-- failure_code), or NULL when the key is new.
CREATE FUNCTION checkout_intent_by_key(p_user_id uuid, p_idempotency_key text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('outcome', 'EXISTING', 'intent_id', i.id, 'hold_id', i.hold_id,
    'status', i.status, 'order_id', i.order_id, 'failure_code', i.failure_code)
  FROM payment_intents i WHERE i.user_id = p_user_id AND i.idempotency_key = p_idempotency_key;
$$;

-- Records a payment intent for a live hold of the caller, or says why not. Returns JSON "outcome":
--   CREATED      the new intent (amount_minor, currency);
--   EXISTING     this user already used this idempotency key (intent_id, hold_id, status, order_id, failure_code);
--   NOT_FOUND    no such hold, or not the caller's;
--   ALREADY_PAID the hold was turned into an order under another key (order_id);
--   IN_PROGRESS  another key's payment for this hold is being processed;
--   HOLD_EXPIRED the hold has ended or passed its expiry.
-- The hold row is locked, so two keys racing for one hold cannot both reach the gateway.
CREATE FUNCTION begin_checkout(
  p_intent_id uuid, p_user_id uuid, p_hold_id uuid, p_idempotency_key text, p_gateway text,
  p_fees jsonb, p_fees_minor int
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_existing jsonb;
  v_hold record;
  v_order_id uuid;
BEGIN
  v_existing := checkout_intent_by_key(p_user_id, p_idempotency_key);
  IF v_existing IS NOT NULL THEN
    RETURN v_existing;
  END IF;

  SELECT h.id, h.user_id, h.status, h.expires_at, h.subtotal_minor, h.currency INTO v_hold
  FROM holds h WHERE h.id = p_hold_id FOR UPDATE;
  IF NOT FOUND OR v_hold.user_id <> p_user_id THEN
    RETURN jsonb_build_object('outcome', 'NOT_FOUND');
  END IF;
  -- A request with the same key may have recorded its intent while this one waited for the lock.
  v_existing := checkout_intent_by_key(p_user_id, p_idempotency_key);
  IF v_existing IS NOT NULL THEN
    RETURN v_existing;
  END IF;
  IF v_hold.status = 'CONVERTED' THEN
    SELECT o.id INTO v_order_id FROM orders o WHERE o.hold_id = p_hold_id;
    RETURN jsonb_build_object('outcome', 'ALREADY_PAID', 'order_id', v_order_id);
  END IF;
  IF v_hold.status <> 'ACTIVE' OR v_hold.expires_at <= now() THEN
    RETURN jsonb_build_object('outcome', 'HOLD_EXPIRED', 'expires_at', v_hold.expires_at);
  END IF;
  PERFORM 1 FROM payment_intents i WHERE i.hold_id = p_hold_id AND i.status = 'CREATED';
  IF FOUND THEN
    RETURN jsonb_build_object('outcome', 'IN_PROGRESS');
  END IF;

  BEGIN
    INSERT INTO payment_intents (id, user_id, hold_id, idempotency_key, status, gateway, amount_minor, currency, fees)
    VALUES (p_intent_id, p_user_id, p_hold_id, p_idempotency_key, 'CREATED', p_gateway,
            v_hold.subtotal_minor + p_fees_minor, v_hold.currency, p_fees);
  EXCEPTION WHEN unique_violation THEN
    -- The same key for another hold, inserted a moment ago by a concurrent request.
    RETURN checkout_intent_by_key(p_user_id, p_idempotency_key);
  END;
  RETURN jsonb_build_object('outcome', 'CREATED', 'amount_minor', v_hold.subtotal_minor + p_fees_minor, 'currency', v_hold.currency);
END
$$;

-- Records that a charge cannot become an order (the hold's seats are gone, or the intent had been given
-- up before a late charge landed): the intent becomes REFUNDED with the charge's reference, and a
-- pending refund row is written in the same transaction, so the refund is owed durably before any
-- gateway call; the API or the reconciler completes it. Returns the refund id.
CREATE FUNCTION lose_checkout(p_intent_id uuid, p_gateway_reference text) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
  v_refund_id uuid;
BEGIN
  UPDATE payment_intents SET status = 'REFUNDED', failure_code = 'HOLD_LOST', gateway_reference = p_gateway_reference, updated_at = now()
  WHERE id = p_intent_id AND order_id IS NULL;
  INSERT INTO refunds (payment_intent_id, amount_minor, currency, reason)
  SELECT i.id, i.amount_minor, i.currency, 'HOLD_LOST' FROM payment_intents i WHERE i.id = p_intent_id
  ON CONFLICT (payment_intent_id) DO NOTHING;
  SELECT r.id INTO v_refund_id FROM refunds r WHERE r.payment_intent_id = p_intent_id;
  RETURN v_refund_id;
END
$$;

-- After a successful charge: seats SOLD, the order with its lines, fees and tickets, the intent
-- SUCCEEDED and an outbox row, all in one transaction. Idempotent: a settled intent returns what it
-- became. The seats must still be claimable by the hold: held by it, or free (an expired hold whose
-- seats nobody took since). Otherwise nothing changes and the outcome is LOST (the caller refunds).
-- Returns JSON "outcome": DONE (order_id, created, event_id, seats [{seat_id, section_id}],
-- places [{section_id, quantity, available}]), LOST (seats), or the intent's status when it is
-- FAILED or REFUNDED.
CREATE FUNCTION finalize_checkout(p_intent_id uuid, p_gateway_reference text) RETURNS jsonb
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

-- Cancels a confirmed order before its event starts: tickets VOID (their seats free for sale again),
-- general-admission places back, order CANCELLED, and a refund row whose gateway_reference stays NULL
-- until the gateway confirms. Returns JSON "outcome": CANCELLED (refund_id, payment_intent_id,
-- gateway_reference of the charge, amount_minor, currency, event_id, seats, places), NOT_FOUND,
-- NOT_CONFIRMED (status), STARTED, SCANNED.
CREATE FUNCTION cancel_order(p_order_id uuid) RETURNS jsonb
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
