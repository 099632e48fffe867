-- The EXISTING outcome of a user's idempotency key (intent_id, hold_id, status, order_id,
-- failure_code), or NULL when the key is new. Read by begin_checkout before and after it locks the hold.
CREATE OR REPLACE FUNCTION checkout_intent_by_key(p_user_id uuid, p_idempotency_key text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('outcome', 'EXISTING', 'intent_id', i.id, 'hold_id', i.hold_id,
    'status', i.status, 'order_id', i.order_id, 'failure_code', i.failure_code)
  FROM payment_intents i WHERE i.user_id = p_user_id AND i.idempotency_key = p_idempotency_key;
$$;
