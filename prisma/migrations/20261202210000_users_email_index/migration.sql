-- Order search by buyer email (the console, partners) finds partners' fans too: a plain index on
-- users.email beside the partial unique one (ordinary accounts only, migration 20261202180000).
-- CreateIndex
CREATE INDEX "users_email_idx" ON "users"("email");
