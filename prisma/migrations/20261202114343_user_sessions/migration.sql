-- Admins manage accounts in the console (issue 25): disabling an account and changing a user's role or
-- organization must end the sessions that user already has. Bearer tokens are stateless, so each carries
-- the user's session_version; API processes refuse tokens older than the current version of users whose
-- sessions changed within a token's lifetime (api/src/auth/auth.sessions.ts), read by the index below.
-- AlterTable
ALTER TABLE "users" ADD COLUMN     "disabled_at" TIMESTAMPTZ(3),
ADD COLUMN     "session_version" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sessions_changed_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "users_sessions_changed_at_idx" ON "users"("sessions_changed_at");

ALTER TABLE "users" ADD CONSTRAINT "users_session_version_check" CHECK ("session_version" >= 0);
