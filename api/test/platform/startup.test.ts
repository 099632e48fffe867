/**
 * A healthy start is quiet: work that begins with the process (the PostgreSQL restart check) waits for
 * Redis to connect instead of failing against a connection that is still opening.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";
import { createRestartWatch } from "../../src/hold/hold.restart.js";
import { createDatabase } from "../../src/platform/db.js";
import { createLogger } from "../../src/platform/logger.js";
import { redisKeys } from "../../src/platform/redis-keys.js";
import { createRedis } from "../../src/platform/redis.js";
import { startScheduler } from "../../src/waiting-room/waiting-room.scheduler.js";
import type { WaitingRoomDependencies } from "../../src/waiting-room/waiting-room.service.js";
import { startChildApi, type ChildApi } from "../support/processes.js";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe("starting the API", () => {
  it("checks for a PostgreSQL restart on a Redis connection that is still opening, without an error", async () => {
    const db = createDatabase(database.url, 2, () => undefined);
    await db.pool.query("SELECT 1"); // a warm pool answers before a new Redis connection is ready
    // As the API makes it: commands fail at once while not connected (no offline queue).
    const redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", "startup-test", () => undefined, false);
    const keys = redisKeys(`test:${randomBytes(4).toString("hex")}:`);
    try {
      expect(redis.status).not.toBe("ready");
      const check = createRestartWatch({ pool: db.pool, redis, keys, layouts: { get: () => Promise.reject(new Error("no event is on sale")) }, logger: createLogger("silent") });
      await expect(check()).resolves.toBe(0);
      const { rows } = await db.pool.query<{ started: string }>("SELECT pg_postmaster_start_time()::text AS started");
      expect(await redis.get(keys.postgresStarted)).toBe(rows[0]!.started);
    } finally {
      redis.disconnect();
      await db.pool.end();
    }
  });

  it("runs the waiting-room scheduler's first pass on a Redis connection that is still opening, without an error", async () => {
    const db = createDatabase(database.url, 2, () => undefined);
    await db.pool.query("SELECT 1");
    const redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", "startup-test", () => undefined, false);
    const keys = redisKeys(`test:${randomBytes(4).toString("hex")}:`);
    // No waiting room is open in this database: the pass takes the leader lock and finds no work,
    // so the parts it would use for an open room are not needed here.
    const deps = { pool: db.pool, redis, keys, logger: createLogger("silent") } as unknown as WaitingRoomDependencies;
    const scheduler = startScheduler(deps, { intervalMs: 0, leaseMs: 5_000 });
    try {
      expect(redis.status).not.toBe("ready");
      await expect(scheduler.run()).resolves.toEqual({ leader: true, admitted: 0, shuffled: 0, closed: 0 });
    } finally {
      await scheduler.stop();
      redis.disconnect();
      await db.pool.end();
    }
  });

  it("logs no warning or error in its first seconds when PostgreSQL and Redis are up", async () => {
    let api: ChildApi | undefined;
    try {
      api = await startChildApi({ DATABASE_URL: database.url, REDIS_KEY_PREFIX: `test:${randomBytes(4).toString("hex")}:`, LOG_LEVEL: "warn" });
      // Past the first sweeper pass (2 s), which runs the restart check again.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(api.output()).toBe("");
    } finally {
      await api?.kill();
    }
  });
});
