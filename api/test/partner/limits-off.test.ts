/**
 * PARTNER_LIMITS=off, the switch bench:holds uses to measure what metering partner keys costs: no
 * budget is charged (a key past its whole budget is still served) and no `extensions.cost` is answered,
 * but scopes are checked as ever (nothing a key may not call runs).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createOrganization, createUser } from "../support/factories.js";
import { expectOk, startTestApi, type GraphQLResponse, type TestApi } from "../support/test-api.js";

const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key errors { code } } }`;
// Costs 1 + 100 × 2 = 201, more than the whole budget of 100 below: metered, it would be refused (VALIDATION, COST).
const EVENTS = `{ events(first: 100) { edges { node { id name } } } }`;

let api: TestApi;
let key: string;

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", PARTNER_LIMITS: "off", PARTNER_BUDGET_POINTS: "100", PARTNER_BUDGET_WINDOW_SECONDS: "60" } });
  const organizationId = await createOrganization(api.app.db.pool);
  const promoter = await createUser(api, { role: "PROMOTER", organizationId });
  key = expectOk((await api.query(CREATE, { input: { name: "Unmetered", scopes: ["catalogue:read"] } }, promoter.token)).data!.createApiKey).key;
});
afterAll(() => api.stop());

it("serves a key's request costing more than its whole budget, without extensions.cost, and still refuses what its scopes do not cover", async () => {
  for (let request = 0; request < 5; request++) {
    const answer = (await api.query(EVENTS, {}, key)) as GraphQLResponse & { extensions?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toHaveProperty("events");
    expect(answer.extensions).toBeUndefined();
  }
  const before = (await api.app.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM holds`)).rows[0]!.n;
  const refused = await api.query(`mutation { holdSeats(input: { eventId: "00000000-0000-4000-8000-000000000000", quantity: 1 }) { errors { code } } }`, {}, key);
  expect(refused.errors?.map((error) => [error.extensions?.code, error.extensions?.requiredScope])).toEqual([["FORBIDDEN", "holds:write"]]);
  expect(refused.data ?? null).toBeNull();
  expect((await api.app.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM holds`)).rows[0]!.n).toBe(before);
});
