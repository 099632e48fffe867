/**
 * One pricing tick (`runOnce`): every dynamically priced section of every on-sale event is computed
 * exactly once per tick across all engine copies, and each change is written with its history in one
 * transaction. Four PostgreSQL statements per tick, whatever the number of sections:
 *
 *   BEGIN
 *   CLAIM   moves each due section's section_pricing_state.last_tick from below T to T and returns it
 *           with everything the decision needs (price, guardrails, sale window, capacity, sold, held).
 *           The moved rows stay locked until COMMIT: a second copy claiming the same tick waits on them,
 *           then finds last_tick = T and skips them; if this copy dies first, its transaction rolls back
 *           and the waiting copy computes them instead. Rows are claimed in key order, so two copies
 *           cannot deadlock on each other.
 *   APPLY   one statement for every decision: each section's last decision (changed or not) on its
 *           state row; each change to event_sections.price_minor, guarded (the price is still the one
 *           decided from, dynamic pricing still on, not paused, no override: a promoter who acted in
 *           between wins); a price_history row per change (unique per section and tick). The existing
 *           trigger bumps the event's search version, which writes the search outbox row.
 *   COMMIT
 *
 * Then the changes are published on each event's price channel (sectionPriceChanged). Redis is read
 * between CLAIM and APPLY (signals.ts); when it is unreachable or lost its counters every section holds
 * its price with NO_SIGNAL. When PostgreSQL fails the whole tick rolls back, and the next tick runs as
 * usual.
 *
 * T is the tick number: milliseconds since the epoch ÷ the interval, from PostgreSQL's clock unless
 * the caller passes `now` (tests, the benchmark), so copies whose clocks disagree still agree on T.
 */
import type { Redis } from "ioredis";
import type pg from "pg";
import type { Logger } from "pino";
import { decide, explain, type Decision, type Guardrails } from "./guardrails.js";
import { pricingKeys, type PricingKeys, type SectionPriceMessage } from "./redis-contract.js";
import { emptyWindow, readDemand, type DemandReading } from "./signals.js";
import { propose, type PacingCurve, type Proposal, type SectionState } from "./strategy.js";

export interface TickDependencies {
  pool: pg.Pool;
  redis: Redis;
  keys: PricingKeys;
  logger: Logger;
  intervalMs: number;
  windowMinutes: number;
}

export interface TickResult {
  /** Null when nothing was due (no section claimed, so PostgreSQL's clock was not read). */
  tick: number | null;
  computed: number;
  changed: number;
  /** Sections held because the demand signals were missing. */
  noSignal: number;
  /** The PostgreSQL statements the tick sent (constant: see the header). */
  statements: number;
  /** Where the tick's time went (ms): CLAIM, the Redis read, the decisions, APPLY + COMMIT. */
  timings: { claim: number; signals: number; decide: number; apply: number };
}

interface ClaimedRow {
  tick: string;
  nowMs: string;
  eventId: string;
  sectionId: string;
  currency: string;
  priceMinor: number;
  floorMinor: number;
  ceilingMinor: number;
  maxStepBasisPoints: number;
  paused: boolean;
  overridePriceMinor: number | null;
  onSaleAt: Date;
  startsAt: Date;
  sellOutBy: Date;
  curve: PacingCurve;
  freezeMinutes: number;
  capacity: number;
  sold: number;
  held: number;
}

/**
 * Claims the due sections for tick $1 (or, when $1 is null, the tick of PostgreSQL's clock with the
 * interval $2) and reads what their decisions need. Seated sections count their seats (the
 * (event_id, section_id) index); general-admission sections have their counters on event_sections.
 */
export const CLAIM_SQL = `
WITH clock AS (
  SELECT coalesce($1::bigint, floor(extract(epoch FROM clock_timestamp()) * 1000 / $2::bigint)::bigint) AS tick,
         coalesce($3::bigint, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) AS now_ms
), due AS (
  SELECT x.event_id, x.section_id
  FROM event_sections x JOIN events e ON e.id = x.event_id
  WHERE x.dynamic_pricing AND event_on_sale(e.status, e.on_sale_at, e.starts_at)
  ORDER BY x.event_id, x.section_id
), claimed AS (
  INSERT INTO section_pricing_state AS s (event_id, section_id, last_tick, computations)
  SELECT due.event_id, due.section_id, clock.tick, 1 FROM due, clock
  ON CONFLICT (event_id, section_id) DO UPDATE
    SET last_tick = EXCLUDED.last_tick, computations = s.computations + 1, computed_at = now()
    WHERE s.last_tick < EXCLUDED.last_tick
  RETURNING s.event_id, s.section_id
)
SELECT clock.tick::text AS "tick", clock.now_ms::text AS "nowMs",
       c.event_id AS "eventId", c.section_id AS "sectionId", x.currency,
       x.price_minor AS "priceMinor", x.price_floor_minor AS "floorMinor", x.price_ceiling_minor AS "ceilingMinor",
       x.max_step_basis_points AS "maxStepBasisPoints", x.pricing_paused AS "paused", x.override_price_minor AS "overridePriceMinor",
       e.on_sale_at AS "onSaleAt", e.starts_at AS "startsAt", coalesce(e.pricing_sell_out_at, e.starts_at) AS "sellOutBy",
       e.pricing_curve AS "curve", e.pricing_freeze_minutes AS "freezeMinutes",
       CASE WHEN s.kind = 'GENERAL_ADMISSION' THEN x.capacity ELSE coalesce(seats.total, 0) END AS "capacity",
       CASE WHEN s.kind = 'GENERAL_ADMISSION' THEN x.ga_sold ELSE coalesce(seats.sold, 0) END AS "sold",
       CASE WHEN s.kind = 'GENERAL_ADMISSION' THEN x.ga_held ELSE coalesce(seats.held, 0) END AS "held"
FROM claimed c
CROSS JOIN clock
JOIN event_sections x ON x.event_id = c.event_id AND x.section_id = c.section_id
JOIN events e ON e.id = c.event_id
JOIN sections s ON s.id = c.section_id
LEFT JOIN LATERAL (
  SELECT count(*) FILTER (WHERE es.status <> 'BLOCKED')::int AS total,
         count(*) FILTER (WHERE es.status = 'SOLD')::int AS sold,
         count(*) FILTER (WHERE es.status = 'HELD' AND es.held_until > now())::int AS held
  FROM event_seats es
  WHERE es.event_id = c.event_id AND es.section_id = c.section_id AND s.kind = 'SEATED'
) seats ON true`;

/** Writes every decision of the tick $2 (JSON array $1) and returns the prices that changed. */
export const APPLY_SQL = `
WITH d AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(
    event_id uuid, section_id uuid, previous int, price int, changed boolean, reasons text[], explanation text, inputs jsonb)
), state AS (
  UPDATE section_pricing_state s SET last_reason_codes = d.reasons, last_explanation = d.explanation
  FROM d WHERE s.event_id = d.event_id AND s.section_id = d.section_id
), moved AS (
  UPDATE event_sections x SET price_minor = d.price, price_updated_at = now(), version = x.version + 1
  FROM d
  WHERE d.changed AND x.event_id = d.event_id AND x.section_id = d.section_id
    AND x.price_minor = d.previous AND x.dynamic_pricing AND NOT x.pricing_paused AND x.override_price_minor IS NULL
    AND d.price BETWEEN x.price_floor_minor AND x.price_ceiling_minor
  RETURNING x.event_id, x.section_id, x.price_minor, x.currency
), history AS (
  INSERT INTO price_history (event_id, section_id, price_minor, previous_price_minor, reason, tick, reason_codes, explanation, inputs)
  SELECT d.event_id, d.section_id, d.price, d.previous, 'pricing-engine', $2::bigint, d.reasons, d.explanation, d.inputs
  FROM d JOIN moved m ON m.event_id = d.event_id AND m.section_id = d.section_id
)
SELECT event_id AS "eventId", section_id AS "sectionId", price_minor AS "priceMinor", currency FROM moved`;

export function createTickDependencies(base: Omit<TickDependencies, "keys"> & { redisKeyPrefix: string }): TickDependencies {
  const { redisKeyPrefix, ...rest } = base;
  return { ...rest, keys: pricingKeys(redisKeyPrefix) };
}

export async function runOnce(deps: TickDependencies, now?: Date): Promise<TickResult> {
  const client = await deps.pool.connect();
  let statements = 0;
  const query = <R extends pg.QueryResultRow>(sql: string, values?: unknown[]) => {
    statements++;
    return client.query<R>(sql, values);
  };
  let changes: SectionPriceMessage[];
  let result: TickResult;
  const timings = { claim: 0, signals: 0, decide: 0, apply: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof timings) => {
    const now = performance.now();
    timings[phase] = now - mark;
    mark = now;
  };
  try {
    await query("BEGIN");
    const nowMs = now?.getTime() ?? null;
    const { rows } = await query<ClaimedRow>(CLAIM_SQL, [nowMs === null ? null : Math.floor(nowMs / deps.intervalMs), deps.intervalMs, nowMs]);
    if (rows.length === 0) {
      await query("COMMIT");
      client.release();
      lap("claim");
      return { tick: null, computed: 0, changed: 0, noSignal: 0, statements, timings };
    }
    lap("claim");
    const tick = Number(rows[0]!.tick);
    const at = new Date(Number(rows[0]!.nowMs));
    const demand = await readDemand(deps.redis, deps.keys, [...new Set(rows.map((row) => row.eventId))], at.getTime(), deps.windowMinutes).catch(
      (error: unknown) => {
        deps.logger.warn({ err: error }, "demand signals unreadable: every section holds its price this tick (NO_SIGNAL)");
        return null;
      },
    );
    lap("signals");
    const decisions = rows.map((row) => decideSection(row, demand, at));
    const applied = JSON.stringify(decisions.map(toApplied));
    lap("decide");
    ({ rows: changes } = await query<SectionPriceMessage>(APPLY_SQL, [applied, tick]));
    await query("COMMIT");
    client.release();
    lap("apply");
    result = {
      tick,
      computed: rows.length,
      changed: changes.length,
      noSignal: decisions.filter((decision) => decision.decision.reasons[0] === "NO_SIGNAL").length,
      statements,
      timings,
    };
    for (const { row, decision, line } of decisions) {
      if (decision.changed) deps.logger.info({ eventId: row.eventId, sectionId: row.sectionId, tick, price: decision.priceMinor, reasons: decision.reasons }, line);
    }
  } catch (error) {
    // The connection may be broken (PostgreSQL gone): it is discarded, not returned to the pool.
    await client.query("ROLLBACK").catch(() => undefined);
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  await publish(deps, changes);
  return result;
}

interface SectionDecision {
  row: ClaimedRow;
  proposal: Proposal | null;
  decision: Decision;
  line: string;
  queueDepth: number;
}

function decideSection(row: ClaimedRow, demand: DemandReading | null, now: Date): SectionDecision {
  const rails: Guardrails = {
    floorMinor: row.floorMinor,
    ceilingMinor: row.ceilingMinor,
    maxStepBasisPoints: row.maxStepBasisPoints,
    paused: row.paused,
    overridePriceMinor: row.overridePriceMinor,
    startsAt: row.startsAt,
    freezeMinutes: row.freezeMinutes,
  };
  let proposal: Proposal | null = null;
  let queueDepth = 0;
  if (demand) {
    const event = demand.byEvent.get(row.eventId);
    queueDepth = event?.queueDepth ?? 0;
    const state: SectionState = {
      now,
      onSaleAt: row.onSaleAt,
      sellOutBy: row.sellOutBy,
      curve: row.curve,
      capacity: row.capacity,
      sold: row.sold,
      held: row.held,
      demand: event?.sections.get(row.sectionId) ?? emptyWindow(demand.minutes),
      queueDepth,
      queueJoinsPerMinute: event?.queueJoinsPerMinute ?? 0,
    };
    proposal = propose(state);
  }
  const decision = decide(row.priceMinor, proposal, rails, now);
  return { row, proposal, decision, line: explain(decision, proposal, queueDepth, rails), queueDepth };
}

function toApplied({ row, proposal, decision, line, queueDepth }: SectionDecision) {
  return {
    event_id: row.eventId,
    section_id: row.sectionId,
    previous: row.priceMinor,
    price: decision.priceMinor,
    changed: decision.changed,
    reasons: decision.reasons,
    explanation: line,
    inputs: {
      capacity: row.capacity,
      sold: row.sold,
      held: row.held,
      queueDepth,
      proposal,
      guardrails: { floorMinor: row.floorMinor, ceilingMinor: row.ceilingMinor, maxStepBasisPoints: row.maxStepBasisPoints },
    },
  };
}

/** sectionPriceChanged for every change, one Redis message per event (the API unpacks arrays). */
async function publish(deps: TickDependencies, changes: readonly SectionPriceMessage[]): Promise<void> {
  const byEvent = new Map<string, SectionPriceMessage[]>();
  for (const change of changes) {
    const list = byEvent.get(change.eventId) ?? [];
    list.push(change);
    byEvent.set(change.eventId, list);
  }
  await Promise.all(
    [...byEvent].map(([eventId, messages]) =>
      deps.redis
        .publish(deps.keys.sectionPriceChannel(eventId), JSON.stringify(messages))
        .catch((error: unknown) => deps.logger.warn({ err: error, eventId }, "price change not published (fans see it on their next read)")),
    ),
  );
}
