-- Dynamic pricing (issue 24). Per-section guardrails on event_sections (the flag, maximum step per
-- tick, pause, a promoter's override with its reason) and per-event pacing settings on events (freeze
-- window before the event, target curve, sell-out point); price_history gains who and why (actor,
-- engine tick, reason codes, a one-line explanation, the inputs); section_pricing_state is the
-- engine's per-section claim of each tick (one computation per section per tick across all copies).

-- CreateEnum
CREATE TYPE "PacingCurve" AS ENUM ('FRONT_LOADED', 'LINEAR');

-- DropIndex
DROP INDEX "price_history_event_id_section_id_created_at_idx";

-- AlterTable
ALTER TABLE "event_sections" ADD COLUMN     "dynamic_pricing" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "max_step_basis_points" INTEGER NOT NULL DEFAULT 1000,
ADD COLUMN     "override_price_minor" INTEGER,
ADD COLUMN     "override_reason" TEXT,
ADD COLUMN     "pricing_paused" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "pricing_curve" "PacingCurve" NOT NULL DEFAULT 'FRONT_LOADED',
ADD COLUMN     "pricing_freeze_minutes" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "pricing_sell_out_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "price_history" ADD COLUMN     "actor_user_id" UUID,
ADD COLUMN     "explanation" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "inputs" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "reason_codes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "tick" BIGINT;

-- CreateTable
CREATE TABLE "section_pricing_state" (
    "event_id" UUID NOT NULL,
    "section_id" UUID NOT NULL,
    "last_tick" BIGINT NOT NULL,
    "computations" INTEGER NOT NULL DEFAULT 0,
    "last_reason_codes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "last_explanation" TEXT NOT NULL DEFAULT '',
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "section_pricing_state_pkey" PRIMARY KEY ("event_id","section_id")
);

-- CreateIndex
CREATE INDEX "price_history_event_id_section_id_id_idx" ON "price_history"("event_id", "section_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "price_history_event_id_section_id_tick_key" ON "price_history"("event_id", "section_id", "tick");

-- AddForeignKey
ALTER TABLE "section_pricing_state" ADD CONSTRAINT "section_pricing_state_event_id_section_id_fkey" FOREIGN KEY ("event_id", "section_id") REFERENCES "event_sections"("event_id", "section_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A step is between 0.01% and 50% of the price; an override is a price inside the published range.
ALTER TABLE "event_sections"
  ADD CONSTRAINT "event_sections_max_step_check" CHECK ("max_step_basis_points" BETWEEN 1 AND 5000),
  ADD CONSTRAINT "event_sections_override_check" CHECK ("override_price_minor" IS NULL
    OR ("override_price_minor" BETWEEN "price_floor_minor" AND "price_ceiling_minor" AND "override_reason" IS NOT NULL));
ALTER TABLE "events" ADD CONSTRAINT "events_pricing_freeze_check" CHECK ("pricing_freeze_minutes" >= 0);
