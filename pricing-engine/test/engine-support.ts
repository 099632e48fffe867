/**
 * Fixtures of the pricing engine's tests: a migrated database of their own, an event with dynamically
 * priced sections, demand written into Redis the way the API writes it, and tick dependencies.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { pino } from "pino";
import { createEvent, createOrganization, createVenue } from "../../api/test/support/factories.js";
import { demandField, demandMinute, pricingKeys, QUEUE_JOINS_FIELD, type DemandKind } from "../src/redis-contract.js";
import { createTickDependencies, type TickDependencies } from "../src/tick.js";

export const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

export function testPrefix(): string {
  return `test:${randomBytes(4).toString("hex")}:`;
}

export function tickDeps(pool: pg.Pool, redis: Redis, prefix: string, intervalMs = 60_000): TickDependencies {
  return createTickDependencies({ pool, redis, logger: silent, intervalMs, windowMinutes: 5, redisKeyPrefix: prefix });
}

export interface PricedEvent {
  eventId: string;
  sectionIds: string[];
  /** Seat ids per section, in order. */
  seats: string[][];
}

/**
 * An on-sale event (on sale since an hour ago, starting in 30 days) with `sections` seated sections of
 * 4 × 10 seats at 50.00, dynamically priced between 25.00 and 100.00 with a 10% step.
 */
export async function pricedEvent(pool: pg.Pool, sections = 2, options: { startsAt?: Date; onSaleAt?: Date } = {}): Promise<PricedEvent> {
  const organizationId = await createOrganization(pool);
  const venue = await createVenue(pool, { seated: Array.from({ length: sections }, () => ({ rows: 4, seatsPerRow: 10 })) });
  const eventId = await createEvent(pool, venue, { organizationId, priceMinor: 5000, ...options });
  await pool.query(
    `UPDATE event_sections SET dynamic_pricing = true, price_floor_minor = 2500, price_ceiling_minor = 10000, max_step_basis_points = 1000 WHERE event_id = $1`,
    [eventId],
  );
  return { eventId, sectionIds: venue.sections.map((section) => section.id), seats: venue.sections.map((section) => section.seatIds) };
}

/** Marks the first `count` seats of a section SOLD. */
export async function sell(pool: pg.Pool, eventId: string, seatIds: string[], count: number): Promise<void> {
  await pool.query(`UPDATE event_seats SET status = 'SOLD' WHERE event_id = $1 AND seat_id = ANY($2::uuid[])`, [eventId, seatIds.slice(0, count)]);
}

/**
 * Demand as the API records it, spread over the `minutes` whole minutes before `now`, with the epoch
 * set before them (Redis has kept the counters all along).
 */
export async function writeDemand(
  redis: Redis,
  prefix: string,
  eventId: string,
  now: Date,
  perSection: Record<string, Partial<Record<DemandKind, number>>>,
  options: { minutes?: number; queueJoins?: number; queueDepth?: number } = {},
): Promise<void> {
  const keys = pricingKeys(prefix);
  const minutes = options.minutes ?? 5;
  const current = demandMinute(now.getTime());
  await redis.set(keys.demandEpoch, String((current - minutes - 1) * 60_000));
  for (let minute = current - minutes; minute < current; minute++) {
    const bucket = keys.demandBucket(eventId, minute);
    for (const [sectionId, counts] of Object.entries(perSection)) {
      for (const [kind, count] of Object.entries(counts)) {
        await redis.hincrby(bucket, demandField(sectionId, kind as DemandKind), Math.round(count! / minutes));
      }
    }
    if (options.queueJoins) await redis.hincrby(bucket, QUEUE_JOINS_FIELD, Math.round(options.queueJoins / minutes));
  }
  if (options.queueDepth) {
    await redis.zadd(keys.waitingQueue(eventId), ...Array.from({ length: options.queueDepth }, (_, index) => [index, `fan-${index}`]).flat());
  }
}

export async function prices(pool: pg.Pool, eventId: string): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ section_id: string; price_minor: number }>(`SELECT section_id, price_minor FROM event_sections WHERE event_id = $1`, [eventId]);
  return new Map(rows.map((row) => [row.section_id, row.price_minor]));
}

export async function states(pool: pg.Pool, eventId: string) {
  const { rows } = await pool.query<{ section_id: string; last_tick: string; computations: number; last_reason_codes: string[]; last_explanation: string }>(
    `SELECT section_id, last_tick, computations, last_reason_codes, last_explanation FROM section_pricing_state WHERE event_id = $1`,
    [eventId],
  );
  return new Map(rows.map((row) => [row.section_id, row]));
}
