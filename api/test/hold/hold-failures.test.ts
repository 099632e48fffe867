import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";
import { createEvent, createOrganization, createUser, createUsers, createVenue } from "../support/factories.js";
import { privateRedis, startChildApi } from "../support/processes.js";
import { expectConsistentEnd, HOLD_SEATS as HOLD, overlappingRequests, race, watchInvariant, type RaceResult } from "./race.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function sale(api: TestApi, rowsCount = 5) {
  const pool = api.app.db.pool;
  const venue = await createVenue(pool, { seated: [{ rows: rowsCount, seatsPerRow: 10 }] });
  const eventId = await createEvent(pool, venue, { organizationId: await createOrganization(pool), allowSingleSeatGaps: true, maxSeatsPerUser: 4 });
  const inventory = venue.sections[0]!.seatIds;
  const rows = Array.from({ length: rowsCount }, (_, row) => inventory.slice(row * 10, row * 10 + 10));
  return { pool, eventId, inventory, rows };
}

/** Every held seat asked for again, one seat per new fan: all refused, and each refusal teaches Redis the holder. */
async function askForEveryHeldSeat(apis: TestApi[], eventId: string, won: RaceResult[]) {
  const seats = won.flatMap((result) => result.seatIds);
  const fans = await createUsers(apis[0]!, seats.length);
  const again = await race(apis.map((api) => api.url), fans, eventId, seats.map((seatId) => [seatId]));
  expect(again.every((result) => result.code === "SEAT_UNAVAILABLE")).toBe(true);
}

async function reconnected(apis: TestApi[]): Promise<void> {
  for (let attempt = 0; attempt < 200 && apis.some((api) => api.app.redis.status !== "ready"); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(apis.map((api) => api.app.redis.status)).toEqual(apis.map(() => "ready"));
}

describe("Redis failures mid-sale: PostgreSQL stays the authority", () => {
  it("flushing Redis again and again during a race never gives a seat to two holds, and the claims are rebuilt", { timeout: 120_000 }, async () => {
    const database: TestDatabase = await createTestDatabase();
    const redisKeyPrefix = `test:${randomBytes(4).toString("hex")}:`;
    // Redis stays up here (only emptied), so its commands get seconds rather than the 250 ms fast-path
    // default: on a loaded machine a claim write that timed out would leave a held seat unclaimed at the
    // final check, which is about flushes, not about slow answers (as in hold-contention.test.ts).
    const env = { DATABASE_POOL_SIZE: "10", HOLD_SWEEP_INTERVAL_MS: "0", REDIS_FAST_PATH_TIMEOUT_MS: "5000" };
    const apis = [await startTestApi({ database, redisKeyPrefix, env }), await startTestApi({ database, redisKeyPrefix, env })];
    cleanups.push(async () => {
      for (const api of apis) await api.stop();
      await database.drop();
    });
    const { pool, eventId, inventory, rows } = await sale(apis[0]!);
    const redis = apis[0]!.app.redis;

    let flushing = true;
    let flushes = 0;
    const flusher = (async () => {
      while (flushing) {
        const keys = await redis.keys(`${redisKeyPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        flushes++;
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    })();
    const watcher = watchInvariant(pool, eventId);
    const fans = await createUsers(apis[0]!, 600);
    const results = await race(apis.map((api) => api.url), fans, eventId, overlappingRequests(rows, fans.length, 7));
    flushing = false;
    await flusher;
    const { violations } = await watcher.stop();

    expect(flushes).toBeGreaterThan(5);
    expect(violations).toEqual([]);
    await expectConsistentEnd(pool, redis, apis[0]!.app.keys, eventId, inventory, results, { redisMustKnowEveryHold: false });
    const won = results.filter((result) => result.holdId);
    await askForEveryHeldSeat(apis, eventId, won);
    await expectConsistentEnd(pool, redis, apis[0]!.app.keys, eventId, inventory, results, { redisMustKnowEveryHold: true });
  });

  it("a Redis restart mid-sale (all data lost) neither double-holds nor stalls holds; claims come back afterwards", { timeout: 120_000 }, async () => {
    const redisServer = await privateRedis();
    await redisServer.start();
    const database = await createTestDatabase();
    // A fast-path deadline far longer than the outage phase may take: no request may wait it out.
    const env = { DATABASE_POOL_SIZE: "10", HOLD_SWEEP_INTERVAL_MS: "0", REDIS_URL: redisServer.url, REDIS_FAST_PATH_TIMEOUT_MS: "10000" };
    const redisKeyPrefix = `test:${randomBytes(4).toString("hex")}:`;
    const apis = [await startTestApi({ database, redisKeyPrefix, env }), await startTestApi({ database, redisKeyPrefix, env })];
    cleanups.push(async () => {
      for (const api of apis) await api.stop();
      await redisServer.kill();
      await database.drop();
    });
    const { pool, eventId, inventory, rows } = await sale(apis[0]!);
    const fans = await createUsers(apis[0]!, 900);
    const requests = overlappingRequests(rows, fans.length, 11);
    const watcher = watchInvariant(pool, eventId);

    // A third of the fans with Redis up, a third while it is down, a third after it restarted empty.
    const before = await race(apis.map((api) => api.url), fans.slice(0, 300), eventId, requests.slice(0, 300));
    await redisServer.kill();
    const startedDown = Date.now();
    const during = await race(apis.map((api) => api.url), fans.slice(300, 600), eventId, requests.slice(300, 600));
    const downFor = Date.now() - startedDown;
    await redisServer.start();
    await reconnected(apis);
    const after = await race(apis.map((api) => api.url), fans.slice(600), eventId, requests.slice(600));
    const { violations } = await watcher.stop();

    expect(violations).toEqual([]);
    // PostgreSQL alone kept answering: while Redis was away no request waited for it (one that had waited
    // for its 10 s deadline would have made this phase last longer than that).
    expect(downFor).toBeLessThan(8_000);
    const results = [...before, ...during, ...after];
    await expectConsistentEnd(pool, apis[0]!.app.redis, apis[0]!.app.keys, eventId, inventory, results, { redisMustKnowEveryHold: false });
    await askForEveryHeldSeat(apis, eventId, results.filter((result) => result.holdId));
    await expectConsistentEnd(pool, apis[0]!.app.redis, apis[0]!.app.keys, eventId, inventory, results, { redisMustKnowEveryHold: true });
  });
});

describe("holds while Redis is away", () => {
  it("publish counts recounted in PostgreSQL about once a second per process, not once per hold", { timeout: 60_000 }, async () => {
    const redisServer = await privateRedis();
    await redisServer.start();
    const api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", REDIS_URL: redisServer.url } });
    cleanups.push(async () => {
      await api.stop();
      await redisServer.kill();
    });
    const { eventId, inventory } = await sale(api, 6);
    const fans = await createUsers(api, inventory.length);
    await redisServer.kill();
    api.statements.length = 0;
    const started = Date.now();
    const results = await race([api.url], fans, eventId, inventory.map((seatId) => [seatId]));
    const elapsed = Date.now() - started;

    expect(results.filter((result) => result.holdId).length).toBe(inventory.length);
    // countAvailability reads every seat of the event: a stadium's is ~200,000 rows.
    const recounts = api.statements.filter((sql) => sql.includes("count(*) FILTER (WHERE es.status <> 'BLOCKED')")).length;
    expect(recounts).toBeGreaterThan(0);
    expect(recounts).toBeLessThanOrEqual(Math.ceil(elapsed / 1000) + 1);
  });
});

describe("an API process killed between the Redis claim and the PostgreSQL commit", () => {
  it("leaves only pending claims, which turn no one away: the next fan holds the seats at once, and nothing is held in PostgreSQL", { timeout: 120_000 }, async () => {
    const database = await createTestDatabase();
    const redisKeyPrefix = `test:${randomBytes(4).toString("hex")}:`;
    const api = await startTestApi({ database, redisKeyPrefix, env: { HOLD_SWEEP_INTERVAL_MS: "0" } });
    const doomed = await startChildApi({
      DATABASE_URL: database.url,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      FAILPOINTS: "hold.after-claim",
      // Pending claims of 10 s (default 15 s): still there when checked below even after a stall of the
      // loaded CI machine, yet far shorter than a hold-long claim (600 s).
      HOLD_CLAIM_PENDING_MS: "10000",
    });
    cleanups.push(async () => {
      await doomed.kill();
      await api.stop();
      await database.drop();
    });
    const { eventId, inventory } = await sale(api, 1);
    const seatIds = inventory.slice(0, 2);
    const [victim, next] = [await createUser(api), await createUser(api)];

    const crashed = await fetch(doomed.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${victim.token}` },
      body: JSON.stringify({ query: HOLD, variables: { input: { eventId, seatIds } } }),
    }).then(
      () => "answered",
      () => "connection lost",
    );
    expect(crashed).toBe("connection lost");
    expect(await doomed.exited).toBe("SIGKILL");

    const redis = api.app.redis;
    const claimKeys = seatIds.map((seatId) => api.app.keys.seatClaim(eventId, seatId));
    const ttls = await Promise.all(claimKeys.map((key) => redis.pttl(key)));
    expect(ttls.every((ttl) => ttl > 0 && ttl <= 10_000)).toBe(true); // the dead process's claims are pending, not hold-long
    const { rows } = await api.app.db.pool.query(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1`, [eventId]);
    expect(rows[0].n).toBe(0);

    // The dead request's claims are still there, but pending: PostgreSQL decides, and the seats are free.
    expect(await Promise.all(claimKeys.map((key) => redis.get(key)))).toEqual(seatIds.map(() => expect.stringMatching(new RegExp(`^${victim.id}:.+:pending$`))));
    const hold = expectOk((await api.query(HOLD, { input: { eventId, seatIds } }, next.token)).data!.holdSeats);
    expect(await Promise.all(claimKeys.map((key) => redis.get(key)))).toEqual(seatIds.map(() => `${next.id}:${hold.hold.id}`));
  });
});
