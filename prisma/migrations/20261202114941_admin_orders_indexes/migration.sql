-- The admin console's orders (api/src/admin/admin.orders.db.ts): a promoter lists an event's orders
-- newest first and exports them as CSV, and an admin lists every order by date or within a date range.
-- (event_id, created_at) serves both "orders of an event" and the event's order by date, so it replaces
-- the index on event_id alone (its leading column answers every lookup that one did). The other searches
-- already have one: buyer email through users' unique email (stored lower-cased), order and ticket ids
-- through their primary keys, a buyer's orders through (user_id, created_at).
-- DropIndex
DROP INDEX "orders_event_id_idx";

-- CreateIndex
CREATE INDEX "orders_event_id_created_at_idx" ON "orders"("event_id", "created_at");

-- CreateIndex
CREATE INDEX "orders_created_at_idx" ON "orders"("created_at");
