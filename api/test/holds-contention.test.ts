import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test-support/database.js";
import { createEvent, createOrganization, createUsers, createVenue } from "./factories.js";
import { expectConsistentEnd, overlappingRequests, race, watchInvariant } from "./race.js";
import { startTestApi, type TestApi } from "./test-api.js";

// Two API instances (own pools, own Redis connections) on one database and one Redis keyspace, as
// two processes behind a load balancer: the race crosses processes.
let database: TestDatabase;
let apis: TestApi[];

beforeAll(async () => {
  database = await createTestDatabase();
  const redisKeyPrefix = `test:${randomBytes(4).toString("hex")}:`;
  const env = { DATABASE_POOL_SIZE: "10", HOLD_SWEEP_INTERVAL_MS: "0" };
  apis = [await startTestApi({ database, redisKeyPrefix, env }), await startTestApi({ database, redisKeyPrefix, env })];
});
afterAll(async () => {
  for (const api of apis) await api.stop();
  await database.drop();
});

describe("flash on-sale contention", () => {
  it("2,000 fans racing for the same 100 seats never share a seat, and the books balance", { timeout: 120_000 }, async () => {
    const [api] = apis;
    const pool = api!.app.db.pool;
    const venue = await createVenue(pool, { seated: [{ rows: 10, seatsPerRow: 10 }] });
    const eventId = await createEvent(pool, venue, { organizationId: await createOrganization(pool), allowSingleSeatGaps: true, maxSeatsPerUser: 4 });
    const inventory = venue.sections[0]!.seatIds;
    const rows = Array.from({ length: 10 }, (_, row) => inventory.slice(row * 10, row * 10 + 10));
    const fans = await createUsers(api!, 2_000);
    const requests = overlappingRequests(rows, fans.length, 20261123);

    const watcher = watchInvariant(pool, eventId);
    const results = await race(apis.map((each) => each.url), fans, eventId, requests);
    const { samples, violations } = await watcher.stop();

    expect(violations).toEqual([]);
    expect(samples).toBeGreaterThan(3);
    const won = results.filter((result) => result.holdId);
    expect(won.length).toBeGreaterThan(25); // 100 seats in blocks of at most 4
    await expectConsistentEnd(pool, api!.app.redis, api!.app.keys, eventId, inventory, results, { redisMustKnowEveryHold: true });
  });
});
