/**
 * The pricing tick over real PostgreSQL and Redis: prices move with demand inside the guardrails, each
 * change is written with its history and search outbox row and published; each section is computed
 * once per tick however many copies race for it; promoter settings and missing signals hold prices.
 */
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test-support/database.js";
import { pricingKeys } from "../src/redis-contract.js";
import { CLAIM_SQL, runOnce } from "../src/tick.js";
import { pricedEvent, prices, sell, states, testPrefix, tickDeps, writeDemand } from "./engine-support.js";

let database: TestDatabase;
let pool: pg.Pool;
let redis: Redis;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 6 });
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
});
// Every test's events end with it, so the next test's ticks compute only its own sections.
afterEach(async () => {
  await pool.query(`UPDATE events SET status = 'ENDED' WHERE status <> 'ENDED'`);
});
afterAll(async () => {
  await pool?.end();
  redis?.disconnect();
  await database?.drop();
});

/** A sale running far ahead of its target: 3/4 of each section sold an hour into a 30-day sale. */
async function hotSale(sections = 2) {
  const event = await pricedEvent(pool, sections);
  for (const seats of event.seats) await sell(pool, event.eventId, seats, 30);
  return event;
}

describe("a pricing tick", () => {
  it("raises a hot section within its step and ceiling, with history, a search outbox row and a published change", async () => {
    const prefix = testPrefix();
    const deps = tickDeps(pool, redis, prefix);
    const { eventId, sectionIds } = await hotSale();
    const now = new Date();
    await writeDemand(redis, prefix, eventId, now, Object.fromEntries(sectionIds.map((id) => [id, { views: 500, holdsPlaced: 60, seatsSold: 30 }])), {
      queueDepth: 200,
    });
    const subscriber = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
    const received: unknown[] = [];
    await subscriber.subscribe(pricingKeys(prefix).sectionPriceChannel(eventId));
    subscriber.on("message", (_channel, message) => received.push(...(JSON.parse(message) as unknown[])));
    const outboxBefore = (await pool.query(`SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = $1`, [eventId])).rows[0].n;

    const result = await runOnce(deps, now);

    expect(result).toMatchObject({ computed: 2, changed: 2, noSignal: 0, statements: 4 });
    const after = await prices(pool, eventId);
    for (const sectionId of sectionIds) {
      expect(after.get(sectionId)).toBeGreaterThan(5000);
      expect(after.get(sectionId)).toBeLessThanOrEqual(5500);
    }
    const { rows: history } = await pool.query(
      `SELECT section_id, price_minor, previous_price_minor, reason, tick, reason_codes, explanation, inputs FROM price_history WHERE event_id = $1 AND reason = 'pricing-engine'`,
      [eventId],
    );
    expect(history).toHaveLength(2);
    for (const row of history) {
      expect(row.previous_price_minor).toBe(5000);
      expect(row.price_minor).toBe(after.get(row.section_id));
      expect(Number(row.tick)).toBe(result.tick);
      expect(row.reason_codes[0]).toBe("RAISED");
      expect(row.explanation).not.toBe("");
      expect(row.inputs).toMatchObject({ capacity: 40, sold: 30, queueDepth: 200 });
    }
    const outboxAfter = (await pool.query(`SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = $1`, [eventId])).rows[0].n;
    expect(outboxAfter).toBeGreaterThan(outboxBefore);
    await expect.poll(() => received.length).toBe(2);
    expect(received).toEqual(expect.arrayContaining(sectionIds.map((sectionId) => ({ eventId, sectionId, priceMinor: after.get(sectionId), currency: "USD" }))));
    subscriber.disconnect();

    // The same tick again (another copy, or this one retrying) computes nothing.
    expect(await runOnce(deps, now)).toMatchObject({ tick: null, computed: 0 });
  });

  it("lowers a section nobody buys, never below its floor", async () => {
    const prefix = testPrefix();
    const deps = tickDeps(pool, redis, prefix);
    // Three quarters of the sale gone and nothing sold.
    const { eventId, sectionIds } = await pricedEvent(pool, 1, { onSaleAt: new Date(Date.now() - 30 * 86_400_000), startsAt: new Date(Date.now() + 10 * 86_400_000) });
    await pool.query(`UPDATE event_sections SET price_floor_minor = 4800 WHERE event_id = $1`, [eventId]);
    let now = Date.now();
    await writeDemand(redis, prefix, eventId, new Date(now), { [sectionIds[0]!]: { views: 10 } });
    const seen: number[] = [];
    for (let tick = 0; tick < 4; tick++) {
      await runOnce(deps, new Date(now));
      seen.push((await prices(pool, eventId)).get(sectionIds[0]!)!);
      now += 60_000;
    }
    expect(seen[0]).toBeLessThan(5000);
    expect(Math.min(...seen)).toBe(4800);
    expect((await states(pool, eventId)).get(sectionIds[0]!)!.last_reason_codes).toContain("FLOOR_APPLIED");
  });

  it("leaves overridden, paused and frozen sections alone, whatever the demand", async () => {
    const prefix = testPrefix();
    const deps = tickDeps(pool, redis, prefix);
    const frozen = await pricedEvent(pool, 1, { startsAt: new Date(Date.now() + 30 * 60_000) });
    for (const seats of frozen.seats) await sell(pool, frozen.eventId, seats, 30);
    const { eventId, sectionIds } = await hotSale(2);
    await pool.query(`UPDATE event_sections SET override_price_minor = 5000, override_reason = 'artist asked' WHERE event_id = $1 AND section_id = $2`, [eventId, sectionIds[0]]);
    await pool.query(`UPDATE event_sections SET pricing_paused = true WHERE event_id = $1 AND section_id = $2`, [eventId, sectionIds[1]]);
    const now = new Date();
    for (const event of [frozen, { eventId, sectionIds }]) {
      await writeDemand(redis, prefix, event.eventId, now, Object.fromEntries(event.sectionIds.map((id) => [id, { views: 900, holdsPlaced: 90 }])), { queueDepth: 500 });
    }

    const result = await runOnce(deps, now);

    expect(result.changed).toBe(0);
    expect([...(await prices(pool, eventId)).values()]).toEqual([5000, 5000]);
    expect([...(await prices(pool, frozen.eventId)).values()]).toEqual([5000]);
    const reasons = await states(pool, eventId);
    expect(reasons.get(sectionIds[0]!)!.last_reason_codes[0]).toBe("OVERRIDE");
    expect(reasons.get(sectionIds[1]!)!.last_reason_codes[0]).toBe("PAUSED");
    expect([...(await states(pool, frozen.eventId)).values()][0]!.last_reason_codes[0]).toBe("FROZEN");
  });

  it("leaves sections without dynamic pricing, and events not on sale, out of the tick", async () => {
    const deps = tickDeps(pool, redis, testPrefix());
    const fixed = await pricedEvent(pool, 1);
    await pool.query(`UPDATE event_sections SET dynamic_pricing = false WHERE event_id = $1`, [fixed.eventId]);
    const scheduled = await pricedEvent(pool, 1, { onSaleAt: new Date(Date.now() + 86_400_000) });
    await pool.query(`UPDATE events SET status = 'SCHEDULED' WHERE id = $1`, [scheduled.eventId]);
    await runOnce(deps, new Date());
    expect((await states(pool, fixed.eventId)).size).toBe(0);
    expect((await states(pool, scheduled.eventId)).size).toBe(0);
  });
});

describe("missing demand signals", () => {
  it("holds prices (NO_SIGNAL) after Redis lost its counters, until a whole minute has been counted again", async () => {
    const prefix = testPrefix();
    const deps = tickDeps(pool, redis, prefix);
    const { eventId, sectionIds } = await hotSale(1);
    const start = new Date();
    await writeDemand(redis, prefix, eventId, start, { [sectionIds[0]!]: { views: 900, holdsPlaced: 90 } });
    // A flush: the counters and the epoch are gone.
    const lost = await redis.keys(`${prefix}*`);
    await redis.del(...lost);

    const first = await runOnce(deps, start);
    expect(first).toMatchObject({ computed: 1, changed: 0, noSignal: 1 });
    expect((await prices(pool, eventId)).get(sectionIds[0]!)).toBe(5000);
    expect((await states(pool, eventId)).get(sectionIds[0]!)!.last_reason_codes[0]).toBe("NO_SIGNAL");

    // Two minutes later a whole minute has been counted since the loss: the engine acts again.
    const later = new Date(start.getTime() + 120_000);
    const second = await runOnce(deps, later);
    expect(second).toMatchObject({ computed: 1, noSignal: 0 });
    expect((await prices(pool, eventId)).get(sectionIds[0]!)).toBeGreaterThan(5000);
  });

  it("holds prices (NO_SIGNAL) while Redis is unreachable, and the tick still completes", async () => {
    const unreachable = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    unreachable.on("error", () => undefined);
    const deps = tickDeps(pool, unreachable, testPrefix());
    const { eventId } = await hotSale(2);
    const result = await runOnce(deps, new Date());
    expect(result).toMatchObject({ computed: 2, changed: 0, noSignal: 2 });
    expect([...(await prices(pool, eventId)).values()]).toEqual([5000, 5000]);
    unreachable.disconnect();
  });
});

describe("copies of the engine", () => {
  it("compute each section once when three copies run the same tick at once", async () => {
    const prefix = testPrefix();
    const { eventId, sectionIds } = await hotSale(6);
    const now = new Date();
    await writeDemand(redis, prefix, eventId, now, Object.fromEntries(sectionIds.map((id) => [id, { views: 300, holdsPlaced: 40 }])));
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: database.url, max: 2 }));
    try {
      const results = await Promise.all(pools.map((copy) => runOnce(tickDeps(copy, redis, prefix), now)));
      expect(results.reduce((sum, result) => sum + result.computed, 0)).toBe(6);
      for (const state of (await states(pool, eventId)).values()) expect(state.computations).toBe(1);
      const { rows } = await pool.query(`SELECT section_id, count(*)::int AS n FROM price_history WHERE event_id = $1 AND reason = 'pricing-engine' GROUP BY 1`, [eventId]);
      expect(rows.every((row) => row.n === 1)).toBe(true);
    } finally {
      await Promise.all(pools.map((copy) => copy.end()));
    }
  });

  it("let another copy compute a tick whose first copy died before committing", async () => {
    const prefix = testPrefix();
    const { eventId } = await hotSale(3);
    const now = new Date();
    const tick = Math.floor(now.getTime() / 60_000);
    // The first copy claims the tick and dies holding the claims (its transaction never commits).
    const dying = new pg.Client({ connectionString: database.url });
    await dying.connect();
    dying.on("error", () => undefined);
    await dying.query("BEGIN");
    const claimed = await dying.query(CLAIM_SQL, [tick, 60_000, now.getTime()]);
    expect(claimed.rows.filter((row) => row.eventId === eventId)).toHaveLength(3);
    const pid = (await dying.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;

    // The second copy waits on those claims; once the first is gone it computes them itself.
    const second = runOnce(tickDeps(pool, redis, prefix), now);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pool.query("SELECT pg_terminate_backend($1)", [pid]);
    const result = await second;
    expect(result.computed).toBeGreaterThanOrEqual(3);
    for (const state of (await states(pool, eventId)).values()) {
      expect(Number(state.last_tick)).toBe(tick);
      expect(state.computations).toBe(1);
    }
    await dying.end().catch(() => undefined);
  });
});
