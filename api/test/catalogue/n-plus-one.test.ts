import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createVenue } from "../support/factories.js";
import { startTestApi, type TestApi } from "../support/test-api.js";

const LISTING = `query($first: Int) { events(first: $first) { edges { node {
  id name venue { id name location { lat lon } sections { id name kind } }
  sections { section { id name } price { amount currency } available total } } } } }`;

let api: TestApi;
beforeAll(async () => {
  // Background jobs off (and the process lease renewed rarely), so every statement counted is the request's.
  api = await startTestApi({
    env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", WAITING_ROOM_TICK_MS: "0", PROCESS_LEASE_MS: "600000" },
  });
  const organizationId = await createOrganization(api.app.db.pool);
  const venues = [];
  for (let index = 0; index < 5; index++) {
    venues.push(await createVenue(api.app.db.pool, { seated: [{ rows: 2, seatsPerRow: 3 }, { rows: 1, seatsPerRow: 4 }], generalAdmission: [20] }));
  }
  for (let index = 0; index < 20; index++) await createEvent(api.app.db.pool, venues[index % 5]!, { organizationId });
});
afterAll(() => api.stop());

async function statementsFor(first: number): Promise<{ count: number; events: number }> {
  api.statements.length = 0;
  const response: any = await api.query(LISTING, { first });
  expect(response.errors).toBeUndefined();
  return { count: api.statements.length, events: response.data.events.edges.length };
}

describe("listing events with venue and sections", () => {
  it("runs a constant number of SQL statements, however many events are listed", async () => {
    await statementsFor(20); // warm the pool and the availability cache
    const one = await statementsFor(1);
    const twenty = await statementsFor(20);
    expect(twenty.events).toBe(20);
    expect(one.events).toBe(1);
    // events page, venues, venue sections, event sections (prices): one statement each; counts come from Redis.
    expect(twenty.count).toBe(4);
    expect(one.count).toBe(twenty.count);
  });

  it("recounts availability for all listed events in one statement when the cache is cold", async () => {
    await clearAvailabilityCache();
    const twenty = await statementsFor(20);
    expect(twenty.count).toBe(5);
  });
});

async function clearAvailabilityCache(): Promise<void> {
  const keys = await api.app.redis.keys(`${api.app.keys.prefix}*:availability`);
  if (keys.length > 0) await api.app.redis.del(...keys);
}
