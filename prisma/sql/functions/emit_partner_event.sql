-- Writes one partner event (partner_events: what webhooks deliver and the `changes` feed lists) in the
-- caller's transaction. Every partner event goes through here so that `txid` is always the writing
-- transaction's own id: pg_current_xact_id() assigns one if the transaction has none yet, before the
-- row's id is drawn. The change feed's gap-free reading depends on it
-- (api/src/partner/partner.changes.db.ts).
CREATE OR REPLACE FUNCTION emit_partner_event(p_org uuid, p_type text, p_subject text, p_data jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_txid xid8 := pg_current_xact_id();
  v_id bigint;
BEGIN
  INSERT INTO partner_events (organization_id, type, subject_id, data, txid)
  VALUES (p_org, p_type, p_subject, p_data, v_txid)
  RETURNING id INTO v_id;
  RETURN v_id;
END
$$;
