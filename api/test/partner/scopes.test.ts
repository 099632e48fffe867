/**
 * The scope matrix of partner keys: every root field a key may call (SCOPE_OF_FIELD) has a sample
 * operation below, run with a key of each single scope and with a key of none. A field runs only for a
 * key with a scope that allows it; every other key is refused (FORBIDDEN, naming the scope) with
 * nothing changed: the rows of holds, orders, tickets, users, seats and payments and the API's Redis
 * keys are the same before and after. Every root field that is not in SCOPE_OF_FIELD (sign-in, the
 * console, key management, ...) is refused for every key, whatever its scopes.
 *
 * Adding a field to SCOPE_OF_FIELD without a sample here fails the first test: add one to SAMPLES.
 */
import { randomUUID } from "node:crypto";
import { getNamedType, isLeafType, type GraphQLField, type GraphQLObjectType } from "graphql";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCOPE_OF_FIELD, SCOPES, scopesOf, type Scope } from "../../src/partner/partner.scopes.js";
import { createEvent, createOrganization, createUser, createVenue, type VenueFixture } from "../support/factories.js";
import { expectOk, startTestApi, type GraphQLResponse, type TestApi } from "../support/test-api.js";

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key errors { code message } } }`;
const UPSERT_FAN = `mutation($input: UpsertPartnerFanInput!) { upsertPartnerFan(input: $input) { fan { id } errors { code message field } } }`;
const HOLD = `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id } errors { code } } }`;
const CHECKOUT = `mutation($input: CheckoutInput!) { checkout(input: $input) { order { id } errors { code } } }`;
const JOIN = `mutation($eventId: ID!) { joinWaitingRoom(eventId: $eventId) { ticket { queueToken } errors { code message } } }`;

const REDIS_PREFIX = `test:scopes:${randomUUID().slice(0, 8)}:`;
const FAN_ID = "matrix-fan";

let api: TestApi;
let pool: pg.Pool;
/** An on-sale event of the keys' organization, without a waiting room: holds and checkout. */
let eventId: string;
let venueId: string;
let venue: VenueFixture;
let organizationId: string;
let gaSectionId: string;
/** An event of the same organization with a waiting room. */
let roomEventId: string;
/** A key with every scope, acting for the fan: builds what the samples need (holds, orders, queue tickets). */
let writer: string;
const keys = new Map<string, string>();

/** What a sample is run with: its variables, built before the data is counted. */
type Prepare = () => Promise<Record<string, unknown>>;

interface Sample {
  query: string;
  variables?: Prepare;
  /** Runs over graphql-ws. */
  subscription?: boolean;
}

const FAN_HEADERS = { "boxoffice-fan": FAN_ID };

/** A fan holds one hold per event at a time: each prepared hold is on an event of its own. */
async function freshEvent(): Promise<string> {
  return createEvent(pool, venue, { organizationId, onSaleAt: new Date(Date.now() - 60_000), allowSingleSeatGaps: true });
}

async function heldSeat(): Promise<string> {
  const held = await api.query(HOLD, { input: { eventId: await freshEvent(), sectionId: gaSectionId, quantity: 1, requestKey: randomUUID() } }, writer, FAN_HEADERS);
  return expectOk(held.data!.holdSeats as { errors: { code: string }[]; hold: { id: string } }).hold.id;
}

async function paidOrder(): Promise<string> {
  const input = { holdId: await heldSeat(), idempotencyKey: randomUUID(), paymentToken: "tok_visa" };
  const paid = await api.query(CHECKOUT, { input }, writer, FAN_HEADERS);
  return expectOk(paid.data!.checkout as { errors: { code: string }[]; order: { id: string } }).order.id;
}

async function queueToken(): Promise<string> {
  const joined = await api.query(JOIN, { eventId: roomEventId }, writer, FAN_HEADERS);
  return expectOk(joined.data!.joinWaitingRoom as { errors: { code: string }[]; ticket: { queueToken: string } }).ticket.queueToken;
}

/** A webhook endpoint of the organization, made directly: the samples that manage one need its id. */
async function webhookEndpoint(): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO webhook_endpoints (organization_id, url, event_types, secret)
     VALUES ($1, 'https://partner.example.test/hooks', ARRAY['event.updated'], 'whsec_' || encode(sha256(random()::text::bytea), 'base64'))
     RETURNING id::text`,
    [organizationId],
  );
  return rows[0]!.id;
}

/** A delivered webhook (the fan-out trigger makes the delivery; a replay needs one that is not pending). */
async function webhookDelivery(): Promise<string> {
  const endpointId = await webhookEndpoint();
  await pool.query(`SELECT emit_partner_event($1, 'event.updated', $2, '{}'::jsonb)`, [organizationId, eventId]);
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = now() WHERE endpoint_id = $1 RETURNING id::text`,
    [endpointId],
  );
  return rows[0]!.id;
}

/** One sample operation per root field of SCOPE_OF_FIELD. */
const SAMPLES: Record<string, Sample> = {
  // Query
  events: { query: `{ events(first: 5) { totalCount } }` },
  event: { query: `query($id: ID!) { event(id: $id) { id } }`, variables: async () => ({ id: eventId }) },
  venue: { query: `query($id: ID!) { venue(id: $id) { id } }`, variables: async () => ({ id: venueId }) },
  searchEvents: { query: `{ searchEvents(input: { text: "matrix", first: 5 }) { totalCount } }` },
  cities: { query: `{ cities { __typename } }` },
  waitingRoom: { query: `query($eventId: ID!) { waitingRoom(eventId: $eventId) { __typename } }`, variables: async () => ({ eventId: roomEventId }) },
  waitingRoomStats: { query: `query($eventId: ID!) { waitingRoomStats(eventId: $eventId) { __typename } }`, variables: async () => ({ eventId: roomEventId }) },
  waitingRoomChallenge: { query: `query($eventId: ID!) { waitingRoomChallenge(eventId: $eventId) }`, variables: async () => ({ eventId: roomEventId }) },
  queueStatus: {
    query: `query($eventId: ID!, $queueToken: String!) { queueStatus(eventId: $eventId, queueToken: $queueToken) { status } }`,
    variables: async () => ({ eventId: roomEventId, queueToken: await queueToken() }),
  },
  hold: { query: `query($id: ID!) { hold(id: $id) { id } }`, variables: async () => ({ id: await heldSeat() }) },
  myOrders: { query: `{ myOrders(first: 5) { totalCount } }` },
  viewer: { query: `{ viewer { id } }` },
  order: { query: `query($id: ID!) { order(id: $id) { id status } }`, variables: async () => ({ id: await paidOrder() }) },
  partnerOrders: { query: `{ partnerOrders(first: 5) { totalCount edges { node { id } } } }` },
  changes: { query: `{ changes(first: 5) { edges { node { id type } } pageInfo { endCursor } } }` },
  webhookEndpoints: { query: `{ webhookEndpoints { id url } }` },
  webhookDeliveries: {
    query: `query($id: ID!) { webhookDeliveries(endpointId: $id, first: 5) { edges { node { id status } } } }`,
    variables: async () => ({ id: await webhookEndpoint() }),
  },
  // Mutation
  upsertPartnerFan: {
    query: UPSERT_FAN,
    variables: async () => ({ input: { externalId: `matrix-${randomUUID()}`, email: "matrix@example.test", name: "Matrix Fan" } }),
  },
  joinWaitingRoom: { query: JOIN, variables: async () => ({ eventId: roomEventId }) },
  createWebhookEndpoint: {
    query: `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } secret errors { code } } }`,
    variables: async () => ({ input: { url: "https://partner.example.test/hooks", eventTypes: ["event.updated"], description: "matrix" } }),
  },
  updateWebhookEndpoint: {
    query: `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { endpoint { id } errors { code } } }`,
    variables: async () => ({ input: { id: await webhookEndpoint(), description: "renamed" } }),
  },
  rotateWebhookSecret: { query: `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret errors { code } } }`, variables: async () => ({ id: await webhookEndpoint() }) },
  deleteWebhookEndpoint: { query: `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { deletedId errors { code } } }`, variables: async () => ({ id: await webhookEndpoint() }) },
  replayWebhookDelivery: {
    query: `mutation($id: ID!) { replayWebhookDelivery(id: $id) { delivery { id status } errors { code } } }`,
    variables: async () => ({ id: await webhookDelivery() }),
  },
  sendTestWebhook: {
    query: `mutation($id: ID!) { sendTestWebhook(id: $id) { webhookId statusCode error errors { code } } }`,
    variables: async () => ({ id: await webhookEndpoint() }),
  },
  leaveWaitingRoom: {
    query: `mutation($eventId: ID!, $queueToken: String!) { leaveWaitingRoom(eventId: $eventId, queueToken: $queueToken) { errors { code } } }`,
    variables: async () => ({ eventId: roomEventId, queueToken: await queueToken() }),
  },
  holdSeats: {
    query: HOLD,
    variables: async () => ({ input: { eventId: await freshEvent(), sectionId: gaSectionId, quantity: 1, requestKey: randomUUID() } }),
  },
  releaseHold: { query: `mutation($id: ID!) { releaseHold(holdId: $id) { ok errors { code } } }`, variables: async () => ({ id: await heldSeat() }) },
  checkout: {
    query: CHECKOUT,
    variables: async () => ({ input: { holdId: await heldSeat(), idempotencyKey: randomUUID(), paymentToken: "tok_visa" } }),
  },
  cancelOrder: { query: `mutation($id: ID!) { cancelOrder(orderId: $id) { order { id status } errors { code } } }`, variables: async () => ({ id: await paidOrder() }) },
  // Subscription
  seatStatusChanged: { query: `subscription($eventId: ID!) { seatStatusChanged(eventId: $eventId) { eventId } }`, variables: async () => ({ eventId }), subscription: true },
  sectionPriceChanged: { query: `subscription($eventId: ID!) { sectionPriceChanged(eventId: $eventId) { __typename } }`, variables: async () => ({ eventId }), subscription: true },
  queuePositionChanged: {
    query: `subscription($eventId: ID!, $queueToken: String!) { queuePositionChanged(eventId: $eventId, queueToken: $queueToken) { status } }`,
    variables: async () => ({ eventId: roomEventId, queueToken: await queueToken() }),
    subscription: true,
  },
};

/** Error codes that say the sample itself is wrong (or the API broke), not the key. */
const BROKEN = ["GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT", "INTERNAL_SERVER_ERROR"];

/** What the samples could change: the rows of the tables they write, and the API's Redis keys. */
async function snapshot(): Promise<Record<string, unknown>> {
  const { rows } = await pool.query(`SELECT
      (SELECT md5(coalesce(string_agg(h::text, '|' ORDER BY h.id), '')) FROM holds h) AS holds,
      (SELECT md5(coalesce(string_agg(o::text, '|' ORDER BY o.id), '')) FROM orders o) AS orders,
      (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM tickets t) AS tickets,
      (SELECT md5(coalesce(string_agg(u::text, '|' ORDER BY u.id), '')) FROM users u) AS users,
      (SELECT md5(coalesce(string_agg(s::text, '|' ORDER BY s.event_id, s.seat_id), '')) FROM event_seats s) AS seats,
      (SELECT md5(coalesce(string_agg(i::text, '|' ORDER BY i.id), '')) FROM payment_intents i) AS intents,
      (SELECT md5(coalesce(string_agg(w::text, '|' ORDER BY w.id), '')) FROM webhook_endpoints w) AS endpoints,
      (SELECT md5(coalesce(string_agg(d::text, '|' ORDER BY d.id), '')) FROM webhook_deliveries d) AS deliveries,
      (SELECT count(*)::int FROM partner_api_keys) AS keys`);
  // What the API writes on its own, after a request or on a timer, is not data a request changed: the
  // seat-availability cache, demand and trending counters (batched after holds), the waiting-room
  // scheduler's lease, state and admissions (queue → active), and rate-limit buckets (they expire on their
  // own; a refused request is never charged: budget.test.ts). A join or leave shows in wr:tickets/users/seq.
  const names = (await api.app.redis.keys(`${REDIS_PREFIX}*`))
    .filter((key) => !/:availability(:refresh)?$|:demand:|\{trending\}|:leader$|:wr:(state|queue|active)$|:rate:/.test(key))
    .sort();
  const redis: Record<string, string> = {};
  for (const name of names) {
    const type = await api.app.redis.type(name);
    const size = type === "hash" ? await api.app.redis.hlen(name) : type === "zset" ? await api.app.redis.zcard(name) : type === "set" ? await api.app.redis.scard(name) : type === "list" ? await api.app.redis.llen(name) : await api.app.redis.get(name);
    redis[name] = `${type}:${String(size)}`;
  }
  return { ...rows[0], redis };
}

type Outcome = { refused: false; response: GraphQLResponse } | { refused: true; error: { message: string; extensions?: Record<string, unknown> } };

/**
 * Runs a sample with a key: the gate's refusal, or the response (whatever the field itself answered).
 * A subscription that neither answers nor fails counts as running after a while: 400 ms when it should
 * run (lateness cannot fail that case), 15 s when it should be refused, so a refusal delayed by a stall
 * of the loaded machine is still seen as one.
 */
async function run(sample: Sample, key: string, variables: Record<string, unknown>, asFan: boolean, refusalExpected: boolean): Promise<Outcome> {
  if (!sample.subscription) {
    const response = await api.query(sample.query, variables, key, asFan ? FAN_HEADERS : undefined);
    const refusal = response.errors?.find((error) => error.extensions?.requiredScopes !== undefined);
    return refusal ? { refused: true, error: refusal } : { refused: false, response };
  }
  const client = api.wsClient(key, undefined, asFan ? FAN_HEADERS : undefined);
  try {
    return await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => resolve({ refused: false, response: {} }), refusalExpected ? 15_000 : 400);
      client.subscribe(
        { query: sample.query, variables },
        {
          next: (message) => {
            clearTimeout(timer);
            resolve({ refused: false, response: message as GraphQLResponse });
          },
          error: (error) => {
            clearTimeout(timer);
            const first = Array.isArray(error) ? (error[0] as { message: string; extensions?: Record<string, unknown> }) : { message: String(error) };
            resolve(first.extensions?.requiredScopes !== undefined ? { refused: true, error: first } : { refused: false, response: { errors: [first] } });
          },
          complete: () => undefined,
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/** The keys of the matrix: none, then each single scope. */
const KEY_SCOPES: { name: string; scopes: Scope[] }[] = [{ name: "no scope", scopes: [] }, ...SCOPES.map((scope) => ({ name: scope, scopes: [scope] }))];

beforeAll(async () => {
  api = await startTestApi({ redisKeyPrefix: REDIS_PREFIX, env: {
      HOLD_SWEEP_INTERVAL_MS: "0",
      RECONCILE_INTERVAL_MS: "0",
      OUTBOX_POLL_INTERVAL_MS: "0",
      // The samples join the waiting room for one fan many times.
      WAITING_ROOM_JOINS_PER_ACCOUNT_PER_MINUTE: "10000",
      WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: "10000",
    },
  });
  pool = api.app.db.pool;
  organizationId = await createOrganization(pool);
  const promoter = await createUser(api, { role: "PROMOTER", organizationId });
  venue = await createVenue(pool, { seated: [{ rows: 1, seatsPerRow: 4 }], generalAdmission: [200] });
  venueId = venue.id;
  gaSectionId = venue.sections[1]!.id;
  eventId = await createEvent(pool, venue, { organizationId, onSaleAt: new Date(Date.now() - 60_000), allowSingleSeatGaps: true });
  roomEventId = await createEvent(pool, venue, { organizationId, onSaleAt: new Date(Date.now() - 60_000) });
  await pool.query(`UPDATE events SET waiting_room_enabled = true, waiting_room_max_active_shoppers = 1000 WHERE id = $1`, [roomEventId]);
  const make = async (scopes: string[]) => {
    const made = await api.query(CREATE_KEY, { input: { name: `matrix ${scopes.join(" ") || "none"}`, scopes: scopes.length > 0 ? scopes : ["catalogue:read"] } }, promoter.token);
    const key = expectOk(made.data!.createApiKey as { key: string; errors: { code: string }[] }).key;
    // A key without any scope cannot be made through the API (VALIDATION); one whose scopes were all
    // taken away is still possible in the table, and must be refused everything.
    if (scopes.length === 0) await pool.query(`UPDATE partner_api_keys SET scopes = '{}' WHERE name = 'matrix none'`);
    return key;
  };
  writer = await make([...SCOPES]);
  for (const { name, scopes } of KEY_SCOPES) keys.set(name, await make(scopes));
  expectOk((await api.query(UPSERT_FAN, { input: { externalId: FAN_ID, email: "matrix-fan@example.test", name: "Matrix Fan" } }, writer)).data!.upsertPartnerFan);
});
afterAll(async () => {
  await api?.stop();
});

describe("the scope matrix", () => {
  it("has a sample for every field a key may call, and every such field exists", () => {
    const schema = api.server.schema;
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) => Object.keys(type?.getFields() ?? {}));
    expect(Object.keys(SCOPE_OF_FIELD).filter((field) => !(field in SAMPLES)), "fields of SCOPE_OF_FIELD without a sample in SAMPLES").toEqual([]);
    expect(Object.keys(SAMPLES).filter((field) => !(field in SCOPE_OF_FIELD)), "samples of fields keys may not call").toEqual([]);
    expect(Object.keys(SCOPE_OF_FIELD).filter((field) => !roots.includes(field)), "fields of SCOPE_OF_FIELD missing from the schema").toEqual([]);
  });

  for (const field of Object.keys(SAMPLES)) {
    it(`${field}: runs only for a key with ${scopesOf(field).join(" or ")}; refused with nothing changed otherwise`, { timeout: 30_000 }, async () => {
      const sample = SAMPLES[field]!;
      for (const { name, scopes } of KEY_SCOPES) {
        const allowed = scopesOf(field).some((scope) => scopes.includes(scope));
        // A key with holds:write acts for the fan (only such a key may); the others call as themselves.
        const asFan = scopes.includes("holds:write");
        const variables = (await sample.variables?.()) ?? {};
        const before = await snapshot();
        const outcome = await run(sample, keys.get(name)!, variables, asFan, !allowed);
        if (allowed) {
          expect(outcome.refused, `${field} with a ${name} key: ${JSON.stringify(outcome)}`).toBe(false);
          // It ran: no broken sample (a document the schema refuses) hides behind "not refused".
          if (!outcome.refused) {
            expect(outcome.response.errors?.filter((error) => BROKEN.includes(error.extensions?.code ?? "")) ?? [], `${field} with a ${name} key`).toEqual([]);
            if (!sample.subscription) expect(outcome.response.data === undefined, `${field} with a ${name} key answered no data`).toBe(false);
          }
          continue;
        }
        expect(outcome.refused, `${field} with a ${name} key ran: ${JSON.stringify(outcome)}`).toBe(true);
        if (!outcome.refused) continue;
        expect(outcome.error.extensions).toMatchObject({ code: "FORBIDDEN", field, requiredScopes: scopesOf(field), requiredScope: scopesOf(field)[0] });
        expect(outcome.error.message).toContain(scopesOf(field)[0]);
        expect(await snapshot(), `${field} refused for a ${name} key changed data`).toEqual(before);
      }
    });
  }

  it("every root field outside SCOPE_OF_FIELD is refused for every key, whatever its scopes, with nothing changed", { timeout: 60_000 }, async () => {
    const schema = api.server.schema;
    const roots: [string, GraphQLObjectType | null | undefined][] = [
      ["query", schema.getQueryType()],
      ["mutation", schema.getMutationType()],
      ["subscription", schema.getSubscriptionType()],
    ];
    const probes = roots.flatMap(([kind, type]) =>
      Object.values(type?.getFields() ?? {})
        .filter((field) => SCOPE_OF_FIELD[field.name] === undefined)
        .map((field) => ({ field: field.name, sample: { query: probe(kind, field), subscription: kind === "subscription" } })),
    );
    // The ones the issue names, at least.
    expect(probes.map((probe) => probe.field)).toEqual(expect.arrayContaining(["login", "register", "createApiKey", "revokeApiKey", "apiKeys", "adminOrders", "adminRefundOrder"]));
    const before = await snapshot();
    for (const { name, scopes } of [...KEY_SCOPES, { name: "every scope", scopes: [...SCOPES] }]) {
      const key = name === "every scope" ? writer : keys.get(name)!;
      for (const { field, sample } of probes) {
        const outcome = await run(sample, key, {}, scopes.includes("holds:write"), true);
        expect(outcome.refused, `${field} with a ${name} key: ${JSON.stringify(outcome)}`).toBe(true);
        if (outcome.refused) expect(outcome.error.extensions).toMatchObject({ code: "FORBIDDEN", field, requiredScope: null, requiredScopes: [] });
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});

/** An operation calling one root field with every argument as a variable (none given: the gate refuses before they matter). */
function probe(kind: string, field: GraphQLField<unknown, unknown>): string {
  const declared = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(", ");
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
  const selection = isLeafType(getNamedType(field.type)) ? "" : " { __typename }";
  return `${kind}${declared ? `(${declared})` : ""} { ${field.name}${passed ? `(${passed})` : ""}${selection} }`;
}
