/**
 * The promoter's pricing rules, checked before anything is written (pure; no I/O). What is public and
 * fixed: a section's dynamic flag, floor, ceiling and maximum step, and the event's freeze window may
 * not change once the on-sale is less than 24 hours away (fans see them before the sale,
 * ../shared/research/WAVE2.md A1). Pause and override may change at any time.
 */
import { fail, ok, type Result } from "../platform/errors.js";

export const PRICE_ACTORS = ["INITIAL", "ENGINE", "PROMOTER"] as const;
export type PriceActor = (typeof PRICE_ACTORS)[number];
export const PACING_CURVES = ["FRONT_LOADED", "LINEAR"] as const;
export type PacingCurve = (typeof PACING_CURVES)[number];

/** price_history.reason as written by the seed, the pricing engine and this domain. */
export const HISTORY_REASON = { INITIAL: "initial", ENGINE: "pricing-engine", PROMOTER: "promoter" } as const satisfies Record<PriceActor, string>;

export function actorOf(reason: string): PriceActor {
  switch (reason) {
    case HISTORY_REASON.INITIAL:
      return "INITIAL";
    case HISTORY_REASON.ENGINE:
      return "ENGINE";
    case HISTORY_REASON.PROMOTER:
      return "PROMOTER";
    default:
      throw new Error(`unknown price_history.reason ${JSON.stringify(reason)}`);
  }
}

/** Rules become public and fixed this long before the on-sale. */
export const RULES_FIXED_BEFORE_ON_SALE_MS = 24 * 3_600_000;
export const RULES_FIXED_MESSAGE =
  "the pricing rules of this event are public and fixed from 24 hours before on-sale; they can no longer be changed (pause or override the price instead)";
export const MAX_STEP_PERCENT = 50;
export const MAX_FREEZE_MINUTES = 7 * 24 * 60;
export const MAX_REASON_LENGTH = 200;
/** The largest price the database holds (int4). */
export const MAX_PRICE_MINOR = 2_147_483_647;

export interface SectionRulesChange {
  dynamicPricing?: boolean | null;
  floorMinor?: number | null;
  ceilingMinor?: number | null;
  maxStepPercent?: number | null;
}

/** The change, checked and in database units; null fields stay as they are. */
export interface CheckedRulesChange {
  dynamicPricing: boolean | null;
  floorMinor: number | null;
  ceilingMinor: number | null;
  maxStepBasisPoints: number | null;
}

const isPrice = (value: number) => Number.isInteger(value) && value > 0 && value <= MAX_PRICE_MINOR;

/** Shape checks that need no stored state; floor ≤ ceiling against stored values is decided by the update. */
export function checkRulesChange(change: SectionRulesChange): Result<CheckedRulesChange, "VALIDATION"> {
  const { floorMinor = null, ceilingMinor = null, maxStepPercent = null, dynamicPricing = null } = change;
  if (floorMinor !== null && !isPrice(floorMinor)) return fail("VALIDATION", "floorMinor must be a whole number of minor units above 0", "floorMinor");
  if (ceilingMinor !== null && !isPrice(ceilingMinor)) return fail("VALIDATION", "ceilingMinor must be a whole number of minor units above 0", "ceilingMinor");
  if (floorMinor !== null && ceilingMinor !== null && floorMinor > ceilingMinor) {
    return fail("VALIDATION", "floorMinor must not be above ceilingMinor", "floorMinor");
  }
  let maxStepBasisPoints: number | null = null;
  if (maxStepPercent !== null) {
    maxStepBasisPoints = Math.round(maxStepPercent * 100);
    if (!Number.isFinite(maxStepPercent) || maxStepPercent <= 0 || maxStepPercent > MAX_STEP_PERCENT || maxStepBasisPoints < 1) {
      return fail("VALIDATION", `maxStepPercent must be above 0 (at least 0.01) and at most ${MAX_STEP_PERCENT}`, "maxStepPercent");
    }
  }
  return ok({ dynamicPricing, floorMinor, ceilingMinor, maxStepBasisPoints });
}

export function isNoChange(change: CheckedRulesChange): boolean {
  return change.dynamicPricing === null && change.floorMinor === null && change.ceilingMinor === null && change.maxStepBasisPoints === null;
}

/** Whether the public rules may still change at `now`. */
export function rulesOpen(onSaleAt: Date, now: Date): boolean {
  return onSaleAt.getTime() - now.getTime() >= RULES_FIXED_BEFORE_ON_SALE_MS;
}

export function checkOverride(priceMinor: number, reason: string): Result<{ priceMinor: number; reason: string }, "VALIDATION"> {
  if (!isPrice(priceMinor)) return fail("VALIDATION", "priceMinor must be a whole number of minor units above 0", "priceMinor");
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_REASON_LENGTH) {
    return fail("VALIDATION", `reason must be 1 to ${MAX_REASON_LENGTH} characters`, "reason");
  }
  return ok({ priceMinor, reason: trimmed });
}

export interface EventPricingChange {
  freezeMinutes?: number | null;
  curve?: PacingCurve | null;
  sellOutBy?: Date | null;
}

export function checkEventPricingChange(change: EventPricingChange): Result<Required<{ [K in keyof EventPricingChange]: EventPricingChange[K] | null }>, "VALIDATION"> {
  const { freezeMinutes = null, curve = null, sellOutBy = null } = change;
  if (freezeMinutes !== null && (!Number.isInteger(freezeMinutes) || freezeMinutes < 0 || freezeMinutes > MAX_FREEZE_MINUTES)) {
    return fail("VALIDATION", `freezeMinutes must be a whole number from 0 to ${MAX_FREEZE_MINUTES}`, "freezeMinutes");
  }
  if (sellOutBy !== null && Number.isNaN(sellOutBy.getTime())) return fail("VALIDATION", "sellOutBy is not a valid time", "sellOutBy");
  return ok({ freezeMinutes, curve, sellOutBy });
}
