-- Trigger function of webhook_fanout (prisma/sql/triggers/webhook_fanout.sql): a new partner event
-- becomes one PENDING webhook delivery for every enabled endpoint of its organization subscribed to its
-- type, in the transaction that wrote the event. So a delivery exists exactly when its event committed:
-- none is lost between the change and the delivery workers (api/src/partner/partner.webhooks.worker.ts),
-- and none is made for a change that rolled back. An endpoint registered after the event does not get it.
CREATE OR REPLACE FUNCTION webhook_fanout() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (endpoint_id, partner_event_id)
  SELECT w.id, NEW.id
    FROM webhook_endpoints w
   WHERE w.organization_id = NEW.organization_id AND w.disabled_at IS NULL AND NEW.type = ANY (w.event_types)
  ON CONFLICT (endpoint_id, partner_event_id) DO NOTHING;
  RETURN NULL;
END
$$;
