/**
 * Every SQL statement of pricing. Batch readers take many keys and answer in one statement (the
 * DataLoaders of pricing.loaders.ts call them). Writers take the transaction's client: each change of
 * a section is decided by one conditional UPDATE ... RETURNING on a row locked first (so the price it
 * replaces is known exactly); zero rows means a rule refused it and nothing was written. The trigger
 * on event_sections.price_minor bumps the event's search version and writes its outbox row.
 */
import type pg from "pg";
import type { PacingCurve } from "./pricing.rules.js";

export interface SectionPricingRow {
  eventId: string;
  sectionId: string;
  dynamicPricing: boolean;
  floorMinor: number;
  ceilingMinor: number;
  maxStepBasisPoints: number;
  pricingPaused: boolean;
  overridePriceMinor: number | null;
  currency: string;
}

const SECTION_PRICING_COLUMNS = `x.event_id AS "eventId", x.section_id AS "sectionId", x.dynamic_pricing AS "dynamicPricing",
  x.price_floor_minor AS "floorMinor", x.price_ceiling_minor AS "ceilingMinor", x.max_step_basis_points AS "maxStepBasisPoints",
  x.pricing_paused AS "pricingPaused", x.override_price_minor AS "overridePriceMinor", x.currency`;

/** Pricing rules of every section of the given events. */
export async function findSectionPricingByEventIds(db: pg.Pool, eventIds: readonly string[]): Promise<SectionPricingRow[]> {
  const { rows } = await db.query<SectionPricingRow>(
    `SELECT ${SECTION_PRICING_COLUMNS} FROM event_sections x WHERE x.event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  return rows;
}

export interface EventPricingRow {
  id: string;
  freezeMinutes: number;
  curve: PacingCurve;
  sellOutAt: Date | null;
}

export async function findEventPricingByIds(db: pg.Pool, ids: readonly string[]): Promise<EventPricingRow[]> {
  const { rows } = await db.query<EventPricingRow>(
    `SELECT id, pricing_freeze_minutes AS "freezeMinutes", pricing_curve AS curve, pricing_sell_out_at AS "sellOutAt"
     FROM events WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}

export interface PriceHistoryKey {
  eventId: string;
  sectionId: string;
  /** Rows with a smaller id than this (the cursor), or from the newest. */
  beforeId: string | null;
  limit: number;
}

export interface PriceHistoryRow {
  key: number;
  id: string;
  priceMinor: number;
  previousPriceMinor: number | null;
  reason: string;
  reasonCodes: string[];
  explanation: string;
  createdAt: Date;
}

/** One page (limit + 1 rows, to tell whether more follow) per key, newest first, in one statement. */
export async function findPriceHistoryPages(db: pg.Pool, keys: readonly PriceHistoryKey[]): Promise<PriceHistoryRow[]> {
  const { rows } = await db.query<PriceHistoryRow>(
    `SELECT k.key::int AS key, h.id::text AS id, h.price_minor AS "priceMinor", h.previous_price_minor AS "previousPriceMinor",
            h.reason, coalesce(h.reason_codes, '{}') AS "reasonCodes", h.explanation, h.created_at AS "createdAt"
     FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::int[]) WITH ORDINALITY AS k(event_id, section_id, before_id, lim, key)
     CROSS JOIN LATERAL (
       SELECT * FROM price_history h
       WHERE h.event_id = k.event_id AND h.section_id = k.section_id AND (k.before_id IS NULL OR h.id < k.before_id)
       ORDER BY h.id DESC LIMIT k.lim + 1
     ) h
     ORDER BY k.key, h.id DESC`,
    [keys.map((key) => key.eventId), keys.map((key) => key.sectionId), keys.map((key) => key.beforeId), keys.map((key) => key.limit)],
  );
  return rows;
}

export async function countPriceHistory(db: pg.Pool, eventId: string, sectionId: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM price_history WHERE event_id = $1 AND section_id = $2`,
    [eventId, sectionId],
  );
  return rows[0]!.count;
}

/** The section and what deciding a change needs of its event, locked for the rest of the transaction. */
export interface LockedSection {
  organizationId: string;
  onSaleAt: Date;
  priceMinor: number;
  currency: string;
  floorMinor: number;
  ceilingMinor: number;
  overridePriceMinor: number | null;
}

export async function lockSection(tx: pg.PoolClient, eventId: string, sectionId: string): Promise<LockedSection | null> {
  const { rows } = await tx.query<LockedSection>(
    `SELECT e.organization_id AS "organizationId", e.on_sale_at AS "onSaleAt", x.price_minor AS "priceMinor", x.currency,
            x.price_floor_minor AS "floorMinor", x.price_ceiling_minor AS "ceilingMinor", x.override_price_minor AS "overridePriceMinor"
     FROM event_sections x JOIN events e ON e.id = x.event_id
     WHERE x.event_id = $1 AND x.section_id = $2
     FOR UPDATE OF x`,
    [eventId, sectionId],
  );
  return rows[0] ?? null;
}

/** A section's pricing as the audit log records it (before and after a promoter's change). */
export async function sectionPricingSnapshot(tx: pg.PoolClient, key: { eventId: string; sectionId: string }): Promise<Record<string, unknown>> {
  const { rows } = await tx.query<Record<string, unknown>>(
    `SELECT section_id AS "sectionId", price_minor AS "priceMinor", price_floor_minor AS "floorMinor", price_ceiling_minor AS "ceilingMinor",
            dynamic_pricing AS "dynamicPricing", max_step_basis_points AS "maxStepBasisPoints", pricing_paused AS "pricingPaused",
            override_price_minor AS "overridePriceMinor", override_reason AS "overrideReason"
     FROM event_sections WHERE event_id = $1 AND section_id = $2`,
    [key.eventId, key.sectionId],
  );
  return rows[0]!;
}

/** An event's pacing settings as the audit log records them. */
export async function eventPricingSnapshot(tx: pg.PoolClient, eventId: string): Promise<Record<string, unknown>> {
  const { rows } = await tx.query<Record<string, unknown>>(
    `SELECT pricing_freeze_minutes AS "freezeMinutes", pricing_curve AS curve, pricing_sell_out_at AS "sellOutBy" FROM events WHERE id = $1`,
    [eventId],
  );
  return rows[0]!;
}

export interface UpdatedSection {
  priceMinor: number;
}

/**
 * New public rules; the price is moved into the new range. Refused (no row) when the on-sale is less
 * than 24 hours away, when the floor would be above the ceiling, or when a standing override would
 * fall outside the new range.
 */
export async function updateSectionRules(
  tx: pg.PoolClient,
  key: { eventId: string; sectionId: string },
  change: { dynamicPricing: boolean | null; floorMinor: number | null; ceilingMinor: number | null; maxStepBasisPoints: number | null },
): Promise<UpdatedSection | null> {
  const { rows } = await tx.query<UpdatedSection>(
    `WITH next AS (
       SELECT coalesce($3::int, x.price_floor_minor) AS floor, coalesce($4::int, x.price_ceiling_minor) AS ceiling
       FROM event_sections x WHERE x.event_id = $1 AND x.section_id = $2
     )
     UPDATE event_sections x
     SET dynamic_pricing = coalesce($5::boolean, x.dynamic_pricing),
         max_step_basis_points = coalesce($6::int, x.max_step_basis_points),
         price_floor_minor = next.floor,
         price_ceiling_minor = next.ceiling,
         price_minor = least(greatest(x.price_minor, next.floor), next.ceiling),
         price_updated_at = CASE WHEN x.price_minor BETWEEN next.floor AND next.ceiling THEN x.price_updated_at ELSE now() END,
         version = x.version + 1
     FROM next, events e
     WHERE x.event_id = $1 AND x.section_id = $2 AND e.id = x.event_id
       AND e.on_sale_at >= now() + interval '24 hours'
       AND next.floor <= next.ceiling
       AND (x.override_price_minor IS NULL OR x.override_price_minor BETWEEN next.floor AND next.ceiling)
     RETURNING x.price_minor AS "priceMinor"`,
    [key.eventId, key.sectionId, change.floorMinor, change.ceilingMinor, change.dynamicPricing, change.maxStepBasisPoints],
  );
  return rows[0] ?? null;
}

export async function setPricingPaused(tx: pg.PoolClient, key: { eventId: string; sectionId: string }, paused: boolean): Promise<UpdatedSection | null> {
  const { rows } = await tx.query<UpdatedSection>(
    `UPDATE event_sections SET pricing_paused = $3, version = version + 1
     WHERE event_id = $1 AND section_id = $2 RETURNING price_minor AS "priceMinor"`,
    [key.eventId, key.sectionId, paused],
  );
  return rows[0] ?? null;
}

/** The override and the current price together; refused (no row) outside floor..ceiling. */
export async function overridePrice(
  tx: pg.PoolClient,
  key: { eventId: string; sectionId: string },
  priceMinor: number,
  reason: string,
): Promise<UpdatedSection | null> {
  const { rows } = await tx.query<UpdatedSection>(
    `UPDATE event_sections
     SET override_price_minor = $3, override_reason = $4, price_minor = $3,
         price_updated_at = CASE WHEN price_minor = $3 THEN price_updated_at ELSE now() END,
         version = version + 1
     WHERE event_id = $1 AND section_id = $2 AND $3 BETWEEN price_floor_minor AND price_ceiling_minor
     RETURNING price_minor AS "priceMinor"`,
    [key.eventId, key.sectionId, priceMinor, reason],
  );
  return rows[0] ?? null;
}

export async function clearOverride(tx: pg.PoolClient, key: { eventId: string; sectionId: string }): Promise<UpdatedSection | null> {
  const { rows } = await tx.query<UpdatedSection>(
    `UPDATE event_sections SET override_price_minor = NULL, override_reason = NULL, version = version + 1
     WHERE event_id = $1 AND section_id = $2 RETURNING price_minor AS "priceMinor"`,
    [key.eventId, key.sectionId],
  );
  return rows[0] ?? null;
}

export async function insertPromoterPriceChange(
  tx: pg.PoolClient,
  change: { eventId: string; sectionId: string; priceMinor: number; previousPriceMinor: number; actorUserId: string; reasonCodes: string[]; explanation: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO price_history (event_id, section_id, price_minor, previous_price_minor, reason, actor_user_id, reason_codes, explanation)
     VALUES ($1, $2, $3, $4, 'promoter', $5, $6::text[], $7)`,
    [change.eventId, change.sectionId, change.priceMinor, change.previousPriceMinor, change.actorUserId, change.reasonCodes, change.explanation],
  );
}

export interface LockedEvent {
  organizationId: string;
  onSaleAt: Date;
  startsAt: Date;
}

export async function lockEvent(tx: pg.PoolClient, eventId: string): Promise<LockedEvent | null> {
  const { rows } = await tx.query<LockedEvent>(
    `SELECT organization_id AS "organizationId", on_sale_at AS "onSaleAt", starts_at AS "startsAt" FROM events WHERE id = $1 FOR UPDATE`,
    [eventId],
  );
  return rows[0] ?? null;
}

/**
 * New pacing settings. Refused (no row) when the freeze window changes less than 24 hours before
 * on-sale, or when the sell-out point is not between on-sale and the start.
 */
export async function updateEventPricing(
  tx: pg.PoolClient,
  eventId: string,
  change: { freezeMinutes: number | null; curve: PacingCurve | null; sellOutBy: Date | null },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE events
     SET pricing_freeze_minutes = coalesce($2::int, pricing_freeze_minutes),
         pricing_curve = coalesce($3::"PacingCurve", pricing_curve),
         pricing_sell_out_at = coalesce($4::timestamptz, pricing_sell_out_at)
     WHERE id = $1
       AND ($2::int IS NULL OR $2::int = pricing_freeze_minutes OR on_sale_at >= now() + interval '24 hours')
       AND ($4::timestamptz IS NULL OR ($4::timestamptz > on_sale_at AND $4::timestamptz <= starts_at))`,
    [eventId, change.freezeMinutes, change.curve, change.sellOutBy],
  );
  return rowCount === 1;
}
