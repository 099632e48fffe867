-- The admin console's audit log (issue 25): who changed what, when, before and after, written in the
-- same transaction as the change. And an index on event_seats(seat_id), so removing a venue's seats
-- (a cascade from seats) finds their event rows without scanning event_seats once per seat.

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor_user_id" UUID,
    "organization_id" UUID,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_log_organization_id_id_idx" ON "audit_log"("organization_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_id_idx" ON "audit_log"("entity_type", "entity_id", "id");

-- CreateIndex
CREATE INDEX "event_seats_seat_id_idx" ON "event_seats"("seat_id");
