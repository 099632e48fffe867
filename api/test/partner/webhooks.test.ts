/**
 * Partner webhooks end to end: a partner key registers an endpoint; a real checkout and a refund reach
 * a local receiver signed the Standard Webhooks way, verified with the `standardwebhooks` package as a
 * partner would; rotation signs with both secrets; failures are retried on the schedule (attempts
 * logged), a timeout counts as a failure, 410 Gone disables the endpoint; a replay re-sends with the
 * same webhook-id; another organization sees nothing; bad input changes nothing.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { MAX_ATTEMPTS, retryDelayMs } from "../../src/partner/partner.webhooks.worker.js";
import { auditSince, lastAuditId } from "../admin/venues-helpers.js";
import { CANCEL, checkout, hold, sale, type Sale } from "../checkout/checkout-helpers.js";
import { createOrganization, createUser } from "../support/factories.js";
import { waitFor } from "../support/processes.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import { startReceiver, verify, type Receiver } from "./webhook-receiver.js";

const ERRORS = "errors { code message field }";
const ENDPOINT = "id organizationId url description eventTypes enabled disabledAt disabledReason previousSecretExpiresAt createdAt updatedAt";
const DELIVERY = "id endpointId webhookId eventType subjectId status attempts nextAttemptAt lastAttemptAt lastStatusCode lastError lastDurationMs deliveredAt createdAt attemptLog { startedAt durationMs statusCode error }";
const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { ${ENDPOINT} } secret ${ERRORS} } }`;
const UPDATE = `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { endpoint { ${ENDPOINT} } ${ERRORS} } }`;
const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { endpoint { ${ENDPOINT} } secret ${ERRORS} } }`;
const DELETE = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { deletedId ${ERRORS} } }`;
const REPLAY = `mutation($id: ID!) { replayWebhookDelivery(id: $id) { delivery { ${DELIVERY} } ${ERRORS} } }`;
const SEND_TEST = `mutation($id: ID!) { sendTestWebhook(id: $id) { webhookId statusCode error durationMs ${ERRORS} } }`;
const LIST = `query { webhookEndpoints { ${ENDPOINT} } }`;
const DELIVERIES = `query($endpointId: ID!, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $endpointId, status: $status, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${DELIVERY} } } }
}`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key ${ERRORS} } }`;

interface Endpoint {
  id: string;
  organizationId: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
}
interface Delivery {
  id: string;
  webhookId: string;
  eventType: string;
  subjectId: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  attemptLog: { statusCode: number | null; error: string | null; durationMs: number }[];
}

let api: TestApi;
let pool: pg.Pool;
let shop: Sale;
/** A partner key of the shop's organization with webhooks:manage (and the scopes to read every event type). */
let key: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  api = await startTestApi({
    env: {
      HOLD_SWEEP_INTERVAL_MS: "0",
      RECONCILE_INTERVAL_MS: "0",
      // Sale announcements would add event.on_sale / event.sold_out events of their own.
      PARTNER_ANNOUNCE_INTERVAL_MS: "0",
      WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: "true",
      WEBHOOK_POLL_MS: "50",
      // 3 s: the receivers run in this process, and on the loaded CI machine a stall of a second would
      // turn an answered attempt into a timed-out one (and the exact attempt counts below with it).
      WEBHOOK_TIMEOUT_MS: "3000",
      // 5 s → 0.5 ms, 5 min → 30 ms, 30 min → 180 ms, 2 h → 0.7 s, ...
      WEBHOOK_RETRY_SCALE: "0.0001",
    },
  });
  pool = api.app.db.pool;
  shop = await sale(api);
  const made = await api.query(CREATE_KEY, { input: { name: "Webhook partner", scopes: ["webhooks:manage", "orders:read", "catalogue:read"] } }, shop.promoter.token);
  key = expectOk(made.data!.createApiKey).key;
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await api.stop();
});

async function receiver(): Promise<Receiver> {
  const made = await startReceiver();
  receivers.push(made);
  return made;
}

async function register(url: string, eventTypes: string[], token = key): Promise<{ endpoint: Endpoint; secret: string }> {
  const payload = expectOk((await api.query(CREATE, { input: { url, eventTypes, description: "test receiver" } }, token)).data!.createWebhookEndpoint);
  return payload as { endpoint: Endpoint; secret: string; errors: [] };
}

/** Writes a partner event of the shop's organization the way the lead's triggers do. */
async function emit(type: string, subject: string, data: Record<string, unknown> = { subject }, organizationId = shop.organizationId): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(`SELECT emit_partner_event($1, $2, $3, $4::jsonb)::text AS id`, [organizationId, type, subject, JSON.stringify(data)]);
  return rows[0]!.id;
}

async function deliveries(endpointId: string, token = key): Promise<Delivery[]> {
  const response = await api.query(DELIVERIES, { endpointId, first: 100 }, token);
  expect(response.errors).toBeUndefined();
  return response.data!.webhookDeliveries.edges.map((edge: { node: Delivery }) => edge.node);
}

async function settled(endpointId: string, count: number, status = "DELIVERED"): Promise<Delivery[]> {
  let found: Delivery[] = [];
  await waitFor(
    `${count} ${status} deliveries`,
    async () => {
      found = await deliveries(endpointId);
      return found.filter((delivery) => delivery.status === status).length >= count;
    },
    15_000,
  );
  return found;
}

describe("deliveries of real changes", () => {
  it("a checkout's order.confirmed and a refund's order.refunded reach the receiver, signed and verified as a partner would", async () => {
    const inbox = await receiver();
    const { endpoint, secret } = await register(inbox.url, ["order.confirmed", "order.refunded"]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ organizationId: shop.organizationId, url: inbox.url, eventTypes: ["order.confirmed", "order.refunded"], enabled: true });

    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId: shop.eventId, seatIds: shop.seatIds.slice(0, 2) });
    const order = expectOk(await checkout(api, fan.token, { holdId: held.id })).order as { id: string; total: { amount: number } };
    const [confirmed] = await inbox.waitFor(1);
    const payload = verify(secret, confirmed!);
    expect(payload.type).toBe("order.confirmed");
    expect(payload.data).toMatchObject({ orderId: order.id, eventId: shop.eventId, totalMinor: order.total.amount });
    expect(new Date(payload.timestamp).toISOString()).toBe(payload.timestamp);
    expect(confirmed!.headers["webhook-id"]).toMatch(/^msg_\d+$/);
    expect(confirmed!.headers["content-type"]).toBe("application/json");
    // The signature is over the exact bytes: a changed body or another secret fails.
    expect(() => verify(secret, { ...confirmed!, body: confirmed!.body.replace(order.id, order.id.toUpperCase()) })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(confirmed!.body, confirmed!.headers as Record<string, string>)).toThrow(WebhookVerificationError);

    expectOk((await api.query(CANCEL, { orderId: order.id }, fan.token)).data!.cancelOrder);
    const [, refunded] = await inbox.waitFor(2);
    expect(verify(secret, refunded!)).toMatchObject({ type: "order.refunded", data: { orderId: order.id } });
    expect(refunded!.headers["webhook-id"]).not.toBe(confirmed!.headers["webhook-id"]);

    const log = await settled(endpoint.id, 2);
    expect(log.map((delivery) => [delivery.eventType, delivery.subjectId, delivery.status, delivery.attempts, delivery.lastStatusCode])).toEqual([
      ["order.refunded", order.id, "DELIVERED", 1, 200],
      ["order.confirmed", order.id, "DELIVERED", 1, 200],
    ]);
    expect(log.map((delivery) => delivery.webhookId)).toEqual([refunded!.headers["webhook-id"], confirmed!.headers["webhook-id"]]);
  });

  it("only subscribed types of the endpoint's own organization are delivered; an endpoint registered later gets nothing earlier", async () => {
    const inbox = await receiver();
    const before = await emit("event.updated", shop.eventId);
    const { endpoint } = await register(inbox.url, ["event.updated"]);
    const other = await createOrganization(pool);
    await emit("event.updated", "elsewhere", {}, other);
    await emit("order.confirmed", "not-subscribed");
    const wanted = await emit("event.updated", shop.eventId, { eventId: shop.eventId });
    await inbox.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inbox.received.map((request) => request.headers["webhook-id"])).toEqual([`msg_${wanted}`]);
    const { rows } = await pool.query(`SELECT partner_event_id::text AS id FROM webhook_deliveries WHERE endpoint_id = $1`, [endpoint.id]);
    expect(rows.map((row) => row.id)).toEqual([wanted]);
    expect(rows.map((row) => row.id)).not.toContain(before);
  });

  it("a change that rolls back makes no delivery", async () => {
    const inbox = await receiver();
    const { endpoint } = await register(inbox.url, ["ticket.voided"]);
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`SELECT emit_partner_event($1, 'ticket.voided', 'rolled-back', '{}'::jsonb)`, [shop.organizationId]);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    const { rows } = await pool.query(`SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1`, [endpoint.id]);
    expect(rows).toEqual([]);
  });
});

describe("secret rotation", () => {
  it("after a rotation each delivery carries two signatures, and the old and the new secret each verify it", async () => {
    const inbox = await receiver();
    const { endpoint, secret: oldSecret } = await register(inbox.url, ["event.on_sale"]);
    const rotated = expectOk((await api.query(ROTATE, { id: endpoint.id }, key)).data!.rotateWebhookSecret) as { secret: string; endpoint: Endpoint };
    expect(rotated.secret).not.toBe(oldSecret);
    const overlapHours = (new Date(rotated.endpoint.previousSecretExpiresAt!).getTime() - Date.now()) / 3_600_000;
    expect(overlapHours).toBeGreaterThan(23.9);
    expect(overlapHours).toBeLessThanOrEqual(24);

    await emit("event.on_sale", shop.eventId);
    const [request] = await inbox.waitFor(1);
    const signatures = String(request!.headers["webhook-signature"]).split(" ");
    expect(signatures).toHaveLength(2);
    expect(signatures.every((signature) => /^v1,[A-Za-z0-9+/]+=*$/.test(signature))).toBe(true);
    expect(verify(rotated.secret, request!).type).toBe("event.on_sale");
    expect(verify(oldSecret, request!).type).toBe("event.on_sale");

    // Once the overlap is over, only the new secret signs.
    await pool.query(`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [endpoint.id]);
    await emit("event.on_sale", shop.eventId);
    const [, later] = await inbox.waitFor(2);
    expect(String(later!.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(verify(rotated.secret, later!).type).toBe("event.on_sale");
    expect(() => verify(oldSecret, later!)).toThrow(WebhookVerificationError);
  });
});

describe("failures", () => {
  it("500s are retried with backoff until a 2xx; every attempt is logged with its status", async () => {
    const inbox = await receiver();
    inbox.queue(500, 503, 500);
    const { endpoint, secret } = await register(inbox.url, ["section.price_changed"]);
    const eventId = await emit("section.price_changed", `${shop.eventId}:${shop.sectionId}`);
    const [delivery] = await settled(endpoint.id, 1);
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 4, lastStatusCode: 200, lastError: null });
    expect(delivery!.attemptLog.map((entry) => entry.statusCode)).toEqual([200, 500, 503, 500]);
    expect(delivery!.attemptLog.slice(1).map((entry) => entry.error)).toEqual(["HTTP 500", "HTTP 503", "HTTP 500"]);
    expect(inbox.received).toHaveLength(4);
    // The same webhook-id on every attempt; each attempt verifies (its own timestamp, its own signature).
    expect(new Set(inbox.received.map((request) => request.headers["webhook-id"]))).toEqual(new Set([`msg_${eventId}`]));
    for (const request of inbox.received) expect(verify(secret, request).type).toBe("section.price_changed");
    // Backoff: the gaps grow (0.5 ms, 30 ms, 180 ms at this scale, ±20 %).
    const gaps = inbox.received.slice(1).map((request, index) => request.at - inbox.received[index]!.at);
    expect(gaps[2]!).toBeGreaterThanOrEqual(140);
  });

  it("a receiver that does not answer within WEBHOOK_TIMEOUT_MS counts as a failure and is retried", async () => {
    const inbox = await receiver();
    inbox.queue("hang");
    const { endpoint } = await register(inbox.url, ["event.sold_out"]);
    await emit("event.sold_out", shop.eventId);
    const [delivery] = await settled(endpoint.id, 1);
    expect(delivery!.attempts).toBe(2);
    const [success, timedOut] = delivery!.attemptLog;
    expect(success!.statusCode).toBe(200);
    expect(timedOut).toMatchObject({ statusCode: null, error: "timed out" });
    expect(timedOut!.durationMs).toBeGreaterThanOrEqual(2_950);
    expect(timedOut!.durationMs).toBeLessThan(10_000);
  });

  it("a delivery that keeps failing is FAILED after the last attempt of the schedule", async () => {
    expect(MAX_ATTEMPTS).toBe(10);
    const inbox = await receiver();
    inbox.queue(...Array.from({ length: 20 }, () => 500));
    const { endpoint } = await register(inbox.url, ["ticket.voided"]);
    await emit("ticket.voided", "ticket-1");
    await inbox.waitFor(1);
    // Skip the hours-long middle of the schedule: this delivery has had 9 attempts, the next is its last.
    await pool.query(`UPDATE webhook_deliveries SET attempts = 9, next_attempt_at = now() WHERE endpoint_id = $1`, [endpoint.id]);
    const [delivery] = await settled(endpoint.id, 1, "FAILED");
    expect(delivery).toMatchObject({ status: "FAILED", attempts: 10, lastStatusCode: 500, deliveredAt: null });
    const count = inbox.received.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inbox.received).toHaveLength(count);
  });

  it("410 Gone disables the endpoint: no more attempts, its waiting deliveries fail, nothing new is queued for it", async () => {
    const inbox = await receiver();
    inbox.queue(410);
    const { endpoint } = await register(inbox.url, ["event.updated", "event.on_sale"]);
    // Two events: the first is due now and answered 410; the second waits for a later attempt.
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`SELECT emit_partner_event($1, 'event.on_sale', 'gone-1', '{}'::jsonb)`, [shop.organizationId]);
      const { rows } = await client.query<{ id: string }>(`SELECT emit_partner_event($1, 'event.on_sale', 'gone-2', '{}'::jsonb)::text AS id`, [shop.organizationId]);
      await client.query(`UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 hour' WHERE partner_event_id = $1`, [rows[0]!.id]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const log = await settled(endpoint.id, 2, "FAILED");
    expect(log.every((delivery) => delivery.status === "FAILED")).toBe(true);
    expect(log.map((delivery) => [delivery.subjectId, delivery.lastStatusCode, delivery.lastError])).toEqual([
      ["gone-2", null, "endpoint disabled: it answered 410 Gone"],
      ["gone-1", 410, "HTTP 410"],
    ]);
    const [listed] = (await api.query(LIST, {}, key)).data!.webhookEndpoints.filter((row: Endpoint) => row.id === endpoint.id);
    expect(listed).toMatchObject({ enabled: false, disabledReason: "GONE" });
    const received = inbox.received.length;
    expect(received).toBe(1);
    await emit("event.updated", "after-gone");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inbox.received).toHaveLength(received);
    expect(await deliveries(endpoint.id)).toHaveLength(2);

    // Enabled again, it receives new events.
    expectOk((await api.query(UPDATE, { input: { id: endpoint.id, enabled: true } }, key)).data!.updateWebhookEndpoint);
    await emit("event.updated", "after-enable");
    await inbox.waitFor(received + 1);
  });
});

describe("replay", () => {
  it("re-delivers a delivered event with the same webhook-id and a fresh attempt count; a pending one cannot be replayed", async () => {
    const inbox = await receiver();
    const { endpoint, secret } = await register(inbox.url, ["order.confirmed"]);
    await emit("order.confirmed", "replayed-order", { orderId: "replayed-order" });
    const [first] = await settled(endpoint.id, 1);
    const audit = await lastAuditId(pool);
    const replayed = expectOk((await api.query(REPLAY, { id: first!.id }, key)).data!.replayWebhookDelivery) as { delivery: Delivery };
    expect(replayed.delivery).toMatchObject({ id: first!.id, status: "PENDING", attempts: 0, webhookId: first!.webhookId });
    await inbox.waitFor(2);
    expect(inbox.received.map((request) => request.headers["webhook-id"])).toEqual([first!.webhookId, first!.webhookId]);
    expect(verify(secret, inbox.received[1]!).data).toEqual({ orderId: "replayed-order" });
    const [again] = await settled(endpoint.id, 1);
    expect(again).toMatchObject({ status: "DELIVERED", attempts: 1 });
    expect(again!.attemptLog).toHaveLength(2);
    expect((await auditSince(pool, audit)).map((row) => row.action)).toEqual(["webhook_delivery.replay"]);

    // A PENDING delivery is already queued.
    await pool.query(`UPDATE webhook_deliveries SET status = 'PENDING', delivered_at = NULL, next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [first!.id]);
    expectError((await api.query(REPLAY, { id: first!.id }, key)).data!.replayWebhookDelivery, "VALIDATION");
  });
});

describe("test messages", () => {
  it("sendTestWebhook sends one signed webhook.test now and answers the receiver's status; nothing is stored", async () => {
    const inbox = await receiver();
    const { endpoint, secret } = await register(inbox.url, ["order.confirmed"]);
    const sent = expectOk((await api.query(SEND_TEST, { id: endpoint.id }, key)).data!.sendTestWebhook) as { webhookId: string; statusCode: number; error: string | null };
    expect(sent).toMatchObject({ statusCode: 200, error: null });
    expect(sent.webhookId).toMatch(/^msg_test_[0-9a-f]{24}$/);
    expect(inbox.received.map((request) => request.headers["webhook-id"])).toEqual([sent.webhookId]);
    expect(verify(secret, inbox.received[0]!)).toMatchObject({ type: "webhook.test", data: { endpointId: endpoint.id } });
    inbox.queue(503);
    expect((await api.query(SEND_TEST, { id: endpoint.id }, key)).data!.sendTestWebhook).toMatchObject({ statusCode: 503, error: "HTTP 503", errors: [] });
    expect(await deliveries(endpoint.id)).toEqual([]);
  });
});

describe("who sees what", () => {
  it("another organization's key and promoter see none of the endpoints or deliveries and can change none; a fan is FORBIDDEN", async () => {
    const inbox = await receiver();
    const { endpoint } = await register(inbox.url, ["order.confirmed"]);
    await emit("order.confirmed", "seen-by-owner");
    const [delivery] = await settled(endpoint.id, 1);

    const otherOrg = await createOrganization(pool);
    const otherPromoter = await createUser(api, { role: "PROMOTER", organizationId: otherOrg });
    const otherKey = expectOk((await api.query(CREATE_KEY, { input: { name: "Other", scopes: ["webhooks:manage"] } }, otherPromoter.token)).data!.createApiKey).key as string;
    for (const token of [otherKey, otherPromoter.token]) {
      expect((await api.query(LIST, {}, token)).data!.webhookEndpoints).toEqual([]);
      expectGraphQLError(await api.query(DELIVERIES, { endpointId: endpoint.id }, token), "NOT_FOUND");
      expectError((await api.query(UPDATE, { input: { id: endpoint.id, url: "http://127.0.0.1:1/x" } }, token)).data!.updateWebhookEndpoint, "NOT_FOUND");
      expectError((await api.query(ROTATE, { id: endpoint.id }, token)).data!.rotateWebhookSecret, "NOT_FOUND");
      expectError((await api.query(DELETE, { id: endpoint.id }, token)).data!.deleteWebhookEndpoint, "NOT_FOUND");
      expectError((await api.query(REPLAY, { id: delivery!.id }, token)).data!.replayWebhookDelivery, "NOT_FOUND");
      expectError((await api.query(SEND_TEST, { id: endpoint.id }, token)).data!.sendTestWebhook, "NOT_FOUND");
    }
    const fan = await createUser(api);
    expectGraphQLError(await api.query(LIST, {}, fan.token), "FORBIDDEN");
    expectGraphQLError(await api.query(LIST, {}), "UNAUTHENTICATED");
    // A key without webhooks:manage is refused before anything runs.
    const readKey = expectOk((await api.query(CREATE_KEY, { input: { name: "Reader", scopes: ["catalogue:read"] } }, shop.promoter.token)).data!.createApiKey).key as string;
    expectGraphQLError(await api.query(LIST, {}, readKey), "FORBIDDEN");

    // The owner's promoter sees the key's endpoint; nothing of it changed.
    const own = (await api.query(LIST, {}, shop.promoter.token)).data!.webhookEndpoints as Endpoint[];
    expect(own.find((row) => row.id === endpoint.id)).toMatchObject({ url: inbox.url, enabled: true });
    expect(await deliveries(endpoint.id, shop.promoter.token)).toHaveLength(1);
  });

  it("a key subscribes only to the event types its scopes can read (order.* and ticket.*: orders:read; event.* and section.*: catalogue:read)", async () => {
    const inbox = await receiver();
    const makeKey = async (scopes: string[]) => expectOk((await api.query(CREATE_KEY, { input: { name: "Narrow", scopes } }, shop.promoter.token)).data!.createApiKey).key as string;
    const catalogueOnly = await makeKey(["webhooks:manage", "catalogue:read"]);
    const before = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_endpoints`)).rows[0]!.n;
    for (const eventTypes of [["order.confirmed"], ["event.updated", "ticket.voided"]]) {
      const payload = (await api.query(CREATE, { input: { url: inbox.url, eventTypes } }, catalogueOnly)).data!.createWebhookEndpoint;
      expect(payload.errors.map((error: { code: string; field: string }) => [error.code, error.field])).toEqual([["FORBIDDEN", "eventTypes"]]);
    }
    expect((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_endpoints`)).rows[0]!.n).toBe(before);
    const { endpoint } = await register(inbox.url, ["event.updated", "section.price_changed"], catalogueOnly);
    expectError((await api.query(UPDATE, { input: { id: endpoint.id, eventTypes: ["order.refunded"] } }, catalogueOnly)).data!.updateWebhookEndpoint, "FORBIDDEN");
    // The organization's promoter is not limited by key scopes.
    expectOk((await api.query(UPDATE, { input: { id: endpoint.id, eventTypes: ["order.refunded"] } }, shop.promoter.token)).data!.updateWebhookEndpoint);
    expectOk((await api.query(DELETE, { id: endpoint.id }, catalogueOnly)).data!.deleteWebhookEndpoint);
  });

  it("bad input is a typed error and changes nothing; changes are audited without the secret", async () => {
    const inbox = await receiver();
    const audit = await lastAuditId(pool);
    const count = async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_endpoints`)).rows[0]!.n;
    const endpoints = await count();
    for (const input of [
      { url: inbox.url, eventTypes: ["order.exploded"] },
      { url: inbox.url, eventTypes: [] },
      { url: "not a url", eventTypes: ["order.confirmed"] },
      { url: "ftp://127.0.0.1/x", eventTypes: ["order.confirmed"] },
      { url: "http://user:pw@127.0.0.1/x", eventTypes: ["order.confirmed"] },
      { url: inbox.url, eventTypes: ["order.confirmed"], description: "x".repeat(501) },
      { url: inbox.url, eventTypes: ["order.confirmed"], organizationId: await createOrganization(pool) },
    ]) {
      const payload = (await api.query(CREATE, { input }, key)).data!.createWebhookEndpoint;
      expect(payload.endpoint).toBeNull();
      expect(payload.secret).toBeNull();
      expect(["VALIDATION", "FORBIDDEN"]).toContain(payload.errors[0].code);
    }
    expect(await count()).toBe(endpoints);
    expect(await auditSince(pool, audit)).toEqual([]);

    const { endpoint, secret } = await register(inbox.url, ["order.confirmed"]);
    expectError((await api.query(UPDATE, { input: { id: endpoint.id, eventTypes: ["nope"] } }, key)).data!.updateWebhookEndpoint, "VALIDATION");
    const updated = expectOk((await api.query(UPDATE, { input: { id: endpoint.id, eventTypes: ["order.refunded", "order.confirmed"], description: " renamed " } }, key)).data!.updateWebhookEndpoint);
    expect(updated.endpoint).toMatchObject({ eventTypes: ["order.confirmed", "order.refunded"], description: "renamed" });
    const { secret: rotatedSecret } = expectOk((await api.query(ROTATE, { id: endpoint.id }, key)).data!.rotateWebhookSecret) as { secret: string };
    expect(expectOk((await api.query(DELETE, { id: endpoint.id }, key)).data!.deleteWebhookEndpoint).deletedId).toBe(endpoint.id);
    const rows = await auditSince(pool, audit);
    expect(rows.map((row) => row.action)).toEqual(["webhook_endpoint.create", "webhook_endpoint.update", "webhook_endpoint.rotate_secret", "webhook_endpoint.delete"]);
    expect(JSON.stringify(rows)).not.toContain(secret.slice(6));
    expect(JSON.stringify(rows)).not.toContain(rotatedSecret.slice(6));
    expect(JSON.stringify((await api.query(LIST, {}, key)).data)).not.toContain("whsec_");
  });
});

describe("the retry schedule", () => {
  it("waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 20 h (±20 %), about 3 days in all, then stops", () => {
    const middle = Array.from({ length: 9 }, (_, index) => retryDelayMs(index + 1, 1, () => 0.5)! / 1000);
    expect(middle).toEqual([5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 72_000]);
    const days = middle.reduce((sum, seconds) => sum + seconds, 0) / 86_400;
    expect(days).toBeGreaterThan(2.9);
    expect(days).toBeLessThan(3.1);
    expect(retryDelayMs(1, 1, () => 0)).toBe(4_000);
    expect(retryDelayMs(1, 1, () => 1)).toBe(6_000);
    expect(retryDelayMs(10, 1)).toBeNull();
  });
});
