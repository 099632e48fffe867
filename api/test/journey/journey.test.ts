/**
 * A fan's whole journey through the partner API, as one story: register, find the event, hold the
 * best seats, see the fees, pay, get the confirmation email and tickets, and walk in past the door
 * scanner, whose second scan of the same ticket says it was already used.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT, ORDER_FIELDS, sale, SCAN } from "../checkout/checkout-helpers.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";

let api: TestApi;
let mailDir: string;
beforeAll(async () => {
  mailDir = mkdtempSync(join(tmpdir(), "boxoffice-journey-"));
  api = await startTestApi({ env: { MAIL_OUTBOX_DIR: mailDir, OUTBOX_POLL_INTERVAL_MS: "100" } });
});
afterAll(async () => {
  await api.stop();
  rmSync(mailDir, { recursive: true, force: true });
});

describe("a fan's journey", () => {
  it("register → find the event → hold best available → checkout → tickets and email → scanned at the door", { timeout: 30_000 }, async () => {
    const { eventId, promoter } = await sale(api, { name: "Journey Night" });

    const registered = expectOk(
      (
        await api.query(`mutation($input: RegisterInput!) { register(input: $input) { token user { id } errors { code message field } } }`, {
          input: { email: `fan-${randomUUID()}@example.test`, password: "correct horse battery staple", name: "Jo Fan" },
        })
      ).data!.register,
    );
    const token = registered.token as string;

    const event = (
      await api.query(
        `query($id: ID!) { event(id: $id) { name status sections { section { id name kind } price { amount } available total } } }`,
        { id: eventId },
        token,
      )
    ).data!.event;
    expect(event.name).toBe("Journey Night");
    const seated = event.sections.find((section: any) => section.section.kind === "SEATED");
    expect(seated.available).toBe(10);

    const held = expectOk(
      (
        await api.query(
          `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) {
             hold { id expiresAt subtotal { amount } fees { kind amount { amount } } total { amount } lines { seat { id row number } } }
             errors { code message field } } }`,
          { input: { eventId, sectionId: seated.section.id, quantity: 2 } },
          token,
        )
      ).data!.holdSeats,
    ).hold;
    expect(held.lines).toHaveLength(2);
    expect(held.total.amount).toBe(held.subtotal.amount + held.fees.reduce((sum: number, fee: any) => sum + fee.amount.amount, 0));

    const order = expectOk(
      (await api.query(CHECKOUT, { input: { holdId: held.id, idempotencyKey: randomUUID(), paymentToken: "tok_visa" } }, token)).data!.checkout,
    ).order;
    expect(order.status).toBe("CONFIRMED");
    expect(order.total).toEqual({ amount: held.total.amount, currency: "USD" });

    const mine = (await api.query(`query { myOrders { edges { node { ${ORDER_FIELDS} } } totalCount } }`, {}, token)).data!.myOrders;
    expect(mine.totalCount).toBe(1);
    const tickets = mine.edges[0].node.tickets;
    expect(tickets.map((ticket: any) => ticket.seat.id).sort()).toEqual(held.lines.map((line: any) => line.seat.id).sort());

    for (let attempt = 0; attempt < 50 && readdirSync(mailDir).length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readdirSync(mailDir)).toEqual([`order-${order.id}.eml`]);

    const door = async (barcode: string) => (await api.query(SCAN, { input: { eventId, barcode } }, promoter.token)).data!.scanTicket;
    expect((await door(tickets[0].barcode)).result).toBe("ADMITTED");
    expect((await door(tickets[1].barcode)).result).toBe("ADMITTED");
    expect((await door(tickets[0].barcode)).result).toBe("ALREADY_SCANNED");

    const after = (await api.query(`query($id: ID!) { event(id: $id) { sections { section { id } available } } }`, { id: eventId }, token)).data!.event;
    expect(after.sections.find((section: any) => section.section.id === seated.section.id).available).toBe(8);
  });
});

describe("Stripe webhook", () => {
  it("accepts only deliveries signed with the endpoint's secret", async () => {
    const secret = "whsec_test_boxoffice";
    const local = await startTestApi({ env: { STRIPE_SECRET_KEY: "sk_test_offline", STRIPE_WEBHOOK_SECRET: secret, RECONCILE_INTERVAL_MS: "0" } });
    try {
      expect(local.app.payments.gateway.name).toBe("stripe");
      const endpoint = local.url.replace("/graphql", "/webhooks/stripe");
      const payload = JSON.stringify({ id: "evt_test", object: "event", type: "charge.refunded", data: { object: { id: "ch_test", object: "charge" } } });
      const stripe = new Stripe("sk_test_offline");
      const signature = stripe.webhooks.generateTestHeaderString({ payload, secret });
      const post = (headers: Record<string, string>, body = payload) =>
        fetch(endpoint, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

      const accepted = await post({ "stripe-signature": signature });
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toEqual({ received: true });
      expect((await post({ "stripe-signature": signature }, payload.replace("ch_test", "ch_evil"))).status).toBe(400);
      const wrongSecret = stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" });
      expect((await post({ "stripe-signature": wrongSecret })).status).toBe(400);
      expect((await post({})).status).toBe(400);
    } finally {
      await local.stop();
    }
  });

  it("is not served when Stripe is not configured", async () => {
    const response = await fetch(api.url.replace("/graphql", "/webhooks/stripe"), { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
  });
});
