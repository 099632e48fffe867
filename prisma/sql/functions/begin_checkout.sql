-- Records a payment intent for a live hold of the caller, or says why not. Returns JSON "outcome":
--   CREATED      the new intent (amount_minor, currency);
--   EXISTING     this user already used this idempotency key (intent_id, hold_id, status, order_id, failure_code);
--   NOT_FOUND    no such hold, or not the caller's;
--   ALREADY_PAID the hold was turned into an order under another key (order_id);
--   IN_PROGRESS  another key's payment for this hold is being processed;
--   HOLD_EXPIRED the hold has ended or passed its expiry.
-- The hold row is locked, so two keys racing for one hold cannot both reach the gateway. p_owner names
-- the API process (its process_leases row) that will charge and settle the intent; an intent still
-- CREATED whose owner's lease has lapsed was left by a process that died between charge and commit,
-- and is settled at once by the reconciler or the fan's retry. An intent without an owner is settled
-- after PAYMENT_SETTLE_AFTER_MS.
CREATE OR REPLACE FUNCTION begin_checkout(
  p_intent_id uuid, p_user_id uuid, p_hold_id uuid, p_idempotency_key text, p_gateway text,
  p_fees jsonb, p_fees_minor int, p_owner text DEFAULT NULL
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
    INSERT INTO payment_intents (id, user_id, hold_id, idempotency_key, status, gateway, amount_minor, currency, fees, owner)
    VALUES (p_intent_id, p_user_id, p_hold_id, p_idempotency_key, 'CREATED', p_gateway,
            v_hold.subtotal_minor + p_fees_minor, v_hold.currency, p_fees, p_owner);
  EXCEPTION WHEN unique_violation THEN
    -- The same key for another hold, inserted a moment ago by a concurrent request.
    RETURN checkout_intent_by_key(p_user_id, p_idempotency_key);
  END;
  RETURN jsonb_build_object('outcome', 'CREATED', 'amount_minor', v_hold.subtotal_minor + p_fees_minor, 'currency', v_hold.currency);
END
$$;
