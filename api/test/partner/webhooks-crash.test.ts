/**
 * A webhook in flight when its API process is killed (SIGKILL, as a power cut would) is delivered
 * afterwards by another process: at least once, never lost. The killed process wrote nothing about the
 * attempt; its claim's lease runs out, and until then no other process sends it (no early duplicate).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";
import { createOrganization, createUser } from "../support/factories.js";
import { startChildApi, waitFor, type ChildApi } from "../support/processes.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import { startReceiver, verify, type Receiver } from "./webhook-receiver.js";

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } secret errors { code message field } } }`;
/** The child's timeout, so its lease (timeout + 5 s) is short. */
const CHILD_TIMEOUT_MS = 2_000;

let database: TestDatabase;
let local: TestApi;
let child: ChildApi | null = null;
let inbox: Receiver;

beforeAll(async () => {
  database = await createTestDatabase();
  const redisKeyPrefix = `test:${randomBytes(4).toString("hex")}:`;
  // The survivor: its worker runs only when the test says, so the child is the one that claims first.
  local = await startTestApi({ database, redisKeyPrefix, env: { WEBHOOK_POLL_MS: "0", WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: "true", HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", PARTNER_ANNOUNCE_INTERVAL_MS: "0" } });
  child = await startChildApi({
    DATABASE_URL: database.url,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    WEBHOOK_POLL_MS: "50",
    WEBHOOK_TIMEOUT_MS: String(CHILD_TIMEOUT_MS),
    WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: "true",
    RECONCILE_INTERVAL_MS: "0", PARTNER_ANNOUNCE_INTERVAL_MS: "0",
    HOLD_SWEEP_INTERVAL_MS: "0",
  });
  inbox = await startReceiver();
});
afterAll(async () => {
  await child?.kill();
  await inbox.close();
  await local.stop();
  await database.drop();
});

it("a delivery whose API process is killed mid-request is delivered by another process once the lease runs out", async () => {
  const pool = local.app.db.pool;
  const organizationId = await createOrganization(pool);
  const promoter = await createUser(local, { role: "PROMOTER", organizationId });
  const { endpoint, secret } = expectOk((await local.query(CREATE, { input: { url: inbox.url, eventTypes: ["order.confirmed"] } }, promoter.token)).data!.createWebhookEndpoint) as {
    endpoint: { id: string };
    secret: string;
    errors: [];
  };

  // The receiver holds the child's request open; the child is killed while it waits for the answer.
  inbox.queue("hang");
  const { rows } = await pool.query<{ id: string }>(`SELECT emit_partner_event($1, 'order.confirmed', 'order-in-flight', '{"orderId":"order-in-flight"}'::jsonb)::text AS id`, [organizationId]);
  const [inFlight] = await inbox.waitFor(1);
  await child!.kill();
  expect(await child!.exited).toBe("SIGKILL");
  const killedAt = Date.now();

  // What the killed process left: its claim, and nothing about the attempt's outcome.
  const row = async () =>
    (
      await pool.query<{ status: string; attempts: number; leased: boolean; logged: number; leaseLeftMs: number }>(
        `SELECT status, attempts, lease_token IS NOT NULL AS leased, (SELECT count(*)::int FROM webhook_delivery_attempts WHERE delivery_id = d.id) AS logged,
                (extract(epoch FROM next_attempt_at - now()) * 1000)::int AS "leaseLeftMs"
           FROM webhook_deliveries d WHERE endpoint_id = $1`,
        [endpoint.id],
      )
    ).rows[0]!;
  const orphaned = await row();
  expect(orphaned).toMatchObject({ status: "PENDING", attempts: 1, leased: true, logged: 0 });
  expect(orphaned.leaseLeftMs).toBeGreaterThan(0);

  // While the lease holds, another process does not send it again.
  expect(await local.app.webhooks.worker.run()).toBe(0);
  expect(inbox.received).toHaveLength(1);

  // Once it runs out, the survivor delivers it.
  await waitFor("the retry after the lease", async () => (await local.app.webhooks.worker.run()) > 0, CHILD_TIMEOUT_MS + 10_000);
  const waited = Date.now() - killedAt;
  expect(waited).toBeGreaterThanOrEqual(orphaned.leaseLeftMs - 1_000);
  const [, retried] = await inbox.waitFor(2);
  expect(inbox.received).toHaveLength(2);
  // The same event, the same webhook-id (a receiver de-duplicates on it), each request signed.
  expect(retried!.headers["webhook-id"]).toBe(`msg_${rows[0]!.id}`);
  expect(inFlight!.headers["webhook-id"]).toBe(retried!.headers["webhook-id"]);
  expect(verify(secret, inFlight!).data).toEqual({ orderId: "order-in-flight" });
  expect(verify(secret, retried!).data).toEqual({ orderId: "order-in-flight" });
  expect(await row()).toMatchObject({ status: "DELIVERED", attempts: 2, leased: false, logged: 1 });
});
