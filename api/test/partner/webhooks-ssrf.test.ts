/**
 * The SSRF guard without WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: endpoints on private, loopback, link-local,
 * unique-local, CGNAT, multicast or unspecified addresses (however spelled) are refused at registration
 * and again at delivery; the POST connects to the address that was checked, not to a second lookup.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkUrlForm, isPublicAddress, postTo } from "../../src/partner/partner.webhooks.http.js";
import { createOrganization, createUser } from "../support/factories.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import { startReceiver, type Receiver } from "./webhook-receiver.js";

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id url } secret errors { code message field } } }`;

let api: TestApi;
let pool: pg.Pool;
let inbox: Receiver;
let organizationId: string;
let promoter: { token: string };

beforeAll(async () => {
  // The worker runs only when a test calls it.
  api = await startTestApi({ env: { WEBHOOK_POLL_MS: "0", WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: "false", HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", PARTNER_ANNOUNCE_INTERVAL_MS: "0" } });
  pool = api.app.db.pool;
  inbox = await startReceiver();
  organizationId = await createOrganization(pool);
  promoter = await createUser(api, { role: "PROMOTER", organizationId });
});
afterAll(async () => {
  await inbox.close();
  await api.stop();
});

describe("address classes", () => {
  it("only public unicast addresses pass (ipaddr.js ranges), IPv4-mapped IPv6 judged as its IPv4", () => {
    const refused = [
      "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
      "::1", "::", "fe80::1", "fd00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::1", "64:ff9b::7f00:1", "not an address",
    ];
    for (const address of refused) expect(isPublicAddress(address), address).toBe(false);
    for (const address of ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) expect(isPublicAddress(address), address).toBe(true);
  });

  it("https is required in production unless the development flag is set", () => {
    expect(checkUrlForm("http://example.com/hooks", { production: true, allowPrivate: false })).toMatchObject({ ok: false, reason: "the URL must be https" });
    expect(checkUrlForm("https://example.com/hooks", { production: true, allowPrivate: false }).ok).toBe(true);
    expect(checkUrlForm("http://example.com/hooks", { production: true, allowPrivate: true }).ok).toBe(true);
    expect(checkUrlForm("http://example.com/hooks", { production: false, allowPrivate: false }).ok).toBe(true);
  });
});

describe("registration", () => {
  it("refuses every private or reserved target however it is written, and stores nothing", async () => {
    const port = new URL(inbox.url).port;
    const targets = [
      inbox.url,
      `http://localhost:${port}/hooks`,
      "http://0x7f.0.0.1/hooks",
      "http://2130706433/hooks",
      "http://[::1]/hooks",
      "http://[::ffff:127.0.0.1]/hooks",
      "http://169.254.169.254/latest/meta-data/",
      "http://10.1.2.3/hooks",
      "http://192.168.0.10/hooks",
      "http://100.64.0.1/hooks",
      "http://[fe80::1]/hooks",
      "http://[fd12:3456::1]/hooks",
      "http://224.0.0.1/hooks",
      "http://0.0.0.0/hooks",
      "http://[::]/hooks",
      "file:///etc/passwd",
      "gopher://127.0.0.1:6379/_INFO",
    ];
    for (const url of targets) {
      const payload = (await api.query(CREATE, { input: { url, eventTypes: ["order.confirmed"] } }, promoter.token)).data!.createWebhookEndpoint;
      expect(payload.errors.map((error: { code: string; field: string }) => [error.code, error.field]), url).toEqual([["VALIDATION", "url"]]);
      expect(payload.secret).toBeNull();
    }
    const { rows } = await pool.query(`SELECT url FROM webhook_endpoints WHERE organization_id = $1`, [organizationId]);
    expect(rows).toEqual([]);
    // A public address is accepted (registration resolves; it sends nothing).
    expectOk((await api.query(CREATE, { input: { url: "http://93.184.215.14/hooks", eventTypes: ["order.confirmed"] } }, promoter.token)).data!.createWebhookEndpoint);
    await pool.query(`DELETE FROM webhook_endpoints WHERE organization_id = $1`, [organizationId]);
  });
});

describe("delivery", () => {
  it("checks again before sending: an endpoint that points inward now gets nothing, and the attempt says why", async () => {
    // As if its DNS had changed since registration: stored straight in the table.
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO webhook_endpoints (organization_id, url, event_types, secret) VALUES ($1, $2, '{order.confirmed}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw') RETURNING id`,
      [organizationId, inbox.url],
    );
    await pool.query(`SELECT emit_partner_event($1, 'order.confirmed', 'inward', '{}'::jsonb)`, [organizationId]);
    expect(await api.app.webhooks.worker.run()).toBe(1);
    expect(inbox.received).toEqual([]);
    const { rows: deliveries } = await pool.query(
      `SELECT d.status, d.attempts, d.last_status_code AS "statusCode", d.last_error AS error, (SELECT count(*)::int FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id) AS logged
         FROM webhook_deliveries d WHERE d.endpoint_id = $1`,
      [rows[0]!.id],
    );
    expect(deliveries).toEqual([{ status: "PENDING", attempts: 1, statusCode: null, error: expect.stringContaining("127.0.0.1, a private or reserved address"), logged: 1 }]);
  });

  it("connects to the checked address, never looking the host up again (DNS rebinding)", async () => {
    // `rebind.invalid` resolves nowhere: the request can only arrive if the checked address is used.
    const url = new URL(inbox.url.replace("127.0.0.1", "rebind.invalid"));
    const outcome = await postTo({ url, address: "127.0.0.1", family: 4 }, { "content-type": "application/json" }, "{}", AbortSignal.timeout(2_000));
    expect(outcome).toEqual({ status: 200 });
    expect(inbox.received.at(-1)!.headers.host).toBe(url.host);
  });
});
