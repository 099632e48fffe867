-- Records that a charge cannot become an order (the hold's seats are gone, or the intent had been given
-- up before a late charge landed): the intent becomes REFUNDED with the charge's reference, and a
-- pending refund row is written in the same transaction, so the refund is owed durably before any
-- gateway call; the API or the reconciler completes it. Idempotent (one refund per intent). Returns the
-- refund id.
CREATE OR REPLACE FUNCTION lose_checkout(p_intent_id uuid, p_gateway_reference text) RETURNS uuid
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
