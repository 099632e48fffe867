/**
 * A partner key's budget: each request is charged its query cost before it runs (a mutation 10 more
 * per field), the part it did not use is given back, and every answer reports `extensions.cost` as
 * Shopify's API does. An empty budget refuses with RATE_LIMITED and `retryAfterSeconds`, on the direct
 * lane, through Apollo and over graphql-ws alike; each key has its own budget.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUser, createVenue } from "../support/factories.js";
import { collect, expectOk, startTestApi, type TestApi } from "../support/test-api.js";

const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key errors { code } } }`;
// Asks for 50 events with their venue: requested 1 (events) + 50 × (edge + node + venue) and more; the
// database has 3 events, so far less comes back.
const EVENTS = `query Events { events(first: 50) { totalCount edges { node { id name venue { id name } } } } }`;
const BUDGET = 300;

let api: TestApi;
let pool: pg.Pool;
let promoter: { token: string };

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", PARTNER_BUDGET_POINTS: String(BUDGET), PARTNER_BUDGET_WINDOW_SECONDS: "60" } });
  pool = api.app.db.pool;
  const organizationId = await createOrganization(pool);
  promoter = await createUser(api, { role: "PROMOTER", organizationId });
  const venue = await createVenue(pool, { seated: [], generalAdmission: [100] });
  for (let index = 0; index < 3; index++) await createEvent(pool, venue, { organizationId, onSaleAt: new Date(Date.now() - 60_000), allowSingleSeatGaps: true });
});
afterAll(async () => {
  await api.stop();
});

async function makeKey(scopes = ["catalogue:read"]): Promise<string> {
  return expectOk((await api.query(CREATE, { input: { name: "Budget test", scopes } }, promoter.token)).data!.createApiKey).key;
}

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions: Record<string, any> }[]; extensions?: { cost: Cost } };
}
interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

async function direct(query: string, key: string): Promise<Answer> {
  const response = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

async function viaApollo(query: string, key: string): Promise<Answer> {
  const response = await fetch(`${api.url}?query=${encodeURIComponent(query)}`, { headers: { authorization: `Bearer ${key}`, "apollo-require-preflight": "true" } });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

describe("cost accounting", () => {
  it("answers extensions.cost on both paths: charged what was asked, given back what was not returned", async () => {
    const key = await makeKey();
    const first = await direct(EVENTS, key);
    expect(first.status).toBe(200);
    expect(first.body.data.events.edges).toHaveLength(3);
    const cost = first.body.extensions!.cost;
    // 3 edges × (edge, node, venue) + the events object = 10 objects came back.
    expect(cost.actualQueryCost).toBe(10);
    expect(cost.requestedQueryCost).toBeGreaterThan(50);
    expect(cost.throttleStatus).toEqual({ maximumAvailable: BUDGET, currentlyAvailable: BUDGET - 10, restoreRate: BUDGET / 60 });

    const second = await viaApollo(EVENTS, key);
    expect(second.status).toBe(200);
    expect(second.body.extensions!.cost).toMatchObject({ actualQueryCost: 10, throttleStatus: { currentlyAvailable: BUDGET - 20 } });
  });

  it("a mutation costs 10 more than its selection", async () => {
    const key = await makeKey(["holds:write"]);
    const answer = await direct(`mutation { releaseHold(holdId: "00000000-0000-4000-8000-000000000000") { errors { code } } }`, key);
    expect(answer.body.extensions!.cost.requestedQueryCost).toBeGreaterThanOrEqual(10);
    expect(answer.body.extensions!.cost.actualQueryCost).toBeGreaterThanOrEqual(10);
  });

  it("a request costing more than a whole budget is refused before it runs", async () => {
    const key = await makeKey();
    const answer = await direct(`{ events(first: 100) { edges { node { id venue { id } sections { section { id } price { amount } } } } } }`, key);
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: "VALIDATION", reason: "COST", maxCost: BUDGET });
  });
});

describe("an empty budget", () => {
  it("refuses with RATE_LIMITED and retryAfterSeconds on the direct lane, through Apollo and over graphql-ws; another key is untouched", async () => {
    const key = await makeKey();
    const expensive = `{ events(first: 60) { edges { node { id venue { id } } } } }`; // requested > BUDGET / 2
    const first = await direct(expensive, key);
    expect(first.status).toBe(200);
    expect(first.body.extensions!.cost.requestedQueryCost).toBeGreaterThan(BUDGET / 2);
    // Spend the rest with cheap requests until the expensive one no longer fits.
    let refused: Answer | null = null;
    for (let attempt = 0; attempt < 40 && !refused; attempt++) {
      const answer = await direct(expensive, key);
      if (answer.status === 429) refused = answer;
    }
    expect(refused).not.toBeNull();
    expect(refused!.body.errors![0]!.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number), cost: { actualQueryCost: 0 } });
    expect(refused!.body.errors![0]!.extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);

    const apollo = await viaApollo(expensive, key);
    expect(apollo.status).toBe(429);
    expect(apollo.body.errors![0]!.extensions.code).toBe("RATE_LIMITED");

    const socket = collect(api.wsClient(key), `subscription { seatStatusChanged(eventId: "00000000-0000-4000-8000-000000000000") { eventId } }`, {}, 1, 3_000);
    // Whatever is left may still cover a cheap subscription: drain it first with cheap queries.
    for (let attempt = 0; attempt < 200; attempt++) {
      if ((await direct(`{ events(first: 1) { totalCount } }`, key)).status === 429) break;
    }
    await socket.done.catch(() => undefined);
    const drained = collect(api.wsClient(key), `subscription { seatStatusChanged(eventId: "00000000-0000-4000-8000-000000000000") { eventId } }`, {}, 1, 3_000);
    await expect(drained.done).rejects.toThrow(/RATE_LIMITED|points/);

    const other = await direct(expensive, await makeKey());
    expect(other.status).toBe(200);
  });
});
