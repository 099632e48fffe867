/**
 * The console's orders: the list and each filter, one order with its tickets and payments, the refund
 * (through the fan's cancellation path: tickets VOID, seats on sale again, one gateway refund, an audit
 * row; idempotent; refused in states that cannot be refunded, with nothing changed) and the resend of
 * the confirmation email through the outbox.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectMoneyConsistent, seatStatuses } from "../checkout/checkout-helpers.js";
import { createUser } from "../support/factories.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type GraphQLResponse, type TestApi } from "../support/test-api.js";
import { auditRows } from "./events-helpers.js";
import { ADMIN_ORDER, ADMIN_ORDERS, gatewayRefunds, orderState, REFUND, RESEND, soldEvent } from "./orders-helpers.js";

let api: TestApi;
let mailDir: string;
beforeAll(async () => {
  mailDir = mkdtempSync(join(tmpdir(), "orders-mail-"));
  api = await startTestApi({ env: { RECONCILE_INTERVAL_MS: "0", HOLD_SWEEP_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", MAIL_OUTBOX_DIR: mailDir } });
});
afterAll(async () => {
  await api.stop();
  rmSync(mailDir, { recursive: true, force: true });
});

const ids = (response: GraphQLResponse) => (response.data!.adminOrders as { items: { id: string }[] }).items.map((item) => item.id).sort();

describe("adminOrders", () => {
  it("finds orders by buyer email, order id, ticket id, event, status and date range, within the promoter's organization", async () => {
    const { promoter, orders, eventId, pool } = await soldEvent(api);
    const other = await soldEvent(api);
    const [first, second, third] = orders;
    const list = (filter: Record<string, unknown>, token = promoter.token) => api.query(ADMIN_ORDERS, { filter }, token);

    const all = await list({});
    expect(all.errors).toBeUndefined();
    expect(all.data!.adminOrders.total).toBe(3);
    // Newest first by default on the console; the API's default order is createdAt ascending.
    expect(all.data!.adminOrders.items.map((item: { id: string }) => item.id)).toEqual([first!.id, second!.id, third!.id]);
    const { rows: venue } = await pool.query<{ timezone: string }>(`SELECT v.timezone FROM events e JOIN venues v ON v.id = e.venue_id WHERE e.id = $1`, [eventId]);
    expect(all.data!.adminOrders.items[0]).toMatchObject({
      status: "CONFIRMED",
      // The venue's zone comes along, so the console shows the event's times as the venue reads them.
      event: { id: eventId, timezone: venue[0]!.timezone },
      buyer: { id: first!.fan.id, email: first!.fan.email },
      subtotal: { amount: 10000, currency: "USD" },
      fees: { amount: 1500, currency: "USD" },
      total: { amount: 11500, currency: "USD" },
      ticketCount: 2,
      cancelledAt: null,
    });

    expect(ids(await list({ email: `  ${second!.fan.email.toUpperCase()} ` }))).toEqual([second!.id]);
    expect(ids(await list({ orderId: third!.id }))).toEqual([third!.id]);
    const { rows: ticket } = await pool.query<{ id: string }>(`SELECT id FROM tickets WHERE order_id = $1 LIMIT 1`, [second!.id]);
    expect(ids(await list({ ticketId: ticket[0]!.id }))).toEqual([second!.id]);
    expect(ids(await list({ eventId }))).toEqual([first!.id, second!.id, third!.id].sort());
    expect(ids(await list({ eventId: other.eventId }))).toEqual([]);
    // Another organization's order is not found by its id either.
    expect(ids(await list({ orderId: other.orders[0]!.id }))).toEqual([]);

    await pool.query(`UPDATE orders SET created_at = now() - interval '10 days' WHERE id = $1`, [first!.id]);
    const fiveDaysAgo = new Date(Date.now() - 5 * 86_400_000).toISOString();
    expect(ids(await list({ from: fiveDaysAgo }))).toEqual([second!.id, third!.id].sort());
    expect(ids(await list({ to: fiveDaysAgo }))).toEqual([first!.id]);
    expect(ids(await list({ status: "CONFIRMED", email: first!.fan.email }))).toEqual([first!.id]);
    expect(ids(await list({ status: "REFUNDED" }))).toEqual([]);

    const page = await api.query(ADMIN_ORDERS, { page: 2, perPage: 2, sortField: "createdAt", sortOrder: "DESC" }, promoter.token);
    expect(page.data!.adminOrders).toMatchObject({ total: 3, items: [{ id: first!.id }] });

    // An admin sees every organization's orders.
    const admin = await createUser(api, { role: "ADMIN" });
    expect((await list({}, admin.token)).data!.adminOrders.total).toBe(6);
  });

  it("reads a page of orders with their tickets and payments in four statements (page, count, tickets, payments), not one per order", async () => {
    const { promoter, eventId } = await soldEvent(api);
    const read = async () => {
      api.statements.length = 0;
      const response = await api.query(ADMIN_ORDERS.replace("items {", "items { tickets { id } payments { id refunds { id } }"), { filter: { eventId }, perPage: 100 }, promoter.token);
      // Background workers of the process query too: count this read's statements.
      const reads = api.statements.filter((sql) => /FROM (orders|tickets|payment_intents) /.test(sql));
      return { count: reads.length, orders: response.data!.adminOrders.items.length };
    };
    expect(await read()).toEqual({ count: 4, orders: 3 });
  });

  it("refuses malformed filters with VALIDATION", async () => {
    const { promoter } = await soldEvent(api);
    expectGraphQLError(await api.query(ADMIN_ORDERS, { filter: { orderId: "nope" } }, promoter.token), "VALIDATION");
    expectGraphQLError(await api.query(ADMIN_ORDERS, { filter: { ticketId: "nope" } }, promoter.token), "VALIDATION");
    expectGraphQLError(await api.query(ADMIN_ORDERS, { sortField: "buyer" }, promoter.token), "VALIDATION");
    expectGraphQLError(await api.query(ADMIN_ORDERS, { perPage: 101 }, promoter.token), "VALIDATION");
    const now = new Date().toISOString();
    expectGraphQLError(await api.query(ADMIN_ORDERS, { filter: { from: now, to: now } }, promoter.token), "VALIDATION");
  });
});

describe("adminOrder", () => {
  it("shows the order with each ticket's place, price and status and the payment at the gateway", async () => {
    const { promoter, orders, sectionId, gaSectionId } = await soldEvent(api);
    const seated = (await api.query(ADMIN_ORDER, { id: orders[0]!.id }, promoter.token)).data!.adminOrder;
    expect(seated.tickets).toHaveLength(2);
    expect(seated.tickets.map((ticket: { seatId: string }) => ticket.seatId).sort()).toEqual([...orders[0]!.seatIds].sort());
    expect(seated.tickets[0]).toMatchObject({ status: "VALID", sectionId, price: { amount: 5000, currency: "USD" }, scannedAt: null, voidedAt: null });
    expect(seated.tickets[0].row).toEqual(expect.any(String));
    expect(seated.tickets.map((ticket: { seatNumber: number }) => ticket.seatNumber)).toEqual([1, 2]);
    expect(seated.payments).toEqual([
      expect.objectContaining({ provider: "test", status: "SUCCEEDED", amount: { amount: 11500, currency: "USD" }, refunds: [] }),
    ]);
    expect(seated.payments[0].reference).toEqual(expect.any(String));

    const general = (await api.query(ADMIN_ORDER, { id: orders[2]!.id }, promoter.token)).data!.adminOrder;
    expect(general.tickets.map((ticket: { sectionId: string; seatId: string | null; row: string | null }) => [ticket.sectionId, ticket.seatId, ticket.row])).toEqual([
      [gaSectionId, null, null],
      [gaSectionId, null, null],
    ]);
  });

  it("is null for another organization's order and for an unknown id", async () => {
    const { orders } = await soldEvent(api);
    const stranger = await soldEvent(api);
    expect((await api.query(ADMIN_ORDER, { id: orders[0]!.id }, stranger.promoter.token)).data!.adminOrder).toBeNull();
    expect((await api.query(ADMIN_ORDER, { id: "00000000-0000-4000-8000-000000000000" }, stranger.promoter.token)).data!.adminOrder).toBeNull();
  });
});

describe("adminRefundOrder", () => {
  it("voids the tickets, frees the seats, refunds the payment once at the gateway and audits the reason", async () => {
    const { promoter, orders, eventId, pool } = await soldEvent(api);
    const order = orders[0]!;
    const refunded = expectOk((await api.query(REFUND, { input: { id: order.id, reason: "Customer cannot attend" } }, promoter.token)).data!.adminRefundOrder);
    // The gateway confirmed the refund within the request: REFUNDED, not CANCELLED.
    expect(refunded.order).toMatchObject({ id: order.id, status: "REFUNDED", cancelledAt: expect.any(String) });
    expect(refunded.order.tickets.map((ticket: { status: string }) => ticket.status)).toEqual(["VOID", "VOID"]);
    expect(refunded.order.payments).toEqual([
      expect.objectContaining({
        status: "REFUNDED",
        refunds: [expect.objectContaining({ amount: { amount: 11500, currency: "USD" }, reason: "CANCELLED", confirmed: true })],
      }),
    ]);
    expect(await seatStatuses(pool, eventId, order.seatIds)).toEqual(["AVAILABLE", "AVAILABLE"]);
    expect(await gatewayRefunds(pool, order.id)).toEqual([11500]);
    expect(await auditRows(pool, order.id)).toEqual([
      {
        action: "order.refund",
        actorUserId: promoter.id,
        organizationId: promoter.organizationId,
        before: { status: "CONFIRMED" },
        after: { status: "CANCELLED", reason: "Customer cannot attend", refundMinor: 11500, currency: "USD" },
      },
    ]);
    // The other orders are untouched.
    expect((await api.query(ADMIN_ORDER, { id: orders[1]!.id }, promoter.token)).data!.adminOrder.status).toBe("CONFIRMED");
    await expectMoneyConsistent(pool);
  });

  it("is idempotent: a second call answers the same order, with no second refund and no second audit row", async () => {
    const { promoter, orders, pool } = await soldEvent(api);
    const input = { id: orders[1]!.id, reason: "Duplicate purchase" };
    const once = expectOk((await api.query(REFUND, { input }, promoter.token)).data!.adminRefundOrder);
    const before = await orderState(pool, input.id);
    const twice = expectOk((await api.query(REFUND, { input }, promoter.token)).data!.adminRefundOrder);
    expect(twice.order).toEqual(once.order);
    expect(await orderState(pool, input.id)).toEqual(before);
    expect(await gatewayRefunds(pool, input.id)).toEqual([11500]);
    expect(await auditRows(pool, input.id)).toHaveLength(1);
  });

  it("two refunds at once make one refund", async () => {
    const { promoter, orders, pool } = await soldEvent(api);
    const input = { id: orders[2]!.id, reason: "Race" };
    const results = await Promise.all([api.query(REFUND, { input }, promoter.token), api.query(REFUND, { input }, promoter.token)]);
    for (const result of results) expect(expectOk(result.data!.adminRefundOrder).order.status).toMatch(/^(CANCELLED|REFUNDED)$/);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM refunds WHERE order_id = $1`, [input.id]);
    expect(rows[0].n).toBe(1);
    expect(await gatewayRefunds(pool, input.id)).toEqual([11500]);
    expect(await auditRows(pool, input.id)).toHaveLength(1);
    await expectMoneyConsistent(pool);
  });

  it("refuses what cannot be refunded, with VALIDATION and nothing changed", async () => {
    const { promoter, orders, eventId, pool } = await soldEvent(api);
    const refund = async (id: string, reason = "Because") => (await api.query(REFUND, { input: { id, reason } }, promoter.token)).data!.adminRefundOrder;

    // A ticket already used at the door.
    await pool.query(`UPDATE tickets SET status = 'SCANNED', scanned_at = now() WHERE id = (SELECT id FROM tickets WHERE order_id = $1 LIMIT 1)`, [orders[0]!.id]);
    let before = await orderState(pool, orders[0]!.id);
    expectError(await refund(orders[0]!.id), "VALIDATION");
    expect(await orderState(pool, orders[0]!.id)).toEqual(before);

    // No reason, or one too long.
    before = await orderState(pool, orders[1]!.id);
    expectError(await refund(orders[1]!.id, "   "), "VALIDATION");
    expectError(await refund(orders[1]!.id, "x".repeat(501)), "VALIDATION");
    expectError(await refund("not-an-id"), "VALIDATION");
    expectError(await refund("00000000-0000-4000-8000-000000000000"), "NOT_FOUND");
    expect(await orderState(pool, orders[1]!.id)).toEqual(before);

    // The event has started.
    await pool.query(`UPDATE events SET starts_at = now() - interval '1 hour', ends_at = now() + interval '2 hours' WHERE id = $1`, [eventId]);
    before = await orderState(pool, orders[1]!.id);
    expectError(await refund(orders[1]!.id), "VALIDATION");
    expect(await orderState(pool, orders[1]!.id)).toEqual(before);

    // Never paid.
    await pool.query(`UPDATE orders SET status = 'PENDING' WHERE id = $1`, [orders[2]!.id]);
    before = await orderState(pool, orders[2]!.id);
    const pending = await refund(orders[2]!.id);
    expectError(pending, "VALIDATION");
    expect(pending.errors[0].message).toMatch(/never paid/);
    expect(await orderState(pool, orders[2]!.id)).toEqual(before);
  });
});

describe("resendOrderConfirmation", () => {
  it("enqueues the confirmation email again through the outbox, audited, and the email is written", async () => {
    const { promoter, orders, pool } = await soldEvent(api);
    const order = orders[0]!;
    await api.app.emails.run();
    const file = join(mailDir, `order-${order.id}.eml`);
    rmSync(file);
    const payload = expectOk((await api.query(RESEND, { id: order.id }, promoter.token)).data!.resendOrderConfirmation);
    expect(payload.order).toEqual({ id: order.id, status: "CONFIRMED" });
    const { rows } = await pool.query(
      `SELECT e.type, e.payload, d.consumer, d.status FROM outbox_events e JOIN outbox_deliveries d ON d.outbox_event_id = e.id
       WHERE e.aggregate_id = $1 AND e.type = 'OrderConfirmed' ORDER BY e.id`,
      [order.id],
    );
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ type: "OrderConfirmed", consumer: "email", status: "PENDING", payload: { orderId: order.id, resend: true } });
    expect(await auditRows(pool, order.id)).toEqual([
      { action: "order.resend_confirmation", actorUserId: promoter.id, organizationId: promoter.organizationId, before: null, after: { emailQueued: true } },
    ]);
    expect(await api.app.emails.run()).toBe(1);
    expect(readdirSync(mailDir)).toContain(`order-${order.id}.eml`);
    expect(readFileSync(file, "utf8")).toContain(`To: ${order.fan.email}`);
  });

  it("refuses a cancelled order (no tickets to send) with VALIDATION and nothing enqueued", async () => {
    const { promoter, orders, pool } = await soldEvent(api);
    expectOk((await api.query(REFUND, { input: { id: orders[0]!.id, reason: "Refunded" } }, promoter.token)).data!.adminRefundOrder);
    const before = await orderState(pool, orders[0]!.id);
    expectError((await api.query(RESEND, { id: orders[0]!.id }, promoter.token)).data!.resendOrderConfirmation, "VALIDATION");
    expectError((await api.query(RESEND, { id: "nope" }, promoter.token)).data!.resendOrderConfirmation, "VALIDATION");
    expectError((await api.query(RESEND, { id: "00000000-0000-4000-8000-000000000000" }, promoter.token)).data!.resendOrderConfirmation, "NOT_FOUND");
    expect(await orderState(pool, orders[0]!.id)).toEqual(before);
  });
});
