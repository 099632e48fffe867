/**
 * A promoter's pricing controls. Each mutation: input checked (pricing.rules.ts) → one PostgreSQL
 * transaction: the section (or event) row locked, the organization checked, one conditional UPDATE
 * ... RETURNING decides, and a changed price writes its price_history row (the trigger on
 * event_sections.price_minor writes the search outbox row) → after commit, a changed price is
 * published on SECTION_PRICE (sectionPriceChanged). Every change writes its audit row (admin.audit.ts)
 * on the same transaction; a refusal writes nothing.
 * Holds keep the price they locked; only new holds see a new price.
 */
import { withResultTransaction } from "../platform/db.js";
import type pg from "pg";
import { recordAudit } from "../admin/admin.audit.js";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import type { Logger } from "../platform/logger.js";
import type { LivePubSub } from "../platform/pubsub.js";
import * as db from "./pricing.db.js";
import {
  checkEventPricingChange,
  checkOverride,
  checkRulesChange,
  isNoChange,
  RULES_FIXED_MESSAGE,
  rulesOpen,
  type EventPricingChange,
  type SectionRulesChange,
} from "./pricing.rules.js";

export interface PricingDependencies {
  pool: pg.Pool;
  pubsub: Pick<LivePubSub, "publishTo">;
  logger: Logger;
}

export type PricingError = "VALIDATION" | "NOT_FOUND" | "FORBIDDEN";
export interface SectionKey {
  eventId: string;
  sectionId: string;
}

interface PriceChange {
  previousPriceMinor: number;
  priceMinor: number;
  currency: string;
  reasonCodes: string[];
  explanation: string;
}

function checkKey(key: SectionKey): Result<SectionKey, "VALIDATION"> {
  if (!isId(key.eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  if (!isId(key.sectionId)) return fail("VALIDATION", "sectionId is not a valid id", "sectionId");
  return ok({ eventId: key.eventId.toLowerCase(), sectionId: key.sectionId.toLowerCase() });
}

/** A transaction that commits only a success (platform/db.ts). */
const transaction = <T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<Result<T, PricingError>>): Promise<Result<T, PricingError>> => withResultTransaction(pool, work);

const money = (minor: number) => (minor / 100).toFixed(2);

/**
 * Runs one section change in a transaction: lock, organization check, `decide` (the conditional
 * update), history for a changed price; publishes after commit.
 */
async function changeSection(
  deps: PricingDependencies,
  viewer: Viewer,
  input: SectionKey,
  action: string,
  decide: (tx: pg.PoolClient, key: SectionKey, locked: db.LockedSection) => Promise<Result<PriceChange | null, PricingError>>,
): Promise<Result<SectionKey, PricingError>> {
  const key = checkKey(input);
  if (!key.ok) return key;
  const outcome = await transaction(deps.pool, async (tx): Promise<Result<PriceChange | null, PricingError>> => {
    const locked = await db.lockSection(tx, key.value.eventId, key.value.sectionId);
    if (!locked) return fail("NOT_FOUND", "no such section for this event", "sectionId");
    if (!canManageOrganization(viewer, locked.organizationId)) return fail("FORBIDDEN", "only the event's promoters may change its prices", "eventId");
    const before = await db.sectionPricingSnapshot(tx, key.value);
    const decided = await decide(tx, key.value, locked);
    if (!decided.ok) return decided;
    if (decided.value) await db.insertPromoterPriceChange(tx, { ...key.value, ...decided.value, actorUserId: viewer.id });
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: locked.organizationId,
      action,
      entityType: "event",
      entityId: key.value.eventId,
      before,
      after: await db.sectionPricingSnapshot(tx, key.value),
    });
    return decided;
  });
  if (!outcome.ok) return outcome;
  if (outcome.value) {
    const { priceMinor, currency } = outcome.value;
    await deps.pubsub
      .publishTo("SECTION_PRICE", key.value.eventId, { ...key.value, priceMinor, currency })
      .catch((error: unknown) => deps.logger.warn({ err: error }, "sectionPriceChanged not published; clients see the price on their next read"));
  }
  return ok(key.value);
}

/** Changes a section's public rules (flag, floor, ceiling, step) until 24 hours before on-sale. */
export function updateSectionPricing(deps: PricingDependencies, viewer: Viewer, input: SectionKey & SectionRulesChange): Promise<Result<SectionKey, PricingError>> {
  const change = checkRulesChange(input);
  if (!change.ok) return Promise.resolve(change);
  if (isNoChange(change.value)) return Promise.resolve(fail("VALIDATION", "give at least one of dynamicPricing, floorMinor, ceilingMinor, maxStepPercent"));
  return changeSection(deps, viewer, input, "section.pricing_update", async (tx, key, locked) => {
    const updated = await db.updateSectionRules(tx, key, change.value);
    if (!updated) {
      if (!rulesOpen(locked.onSaleAt, new Date())) return fail("VALIDATION", RULES_FIXED_MESSAGE);
      const floor = change.value.floorMinor ?? locked.floorMinor;
      const ceiling = change.value.ceilingMinor ?? locked.ceilingMinor;
      if (floor > ceiling) return fail("VALIDATION", `the floor (${money(floor)}) must not be above the ceiling (${money(ceiling)})`, "floorMinor");
      if (locked.overridePriceMinor !== null) {
        return fail("VALIDATION", "the section's price override lies outside the new range; clear or change the override first", "floorMinor");
      }
      return fail("VALIDATION", RULES_FIXED_MESSAGE);
    }
    if (updated.priceMinor === locked.priceMinor) return ok(null);
    return ok({
      previousPriceMinor: locked.priceMinor,
      priceMinor: updated.priceMinor,
      currency: locked.currency,
      reasonCodes: ["RANGE_CHANGED"],
      explanation: `The promoter changed the price range to ${money(change.value.floorMinor ?? locked.floorMinor)}–${money(change.value.ceilingMinor ?? locked.ceilingMinor)}; the price moved into it.`,
    });
  });
}

/** Pauses or resumes the engine for one section (any time; the price stays). */
export function setSectionPricingPaused(deps: PricingDependencies, viewer: Viewer, input: SectionKey & { paused: boolean }): Promise<Result<SectionKey, PricingError>> {
  return changeSection(deps, viewer, input, input.paused ? "section.pricing_pause" : "section.pricing_resume", async (tx, key) => {
    const updated = await db.setPricingPaused(tx, key, input.paused);
    return updated ? ok(null) : fail("NOT_FOUND", "no such section for this event", "sectionId");
  });
}

/** Fixes a section's price (within floor..ceiling) until cleared; the engine leaves it alone meanwhile. */
export function overrideSectionPrice(
  deps: PricingDependencies,
  viewer: Viewer,
  input: SectionKey & { priceMinor: number; reason: string },
): Promise<Result<SectionKey, PricingError>> {
  const checked = checkOverride(input.priceMinor, input.reason);
  if (!checked.ok) return Promise.resolve(checked);
  return changeSection(deps, viewer, input, "section.price_override", async (tx, key, locked) => {
    const updated = await db.overridePrice(tx, key, checked.value.priceMinor, checked.value.reason);
    if (!updated) {
      return fail("VALIDATION", `priceMinor must be within the section's published range, ${money(locked.floorMinor)} to ${money(locked.ceilingMinor)}`, "priceMinor");
    }
    if (updated.priceMinor === locked.priceMinor) return ok(null);
    return ok({
      previousPriceMinor: locked.priceMinor,
      priceMinor: updated.priceMinor,
      currency: locked.currency,
      reasonCodes: ["OVERRIDE"],
      explanation: `Set by the promoter: ${checked.value.reason}`,
    });
  });
}

/** Ends a section's override: the price stays where it is and the engine resumes from it. */
export function clearSectionPriceOverride(deps: PricingDependencies, viewer: Viewer, input: SectionKey): Promise<Result<SectionKey, PricingError>> {
  return changeSection(deps, viewer, input, "section.price_override_clear", async (tx, key) => {
    const updated = await db.clearOverride(tx, key);
    return updated ? ok(null) : fail("NOT_FOUND", "no such section for this event", "sectionId");
  });
}

/** Changes an event's pacing settings (freeze window until 24 hours before on-sale; curve and sell-out point any time). */
export async function updateEventPricing(
  deps: PricingDependencies,
  viewer: Viewer,
  input: { eventId: string } & EventPricingChange,
): Promise<Result<string, PricingError>> {
  if (!isId(input.eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  const eventId = input.eventId.toLowerCase();
  const change = checkEventPricingChange(input);
  if (!change.ok) return change;
  return transaction(deps.pool, async (tx): Promise<Result<string, PricingError>> => {
    const event = await db.lockEvent(tx, eventId);
    if (!event) return fail("NOT_FOUND", "no such event", "eventId");
    if (!canManageOrganization(viewer, event.organizationId)) return fail("FORBIDDEN", "only the event's promoters may change its pricing", "eventId");
    const before = await db.eventPricingSnapshot(tx, eventId);
    if (await db.updateEventPricing(tx, eventId, change.value)) {
      await recordAudit(tx, {
        actorUserId: viewer.id,
        organizationId: event.organizationId,
        action: "event.pricing_update",
        entityType: "event",
        entityId: eventId,
        before,
        after: await db.eventPricingSnapshot(tx, eventId),
      });
      return ok(eventId);
    }
    const { sellOutBy } = change.value;
    if (sellOutBy && (sellOutBy <= event.onSaleAt || sellOutBy > event.startsAt)) {
      return fail("VALIDATION", "sellOutBy must be after the on-sale and no later than the event's start", "sellOutBy");
    }
    return fail("VALIDATION", RULES_FIXED_MESSAGE, "freezeMinutes");
  });
}

/** Number of price changes of a section (PriceChangeConnection.totalCount, read only when selected). */
export function countPriceHistory(pool: pg.Pool, eventId: string, sectionId: string): Promise<number> {
  return db.countPriceHistory(pool, eventId, sectionId);
}
