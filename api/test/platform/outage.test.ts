/**
 * Outages of PostgreSQL or Redis answer a typed, retryable error (SERVICE_UNAVAILABLE with
 * retryAfterSeconds), never INTERNAL_SERVER_ERROR, over both HTTP lanes; and the API serves again once
 * the server is back. Servers that go down are private ones (or a closed port): the shared PostgreSQL
 * and Redis are never touched.
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outageOf } from "../../src/platform/outage.js";
import { CHECKOUT, expectMoneyConsistent, HOLD, hold, ledger } from "../checkout/checkout-helpers.js";
import { createEvent, createOrganization, createUser, createVenue } from "../support/factories.js";
import { freePort, migratedDatabaseOn, privatePostgres, privateRedis, waitFor, type PrivatePostgres } from "../support/processes.js";
import { expectGraphQLError, expectOk, startTestApi, type GraphQLResponse, type TestApi } from "../support/test-api.js";

const EVENT = `query($id: ID!) { event(id: $id) { id name } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token errors { code } } }`;
const JOIN = `mutation($eventId: ID!) { joinWaitingRoom(eventId: $eventId) { ticket { queueToken status } errors { code message } } }`;

/** The response is SERVICE_UNAVAILABLE with a positive retry hint and nothing about internals. */
function expectUnavailable(response: GraphQLResponse, retryAfterSeconds = 2): void {
  expectGraphQLError(response, "SERVICE_UNAVAILABLE");
  expect(response.errors![0]!.extensions!.retryAfterSeconds).toBe(retryAfterSeconds);
  expect(JSON.stringify(response)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminat|enableOfflineQueue/);
}

/** The same request through Apollo's lane (GET) rather than the fast lane (POST JSON). */
async function viaGet(api: TestApi, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse> {
  const url = new URL(api.url);
  url.searchParams.set("query", query);
  url.searchParams.set("variables", JSON.stringify(variables));
  const response = await fetch(url, { headers: { "apollo-require-preflight": "true" } });
  return (await response.json()) as GraphQLResponse;
}

/** An on-sale event whose purchases go through the waiting room (so joining it needs Redis). */
async function roomEvent(pool: pg.Pool): Promise<string> {
  const venue = await createVenue(pool, { generalAdmission: [100] });
  const eventId = await createEvent(pool, venue, { organizationId: await createOrganization(pool) });
  await pool.query(`UPDATE events SET waiting_room_enabled = true, waiting_room_max_active_shoppers = 10 WHERE id = $1`, [eventId]);
  return eventId;
}

/** A server error as pg's protocol parser builds it: SQLSTATE in `code`, plus a severity. */
function postgresError(code: string): pg.DatabaseError {
  const error = new pg.DatabaseError(`server says ${code}`, 0, "error");
  return Object.assign(error, { code, severity: "FATAL" });
}

describe("what counts as an outage", () => {
  it("recognises the drivers' connection failures, also when wrapped, and nothing else", () => {
    // ioredis's own class (not exported from its entry point).
    const { MaxRetriesPerRequestError } = createRequire(import.meta.url)("ioredis/built/errors/index.js") as { MaxRetriesPerRequestError: new (retries: number) => Error };
    const outages: [unknown, string][] = [
      [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), "network"],
      [new AggregateError([Object.assign(new Error("refused"), { code: "ECONNREFUSED" })], "connect failed"), "network"],
      [Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), "network"],
      [postgresError("57P01"), "postgres"],
      [postgresError("57P03"), "postgres"],
      [postgresError("08006"), "postgres"],
      [postgresError("53300"), "postgres"],
      [new Error("timeout exceeded when trying to connect"), "postgres"],
      [new Error("Connection terminated due to connection timeout", { cause: new Error("timeout expired") }), "postgres"],
      [new Error("Connection terminated unexpectedly"), "postgres"],
      [new Error("Stream isn't writeable and enableOfflineQueue options is false"), "redis"],
      [new MaxRetriesPerRequestError(2), "redis"],
      [new Error("Connection is closed."), "redis"],
      [new Error("query failed", { cause: postgresError("57P01") }), "postgres"],
    ];
    for (const [error, expected] of outages) expect(outageOf(error), String(error)).toBe(expected);
    // Bugs and refusals are not outages: they stay INTERNAL_SERVER_ERROR (or a UserError upstream).
    for (const error of [postgresError("23505"), postgresError("42601"), postgresError("40P01"), new Error("boom"), new TypeError("x is undefined"), "ECONNREFUSED", null]) {
      expect(outageOf(error), String(error)).toBeNull();
    }
    // An 08xxx code from something that is not a PostgreSQL server error is not taken for one.
    expect(outageOf(Object.assign(new Error("other"), { code: "08006" }))).toBeNull();
  });
});

describe("PostgreSQL unreachable", () => {
  it("queries and mutations answer SERVICE_UNAVAILABLE with retryAfterSeconds on both HTTP lanes", async () => {
    const closed = await freePort();
    const api = await startTestApi({
      env: { DATABASE_URL: `postgresql://root@127.0.0.1:${closed}/nowhere`, OUTAGE_RETRY_AFTER_SECONDS: "3", HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" },
    });
    try {
      const id = "00000000-0000-4000-8000-000000000000";
      expectUnavailable(await api.query(EVENT, { id }), 3);
      expectUnavailable(await viaGet(api, EVENT, { id }), 3);
      const login = await api.query(LOGIN, { input: { email: "fan@example.test", password: "correct horse battery" } });
      expectUnavailable(login, 3);
      expect(login.data).toBeNull();
    } finally {
      await api.stop();
    }
  });
});

describe("PostgreSQL crashing mid-life", () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await privatePostgres({ autovacuum: "off" });
  }, 120_000);
  afterAll(async () => {
    await server?.remove();
  });

  it("answers SERVICE_UNAVAILABLE while the server is down and serves again once it is back", { timeout: 120_000 }, async () => {
    // Holds committed synchronously: an asynchronous one may be lost in the crash (hold-postgres-crash.test.ts), not the subject here.
    const api = await startTestApi({
      database: await migratedDatabaseOn(server, "outage"),
      env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", HOLD_SYNCHRONOUS_COMMIT: "on" },
    });
    try {
      const pool = api.app.db.pool;
      const venue = await createVenue(pool, { generalAdmission: [10] });
      const sectionId = venue.sections[0]!.id;
      const eventId = await createEvent(pool, venue, { organizationId: await createOrganization(pool), name: "Outage Night" });
      expect((await api.query(EVENT, { id: eventId })).data).toEqual({ event: { id: eventId, name: "Outage Night" } });
      const fan = await createUser(api);
      const held = await hold(api, fan.token, { eventId, sectionId, quantity: 2 });

      await server.crash();
      // The pool's open connections die with the server, then new ones are refused: both are outages.
      for (let attempt = 0; attempt < 3; attempt++) expectUnavailable(await api.query(EVENT, { id: eventId }));
      expectUnavailable(await viaGet(api, EVENT, { id: eventId }));
      // The two mutations clients retry (idempotent by their keys) answer the same way.
      const holdInput = { eventId, sectionId, quantity: 1, requestKey: randomUUID() };
      expectUnavailable(await api.query(HOLD, { input: holdInput }, fan.token));
      const checkoutInput = { holdId: held.id, idempotencyKey: randomUUID(), paymentToken: "tok_visa" };
      expectUnavailable(await api.query(CHECKOUT, { input: checkoutInput }, fan.token));

      await server.start();
      await waitFor("the API serving again", async () => (await api.query(EVENT, { id: eventId })).data?.event?.id === eventId, 30_000);
      // Retried with the same keys once the server is back: one order, one charge.
      const paid = expectOk((await api.query(CHECKOUT, { input: checkoutInput }, fan.token)).data!.checkout);
      expect(expectOk((await api.query(CHECKOUT, { input: checkoutInput }, fan.token)).data!.checkout).order.id).toBe(paid.order.id);
      expect((await ledger(pool)).succeeded).toHaveLength(1);
      await expectMoneyConsistent(pool);
    } finally {
      await api.stop();
    }
  });
});

describe("Redis unreachable where it is required", () => {
  it("joining a waiting room answers SERVICE_UNAVAILABLE while Redis is closed", async () => {
    const closed = await freePort();
    const api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:${closed}`, HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", WAITING_ROOM_TICK_MS: "0" } });
    try {
      const eventId = await roomEvent(api.app.db.pool);
      const fan = await createUser(api);
      const joined = await api.query(JOIN, { eventId }, fan.token);
      expectUnavailable(joined);
      // PostgreSQL alone still serves what does not need Redis.
      expect((await api.query(EVENT, { id: eventId })).data?.event?.id).toBe(eventId);
    } finally {
      await api.stop();
    }
  });

  it("a Redis server killed mid-life: SERVICE_UNAVAILABLE while it is away, joins work again after it restarts", { timeout: 60_000 }, async () => {
    const redisServer = await privateRedis();
    await redisServer.start();
    const api = await startTestApi({ env: { REDIS_URL: redisServer.url, HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", WAITING_ROOM_TICK_MS: "0" } });
    try {
      const eventId = await roomEvent(api.app.db.pool);
      const [first, second, third] = [await createUser(api), await createUser(api), await createUser(api)];
      expectOk((await api.query(JOIN, { eventId }, first.token)).data!.joinWaitingRoom);

      await redisServer.kill();
      await waitFor("the API noticing Redis is gone", async () => api.app.redis.status !== "ready", 10_000);
      expectUnavailable(await api.query(JOIN, { eventId }, second.token));

      await redisServer.start();
      await waitFor("the API reconnecting to Redis", async () => api.app.redis.status === "ready", 10_000);
      expectOk((await api.query(JOIN, { eventId }, third.token)).data!.joinWaitingRoom);
    } finally {
      await api.stop();
      await redisServer.kill();
    }
  });
});
