-- Partner webhooks (issue 26 part 4): endpoints with a rotating signing secret, one delivery per
-- (endpoint, partner event) made by the webhook_fanout trigger in the event's own transaction, and a log
-- of every attempt. CHECKs by hand (Prisma cannot say them): event_types non-empty and known, secrets
-- in the whsec_ form, a previous secret always with its expiry, a disabled endpoint always with a reason.
-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "event_types" TEXT[] NOT NULL,
    "secret" TEXT NOT NULL,
    "previous_secret" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_reason" TEXT,
    "created_by_user_id" UUID,
    "created_by_key_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_endpoints_event_types_check" CHECK (cardinality("event_types") > 0 AND "event_types" <@ ARRAY['order.confirmed', 'order.refunded',
        'ticket.voided', 'event.updated', 'event.on_sale', 'section.price_changed', 'event.sold_out']::text[]),
    CONSTRAINT "webhook_endpoints_secret_check" CHECK ("secret" LIKE 'whsec\_%' AND ("previous_secret" IS NULL OR "previous_secret" LIKE 'whsec\_%')),
    CONSTRAINT "webhook_endpoints_previous_secret_check" CHECK (("previous_secret" IS NULL) = ("previous_secret_expires_at" IS NULL)),
    CONSTRAINT "webhook_endpoints_disabled_check" CHECK (("disabled_at" IS NULL) = ("disabled_reason" IS NULL)
        AND ("disabled_reason" IS NULL OR "disabled_reason" IN ('GONE', 'MANUAL')))
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "partner_event_id" BIGINT NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_token" UUID,
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "last_duration_ms" INTEGER,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_deliveries_attempts_check" CHECK ("attempts" >= 0),
    CONSTRAINT "webhook_deliveries_delivered_check" CHECK (("status" = 'DELIVERED') = ("delivered_at" IS NOT NULL))
);

-- CreateTable
CREATE TABLE "webhook_delivery_attempts" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" BIGINT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "status_code" INTEGER,
    "error" TEXT,

    CONSTRAINT "webhook_delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_endpoints_organization_id_created_at_idx" ON "webhook_endpoints"("organization_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_endpoint_id_id_idx" ON "webhook_deliveries"("endpoint_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_id_partner_event_id_key" ON "webhook_deliveries"("endpoint_id", "partner_event_id");

-- CreateIndex
CREATE INDEX "webhook_delivery_attempts_delivery_id_id_idx" ON "webhook_delivery_attempts"("delivery_id", "id");

-- AddForeignKey
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_key_id_fkey" FOREIGN KEY ("created_by_key_id") REFERENCES "partner_api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_partner_event_id_fkey" FOREIGN KEY ("partner_event_id") REFERENCES "partner_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- prisma/sql/functions/webhook_fanout.sql
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

-- prisma/sql/triggers/webhook_fanout.sql
-- One webhook delivery per subscribed endpoint for each new partner event (functions/webhook_fanout.sql).
CREATE OR REPLACE TRIGGER webhook_fanout AFTER INSERT ON partner_events
  FOR EACH ROW EXECUTE FUNCTION webhook_fanout();
