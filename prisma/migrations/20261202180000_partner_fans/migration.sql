-- Partner fans (issue 26, holds:write): a partner's API key acts for accounts of its own, named by the
-- partner's customer id, never for an account someone registered directly (api/src/partner/partner.fans.ts).
-- A partner's fan may carry the email of a direct account, so emails are unique among ordinary
-- accounts only: users_email_key becomes a partial unique index. Prisma's schema cannot say so and its
-- introspection leaves partial indexes out, so schema.prisma no longer declares it. Sign-in,
-- registration and presale matching look up ordinary accounts only. Orders get an index for
-- partnerOrders (by last change).
-- AlterTable
ALTER TABLE "users" ADD COLUMN     "partner_external_id" TEXT,
ADD COLUMN     "partner_organization_id" UUID;

-- CreateIndex
CREATE INDEX "orders_updated_at_id_idx" ON "orders"("updated_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "users_partner_organization_id_partner_external_id_key" ON "users"("partner_organization_id", "partner_external_id");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_partner_organization_id_fkey" FOREIGN KEY ("partner_organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- By hand: emails unique among ordinary accounts only.
DROP INDEX "users_email_key";
CREATE UNIQUE INDEX "users_email_key" ON "users"("email") WHERE "partner_organization_id" IS NULL;

-- By hand: a partner's fan has both partner columns (or neither), is a FAN, belongs to no
-- organization as a member, and an external id is short visible ASCII (it travels in a header).
ALTER TABLE "users" ADD CONSTRAINT "users_partner_fan_check" CHECK (
  ("partner_organization_id" IS NULL) = ("partner_external_id" IS NULL)
  AND ("partner_organization_id" IS NULL OR ("role" = 'FAN' AND "organization_id" IS NULL))
  AND ("partner_external_id" IS NULL OR "partner_external_id" ~ '^[!-~]{1,128}$')
);
