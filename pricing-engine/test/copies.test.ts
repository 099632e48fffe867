/**
 * The engine's schedule with several copies and failures: three copies whose clocks disagree compute
 * every section exactly once per tick (ticks numbered by PostgreSQL's clock); a PostgreSQL outage skips
 * ticks without changing a price, and the loop carries on once the server is back.
 */
import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratedDatabaseOn, privatePostgres, waitFor } from "../../api/test/support/processes.js";
import { createTestDatabase, type TestDatabase } from "../../test-support/database.js";
import { startTicking } from "../src/loop.js";
import type { TickResult } from "../src/tick.js";
import { pricedEvent, prices, sell, silent, states, testPrefix, tickDeps, writeDemand } from "./engine-support.js";

let redis: Redis;
beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
});
afterAll(() => redis?.disconnect());

describe("three copies with skewed clocks", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("compute every section once per tick, and miss no tick", { timeout: 60_000 }, async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const { eventId, sectionIds } = await pricedEvent(pool, 4);
    const prefix = testPrefix();
    // One copy's clock runs 900 ms behind, one is right, one runs 700 ms ahead (ticks of 2 s: wide
    // enough that a busy CI machine delaying one copy's timer does not make every copy miss a tick).
    const skews = [-900, 0, 700];
    const results: TickResult[][] = skews.map(() => []);
    const pools = skews.map(() => new pg.Pool({ connectionString: database.url, max: 2 }));
    const copies = skews.map((skew, index) =>
      startTicking(tickDeps(pools[index]!, redis, prefix, 2_000), {
        intervalMs: 2_000,
        settleMs: 100,
        clock: () => Date.now() + skew,
        logger: silent,
        onTick: (result) => results[index]!.push(result),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    await Promise.all(copies.map((copy) => copy.stop()));
    await Promise.all(pools.map((copy) => copy.end()));

    const computedPerTick = new Map<number, number>();
    for (const result of results.flat()) {
      if (result.tick !== null) computedPerTick.set(result.tick, (computedPerTick.get(result.tick) ?? 0) + result.computed);
    }
    const ticks = [...computedPerTick.keys()].sort((a, b) => a - b);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    // Consecutive ticks, none skipped...
    expect(ticks).toEqual(Array.from({ length: ticks.length }, (_, index) => ticks[0]! + index));
    // ...each computed by exactly one copy, for every section.
    for (const tick of ticks) expect(computedPerTick.get(tick), `tick ${tick}`).toBe(sectionIds.length);
    for (const state of (await states(pool, eventId)).values()) {
      expect(state.computations).toBe(ticks.length);
      expect(Number(state.last_tick)).toBe(ticks.at(-1));
    }
    await pool.end();
  });
});

describe("PostgreSQL down", () => {
  it("skips ticks without changing a price, and ticks again once the server is back", { timeout: 90_000 }, async () => {
    const server = await privatePostgres();
    const logged: string[] = [];
    const logger = pino(
      { level: "warn" },
      new Writable({
        write(chunk, _encoding, callback) {
          logged.push(String(chunk));
          callback();
        },
      }),
    );
    const database = await migratedDatabaseOn(server, "pricing_outage");
    const pool = new pg.Pool({ connectionString: database.url, max: 2, connectionTimeoutMillis: 1_000 });
    pool.on("error", () => undefined);
    try {
      const { eventId } = await pricedEvent(pool, 2);
      const results: TickResult[] = [];
      const ticking = startTicking(tickDeps(pool, redis, testPrefix(), 1_000), { intervalMs: 1_000, settleMs: 100, logger, onTick: (result) => results.push(result) });
      await waitFor("a first tick", async () => results.some((result) => result.computed > 0), 10_000);

      await server.crash();
      await waitFor("a failed tick", async () => logged.some((line) => line.includes("pricing tick failed")), 10_000);
      const ticksBefore = results.filter((result) => result.computed > 0).length;
      await server.start();
      await waitFor("a tick after the restart", async () => results.filter((result) => result.computed > 0).length > ticksBefore, 20_000);
      await ticking.stop();

      expect([...(await prices(pool, eventId)).values()]).toEqual([5000, 5000]);
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM price_history WHERE event_id = $1 AND reason = 'pricing-engine'`, [eventId]);
      expect(rows[0].n).toBe(0);
    } finally {
      await pool.end().catch(() => undefined);
      await server.remove();
    }
  });
});

describe("the engine process", () => {
  it("re-prices a hot sale on its own schedule and stops cleanly on SIGTERM", { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const prefix = testPrefix();
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "src/main.ts"], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: { ...process.env, DATABASE_URL: database.url, REDIS_KEY_PREFIX: prefix, PRICING_INTERVAL_MS: "1000", PRICING_SETTLE_MS: "100", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      const { eventId, sectionIds, seats } = await pricedEvent(pool, 2);
      for (const list of seats) await sell(pool, eventId, list, 30);
      await writeDemand(redis, prefix, eventId, new Date(), Object.fromEntries(sectionIds.map((id) => [id, { views: 500, holdsPlaced: 60 }])), { queueDepth: 100 });
      await waitFor("a price change", async () => [...(await prices(pool, eventId)).values()].every((price) => price > 5000), 30_000);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output).toContain("pricing engine running");
      expect(output).toContain("pricing tick");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await pool.end();
      await database.drop();
    }
  });
});
