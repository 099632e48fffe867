-- Partner API keys (issue 26): each key carries Stripe-style scopes that decide which operations it
-- may call (api/src/partner/partner.scopes.ts), the last four characters of the key so lists can tell
-- keys apart without storing the key, and who created it.
-- AlterTable
ALTER TABLE "partner_api_keys" ADD COLUMN     "created_by_user_id" UUID,
ADD COLUMN     "last_four" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "scopes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AddForeignKey
ALTER TABLE "partner_api_keys" ADD CONSTRAINT "partner_api_keys_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "partner_api_keys" ALTER COLUMN "scopes" SET NOT NULL;
ALTER TABLE "partner_api_keys" ADD CONSTRAINT "partner_api_keys_scopes_check"
  CHECK ("scopes" <@ ARRAY['catalogue:read', 'orders:read', 'holds:write', 'webhooks:manage']::text[]);
