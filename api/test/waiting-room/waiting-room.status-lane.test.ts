/**
 * queueStatus's lane (platform/http-graphql-lanes.ts `FlatQueryLane`, waiting-room.resolver.ts
 * `waitingRoomLanes`) answers the same bytes as graphql-jit's general path. One app, two HTTP servers:
 * the test API's (lanes on) and a second one with GRAPHQL_LANES=off; every request goes to both and
 * the status, content type and body must be byte-equal — for a ticket in every state, for the
 * documents the lane takes (aliases, __typename, named and inline fragments, literal arguments) and
 * for those it leaves to the general path (directives, other root fields, a variable that is not a
 * string), for refusals (bad ids, no such ticket, a bad bearer token) and for a partner key. A spy on
 * the lane says which requests it answered, so a lane that silently declined everything fails too.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createEvent, createOrganization, createUser, createUsers, createVenue } from "../support/factories.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { waitingRoomLanes } from "../../src/waiting-room/waiting-room.resolver.js";

let api: TestApi;
let general: RunningServer;
const lane = vi.spyOn(waitingRoomLanes.queueStatus!, "resolve");

beforeAll(async () => {
  api = await startTestApi({ env: { WAITING_ROOM_TICK_MS: "0", RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: "1000" } });
  general = await startServer({ ...api.app, config: { ...api.app.config, graphqlLanes: false } }, 0);
});
afterAll(async () => {
  await general?.stop();
  await new Promise((resolve) => general?.httpServer.close(resolve));
  await api?.stop();
});

const FIELDS = "queueToken status phase position estimatedWaitSeconds admissionToken admissionExpiresAt outlook presale";
const STATUS = `query($eventId: ID!, $queueToken: String!) { queueStatus(eventId: $eventId, queueToken: $queueToken) { ${FIELDS} } }`;
/** The storefront's poll as Apollo Client sends it: a named fragment and __typename. */
const STOREFRONT = `query QueueStatus($eventId: ID!, $queueToken: String!) {
  queueStatus(eventId: $eventId, queueToken: $queueToken) { ...QueueTicketFields __typename }
}
fragment QueueTicketFields on QueueTicket { ${FIELDS} __typename }`;
const BENCH = `query($eventId: ID!, $queueToken: String!) { queueStatus(eventId: $eventId, queueToken: $queueToken) { position estimatedWaitSeconds } }`;
const ALIASED = `query($eventId: ID!, $queueToken: String!) { ticket: queueStatus(eventId: $eventId, queueToken: $queueToken) {
  where: position  __typename kind: __typename ... on QueueTicket { status wait: estimatedWaitSeconds position } ... { expires: admissionExpiresAt } } }`;
const literal = (eventId: string, queueToken: string) => `{ queueStatus(eventId: "${eventId}", queueToken: "${queueToken}") { status position phase } }`;

/** Documents the lane leaves to the general path (same answers, but graphql-jit writes them). */
const NOT_TAKEN = [
  `query($eventId: ID!, $queueToken: String!, $yes: Boolean!) { queueStatus(eventId: $eventId, queueToken: $queueToken) { position @include(if: $yes) status } }`,
  `query($eventId: ID!, $queueToken: String!) { queueStatus(eventId: $eventId, queueToken: $queueToken) { position } waitingRoom(eventId: $eventId) { enabled } }`,
  `query($eventId: ID!, $queueToken: String) { queueStatus(eventId: $eventId, queueToken: $queueToken) { position } }`,
];

interface Answer {
  status: number;
  type: string | null;
  body: string;
}

async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

/** The same request to both servers: asserts byte-equal answers and returns them, with whether the lane answered. */
async function both(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  lane.mockClear();
  const viaLane = await post(api.url, query, variables, headers);
  const answered = lane.mock.results.length === 1 && (await lane.mock.results[0]!.value) !== null;
  lane.mockClear();
  const viaGeneral = await post(general.url, query, variables, headers);
  expect(lane).not.toHaveBeenCalled();
  expect(viaLane).toEqual(viaGeneral);
  return { answer: viaLane, answered };
}

async function roomEvent(options: { onSaleAt?: Date; maxActive?: number } = {}) {
  const pool = api.app.db.pool;
  const organizationId = await createOrganization(pool);
  const venue = await createVenue(pool, { seated: [], generalAdmission: [1_000] });
  const eventId = await createEvent(pool, venue, { organizationId, onSaleAt: options.onSaleAt ?? new Date(Date.now() - 60_000), allowSingleSeatGaps: true });
  await pool.query(`UPDATE events SET waiting_room_enabled = true, waiting_room_max_active_shoppers = $2 WHERE id = $1`, [eventId, options.maxActive ?? 1]);
  return eventId;
}

const JOIN = `mutation($eventId: ID!) { joinWaitingRoom(eventId: $eventId) { ticket { queueToken } errors { code } } }`;
async function join(eventId: string, token: string): Promise<string> {
  const payload = expectOk((await api.query(JOIN, { eventId }, token)).data!.joinWaitingRoom as { ticket: { queueToken: string }; errors: { code: string }[] });
  return payload.ticket.queueToken;
}

/** Rewrites a ticket's record in Redis (states the scenario does not reach by itself within a test). */
async function rewriteTicket(eventId: string, queueToken: string, change: Record<string, unknown>) {
  const key = api.app.keys.waitingRoom(eventId).tickets;
  const record = JSON.parse((await api.app.redis.hget(key, queueToken))!) as Record<string, unknown>;
  await api.app.redis.hset(key, queueToken, JSON.stringify({ ...record, ...change }));
}

describe("queueStatus's lane", () => {
  it("answers every ticket state byte for byte as the general path, for every document it takes", { timeout: 60_000 }, async () => {
    const eventId = await roomEvent();
    const fans = await createUsers(api, 6);
    const tokens: string[] = [];
    for (const fan of fans) tokens.push(await join(eventId, fan.token));
    await api.app.scheduler.admit(eventId); // tokens[0]: ADMITTED (one active shopper)
    await api.query(`mutation($eventId: ID!, $queueToken: String!) { leaveWaitingRoom(eventId: $eventId, queueToken: $queueToken) { ok } }`, { eventId, queueToken: tokens[1] }, fans[1]!.token);
    await rewriteTicket(eventId, tokens[2]!, { st: "EXPIRED" });
    await rewriteTicket(eventId, tokens[3]!, { st: "USED" });
    await rewriteTicket(eventId, tokens[4]!, { st: "ADMITTED", x: Date.now() - 1_000 }); // an admission that lapsed
    // tokens[5]: WAITING, with a position.

    const preQueueEvent = await roomEvent({ onSaleAt: new Date(Date.now() + 3_600_000) });
    const preQueued = await join(preQueueEvent, fans[0]!.token);
    const soldOutEvent = await roomEvent();
    const soldOutWaiting = await join(soldOutEvent, fans[0]!.token);
    const soldOutExpired = await join(soldOutEvent, fans[1]!.token);
    await rewriteTicket(soldOutEvent, soldOutExpired, { st: "EXPIRED" });
    await api.app.redis.hset(api.app.keys.waitingRoom(soldOutEvent).state, "closed", "1");

    const tickets: [string, string, string][] = [
      ...tokens.map((token): [string, string, string] => [eventId, token, ""]),
      [preQueueEvent, preQueued, ""],
      [soldOutEvent, soldOutWaiting, ""],
      [soldOutEvent, soldOutExpired, ""],
    ];
    const phases = new Set<string>();
    for (const [event, queueToken] of tickets) {
      for (const document of [STATUS, STOREFRONT, BENCH, ALIASED, literal(event, queueToken)]) {
        const { answer, answered } = await both(document, { eventId: event, queueToken });
        expect(answer.status).toBe(200);
        expect(answered).toBe(true);
        const ticket = (JSON.parse(answer.body) as { data: Record<string, Record<string, unknown>> }).data.queueStatus;
        if (ticket?.phase) phases.add(`${ticket.status as string}/${ticket.phase as string}`);
      }
      // Signed in, as the storefront polls: the viewer changes nothing in the answer.
      expect((await both(STOREFRONT, { eventId: event, queueToken }, { authorization: `Bearer ${fans[5]!.token}` })).answered).toBe(true);
    }
    expect([...phases].sort()).toEqual([
      "ADMITTED/ADMITTED",
      "ADMITTED/PURCHASED",
      "EXPIRED/EXPIRED",
      "EXPIRED/SOLD_OUT",
      "LEFT/LEFT",
      "WAITING/PRE_QUEUE",
      "WAITING/WAITING",
    ]);
    // The admitted ticket's answer carries its signed token and expiry.
    const admitted = JSON.parse((await both(STATUS, { eventId, queueToken: tokens[0] })).answer.body) as { data: { queueStatus: Record<string, unknown> } };
    expect(typeof admitted.data.queueStatus.admissionToken).toBe("string");
    expect(admitted.data.queueStatus.admissionExpiresAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("leaves other documents, refusals and callers to the general path, whose answers stay the same", { timeout: 60_000 }, async () => {
    const eventId = await roomEvent();
    const [fan] = await createUsers(api, 1);
    const queueToken = await join(eventId, fan!.token);
    for (const document of NOT_TAKEN) {
      const { answered } = await both(document, { eventId, queueToken, yes: true });
      expect(answered).toBe(false);
    }
    // An ID given as a number is coerced by the general path; the lane takes only strings.
    expect((await both(STATUS, { eventId: 12345, queueToken })).answered).toBe(false);
    expect((await both(STATUS, { eventId, queueToken: 7 })).answered).toBe(false);
    // Refusals: the lane declines and the general path's typed error is the answer.
    for (const variables of [
      { eventId: "not-an-id", queueToken },
      { eventId, queueToken: "no-such-ticket" },
      { eventId, queueToken: "" },
      { eventId: "00000000-0000-4000-8000-000000000000", queueToken },
    ]) {
      const { answer, answered } = await both(STATUS, variables);
      expect(answered).toBe(false);
      expect((JSON.parse(answer.body) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toMatch(/^(VALIDATION|NOT_FOUND)$/);
    }
    // A bad bearer token or Authorization header: refused before any lane, 401 either way.
    for (const authorization of ["Bearer not-a-token", "Basic abc"]) {
      const { answer, answered } = await both(STATUS, { eventId, queueToken }, { authorization });
      expect(answered).toBe(false);
      expect(answer.status).toBe(401);
    }
  });

  it("declines partner keys, whose cost is counted on the general path", { timeout: 30_000 }, async () => {
    const eventId = await roomEvent();
    const [fan] = await createUsers(api, 1);
    const queueToken = await join(eventId, fan!.token);
    const organizationId = await createOrganization(api.app.db.pool);
    const promoter = await createUser(api, { role: "PROMOTER", organizationId });
    const made = await api.query(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key errors { code message } } }`, { input: { name: "lane", scopes: ["holds:write"] } }, promoter.token);
    const key = expectOk(made.data!.createApiKey as { key: string; errors: { code: string }[] }).key;
    lane.mockClear();
    const viaLane = await post(api.url, STATUS, { eventId, queueToken }, { authorization: `Bearer ${key}` });
    expect(await lane.mock.results[0]?.value).toBe(null);
    const viaGeneral = await post(general.url, STATUS, { eventId, queueToken }, { authorization: `Bearer ${key}` });
    // The budget left differs between the two requests (the first spent some); the rest is equal.
    const masked = (answer: Answer) => ({ ...answer, body: answer.body.replace(/"currentlyAvailable":\d+/, '"currentlyAvailable":N') });
    expect(masked(viaLane)).toEqual(masked(viaGeneral));
    expect(viaLane.body).toContain('"extensions":{"cost":');
    expect(viaLane.body).toContain('"status":"WAITING"');
    // A key without holds:write is refused by its scopes before any lane is asked.
    const reader = await api.query(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key errors { code message } } }`, { input: { name: "lane reader", scopes: ["catalogue:read"] } }, promoter.token);
    const readerKey = expectOk(reader.data!.createApiKey as { key: string; errors: { code: string }[] }).key;
    lane.mockClear();
    const refused = await post(api.url, STATUS, { eventId, queueToken }, { authorization: `Bearer ${readerKey}` });
    expect(lane).not.toHaveBeenCalled();
    expect(refused).toEqual(await post(general.url, STATUS, { eventId, queueToken }, { authorization: `Bearer ${readerKey}` }));
    expect(refused.body).toContain('"code":"FORBIDDEN"');
  });
});
