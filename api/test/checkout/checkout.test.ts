import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test-support/database.js";
import { CANCEL, checkout, crashAfterCharge, expectMoneyConsistent, hold, ledger, sale, seatStatuses } from "./checkout-helpers.js";
import { createUser, createUsers } from "../support/factories.js";
import { startChildApi } from "../support/processes.js";
import { collect, expectError, expectGraphQLError, expectOk, startTestApi, subscribed, type TestApi } from "../support/test-api.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", PAYMENT_TIMEOUT_MS: "2000" } });
});
afterAll(async () => {
  await api.stop();
});

describe("checkout", () => {
  it("charges the locked subtotal plus the fees shown on the hold, and turns the hold into an order with tickets", async () => {
    const { pool, eventId, seatIds } = await sale(api);
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
    expect(held.subtotal).toEqual({ amount: 10_000, currency: "USD" });
    expect(held.fees).toEqual([
      { kind: "SERVICE", amount: { amount: 1_000, currency: "USD" } },
      { kind: "FACILITY", amount: { amount: 500, currency: "USD" } },
    ]);
    expect(held.total).toEqual({ amount: 11_500, currency: "USD" });
    // The price changes after the hold: the hold's locked price is what is charged.
    await pool.query("UPDATE event_sections SET price_minor = 9000, price_ceiling_minor = 20000 WHERE event_id = $1", [eventId]);

    const paid = expectOk(await checkout(api, fan.token, { holdId: held.id }));
    const order = paid.order;
    expect(order.status).toBe("CONFIRMED");
    expect(order.subtotal.amount).toBe(10_000);
    expect(order.fees).toEqual(held.fees);
    expect(order.total).toEqual(held.total);
    expect(order.lines.map((line: any) => line.price.amount)).toEqual([5000, 5000]);
    expect(order.tickets).toHaveLength(2);
    expect(order.tickets.map((ticket: any) => ticket.seat.id).sort()).toEqual(seatIds.slice(0, 2).sort());
    expect(order.tickets.every((ticket: any) => ticket.status === "VALID" && ticket.seat.status === "SOLD" && ticket.barcode.split(".").length === 3)).toBe(true);

    expect(await seatStatuses(pool, eventId, seatIds.slice(0, 2))).toEqual(["SOLD", "SOLD"]);
    const { rows: holds } = await pool.query("SELECT status FROM holds WHERE id = $1", [held.id]);
    expect(holds[0].status).toBe("CONVERTED");
    const { succeeded } = await ledger(pool);
    expect(succeeded.map((charge) => charge.amount_minor)).toEqual([11_500]);
    const { rows: outbox } = await pool.query(
      `SELECT e.type, d.consumer, d.status FROM outbox_events e JOIN outbox_deliveries d ON d.outbox_event_id = e.id WHERE e.aggregate_id = $1`,
      [order.id],
    );
    expect(outbox).toEqual([{ type: "OrderConfirmed", consumer: "email", status: "PENDING" }]);
    await expectMoneyConsistent(pool);
  });

  it("general admission: places move from held to sold and the count stays exact", async () => {
    const { pool, eventId, gaSectionId } = await sale(api);
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId, sectionId: gaSectionId, quantity: 3 });
    const paid = expectOk(await checkout(api, fan.token, { holdId: held.id }));
    expect(paid.order.tickets.map((ticket: any) => ticket.seat)).toEqual([null, null, null]);
    const { rows } = await pool.query("SELECT ga_held, ga_sold FROM event_sections WHERE event_id = $1 AND section_id = $2", [eventId, gaSectionId]);
    expect(rows[0]).toEqual({ ga_held: 0, ga_sold: 3 });
  });

  it("publishes SOLD for every sold seat", async () => {
    const { eventId, seatIds } = await sale(api);
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
    const messages = collect<{ seatStatusChanged: { seatId: string; status: string } }>(
      api.wsClient(),
      `subscription($eventId: ID!) { seatStatusChanged(eventId: $eventId) { seatId status available } }`,
      { eventId },
      2,
    );
    await subscribed(api, api.app.keys.seatStatusChannel(eventId));
    expectOk(await checkout(api, fan.token, { holdId: held.id }));
    const received = await messages.done;
    expect(received.map((message) => message.seatStatusChanged.status)).toEqual(["SOLD", "SOLD"]);
    expect(received.map((message) => message.seatStatusChanged.seatId).sort()).toEqual(seatIds.slice(0, 2).sort());
  });
});

describe("idempotency", () => {
  it("20 identical checkouts at the same moment on two API processes make one order and one charge", { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    const redisKeyPrefix = `test:${randomBytes(4).toString("hex")}:`;
    const local = await startTestApi({ database, redisKeyPrefix, env: { RECONCILE_INTERVAL_MS: "0" } });
    const child = await startChildApi({ DATABASE_URL: database.url, REDIS_KEY_PREFIX: redisKeyPrefix, RECONCILE_INTERVAL_MS: "0" });
    try {
      const { pool, eventId, seatIds } = await sale(local);
      const fan = await createUser(local);
      const held = await hold(local, fan.token, { eventId, seatIds: seatIds.slice(0, 3) });
      const idempotencyKey = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) => checkout(index % 2 === 0 ? local.url : child.url, fan.token, { holdId: held.id, idempotencyKey })),
      );
      const orderIds = new Set(results.map((result) => expectOk(result).order.id));
      expect(orderIds.size).toBe(1);
      const { rows } = await pool.query("SELECT count(*)::int AS orders FROM orders WHERE hold_id = $1", [held.id]);
      expect(rows[0].orders).toBe(1);
      expect((await ledger(pool)).succeeded).toHaveLength(1);
      const { rows: tickets } = await pool.query("SELECT count(*)::int AS n FROM tickets");
      expect(tickets[0].n).toBe(3);

      // Later retries with the same key return the same order; a new key for the paid hold is refused without a charge.
      expect(expectOk(await checkout(child.url, fan.token, { holdId: held.id, idempotencyKey })).order.id).toBe([...orderIds][0]);
      expectError(await checkout(local, fan.token, { holdId: held.id }), "VALIDATION");
      expect((await ledger(pool)).succeeded).toHaveLength(1);
      await expectMoneyConsistent(pool);
    } finally {
      await child.kill();
      await local.stop();
      await database.drop();
    }
  });

  it("the same key for another hold is refused and changes nothing", async () => {
    const { pool, eventId, seatIds } = await sale(api);
    const fan = await createUser(api);
    const first = await hold(api, fan.token, { eventId, seatIds: [seatIds[0]] });
    const idempotencyKey = randomUUID();
    expectOk(await checkout(api, fan.token, { holdId: first.id, idempotencyKey }));
    const second = await hold(api, fan.token, { eventId, seatIds: [seatIds[5]] });
    const before = (await ledger(pool)).succeeded.length;
    const reused = await checkout(api, fan.token, { holdId: second.id, idempotencyKey });
    expectError(reused, "VALIDATION");
    expect(reused.errors[0]!.field).toBe("idempotencyKey");
    expect((await ledger(pool)).succeeded.length).toBe(before);
    expect(await seatStatuses(pool, eventId, [seatIds[5]!])).toEqual(["HELD"]);
  });
});

describe("payment failures", () => {
  it("a declined card gives PAYMENT_DECLINED, charges nothing and keeps the hold; another card then pays", async () => {
    const { pool, eventId, seatIds } = await sale(api);
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
    const chargedBefore = (await ledger(pool)).succeeded.length;
    const ordersBefore = await pool.query("SELECT 1 FROM orders").then((result) => result.rowCount);
    const key = randomUUID();
    const declined = await checkout(api, fan.token, { holdId: held.id, idempotencyKey: key, paymentToken: "tok_chargeDeclined" });
    expectError(declined, "PAYMENT_DECLINED");
    expectError(await checkout(api, fan.token, { holdId: held.id, idempotencyKey: key, paymentToken: "tok_visa" }), "PAYMENT_DECLINED");
    expect(await seatStatuses(pool, eventId, seatIds.slice(0, 2))).toEqual(["HELD", "HELD"]);
    const { rows } = await pool.query("SELECT status FROM holds WHERE id = $1", [held.id]);
    expect(rows[0].status).toBe("ACTIVE");
    expect((await ledger(pool)).succeeded).toHaveLength(chargedBefore);
    expect(await pool.query("SELECT 1 FROM orders").then((result) => result.rowCount)).toBe(ordersBefore);

    expectOk(await checkout(api, fan.token, { holdId: held.id, paymentToken: "tok_visa" }));
    await expectMoneyConsistent(pool);
  });

  it("a gateway that hangs times out with PAYMENT_UNAVAILABLE; after repeated failures the breaker answers at once; it closes again after its reset", { timeout: 30_000 }, async () => {
    const local = await startTestApi({ env: { PAYMENT_TIMEOUT_MS: "300", PAYMENT_BREAKER_RESET_MS: "1500", RECONCILE_INTERVAL_MS: "0" } });
    try {
      const { pool, eventId, seatIds } = await sale(local);
      const fan = await createUser(local);
      const held = await hold(local, fan.token, { eventId, seatIds: [seatIds[0]] });
      for (let attempt = 0; attempt < 3; attempt++) {
        const started = Date.now();
        expectError(await checkout(local, fan.token, { holdId: held.id, paymentToken: "tok_timeout" }), "PAYMENT_UNAVAILABLE");
        expect(Date.now() - started).toBeLessThan(2_000);
      }
      expect(local.app.payments.breakerState()).toBe("open");
      const started = Date.now();
      expectError(await checkout(local, fan.token, { holdId: held.id, paymentToken: "tok_visa" }), "PAYMENT_UNAVAILABLE");
      expect(Date.now() - started).toBeLessThan(250);
      expect((await ledger(pool)).succeeded).toHaveLength(0);
      // Every attempt is settled (none left open), and the hold is still the fan's.
      const { rows } = await pool.query("SELECT status, failure_code FROM payment_intents");
      expect(rows.every((row) => row.status === "FAILED" && row.failure_code === "UNAVAILABLE")).toBe(true);

      await new Promise((resolve) => setTimeout(resolve, 1_700));
      expectOk(await checkout(local, fan.token, { holdId: held.id, paymentToken: "tok_visa" }));
      expect(local.app.payments.breakerState()).toBe("closed");
      await expectMoneyConsistent(pool);
    } finally {
      await local.stop();
    }
  });
});

describe("crash between charge and commit", () => {
  it("the reconciler completes the order when the seats are still the hold's", { timeout: 60_000 }, async () => {
    const { local, pool, eventId, seatIds, fan, cleanup } = await crashAfterCharge();
    try {
      expect(await local.app.reconciler.run()).toEqual({ intents: 1, refunds: 0 });
      const { rows } = await pool.query("SELECT status, total_minor FROM orders WHERE user_id = $1", [fan.id]);
      expect(rows).toEqual([{ status: "CONFIRMED", total_minor: 11_500 }]);
      expect(await seatStatuses(pool, eventId, seatIds.slice(0, 2))).toEqual(["SOLD", "SOLD"]);
      expect(await local.app.reconciler.run()).toEqual({ intents: 0, refunds: 0 });
      await expectMoneyConsistent(pool);
    } finally {
      await cleanup();
    }
  });

  it("the reconciler refunds when the hold expired and another fan took the seats", { timeout: 60_000 }, async () => {
    const { local, pool, eventId, seatIds, held, fan, cleanup } = await crashAfterCharge(undefined, 4);
    try {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(held.expiresAt) - Date.now()) + 100));
      const [other] = await createUsers(local, 1);
      await hold(local, other!.token, { eventId, seatIds: seatIds.slice(0, 2) });
      expect(await local.app.reconciler.run()).toEqual({ intents: 1, refunds: 0 });
      expect(await pool.query("SELECT 1 FROM orders WHERE user_id = $1", [fan.id]).then((result) => result.rowCount)).toBe(0);
      const { refunded } = await ledger(pool);
      expect(refunded.map((charge) => charge.refunded_minor)).toEqual([11_500]);
      const { rows } = await pool.query("SELECT status, failure_code FROM payment_intents");
      expect(rows).toEqual([{ status: "REFUNDED", failure_code: "HOLD_LOST" }]);
      expect(await seatStatuses(pool, eventId, seatIds.slice(0, 2))).toEqual(["HELD", "HELD"]);
      await expectMoneyConsistent(pool);
    } finally {
      await cleanup();
    }
  });
});

describe("orders", () => {
  it("myOrders pages newest first; order is visible to its owner, the event's promoters and admins only", async () => {
    const { eventId, seatIds, promoter } = await sale(api, { maxSeatsPerUser: 8 });
    const fan = await createUser(api);
    const ids: string[] = [];
    for (const seatId of seatIds.slice(0, 3)) {
      const held = await hold(api, fan.token, { eventId, seatIds: [seatId] });
      ids.unshift(expectOk(await checkout(api, fan.token, { holdId: held.id })).order.id);
    }
    const page = `query($after: String) { myOrders(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } totalCount } }`;
    const first = (await api.query(page, {}, fan.token)).data!.myOrders;
    expect(first.edges.map((edge: any) => edge.node.id)).toEqual(ids.slice(0, 2));
    expect(first.totalCount).toBe(3);
    const second = (await api.query(page, { after: first.pageInfo.endCursor }, fan.token)).data!.myOrders;
    expect(second.edges.map((edge: any) => edge.node.id)).toEqual(ids.slice(2));
    expect(second.pageInfo.hasNextPage).toBe(false);
    expectGraphQLError(await api.query(page, { after: "garbage" }, fan.token), "VALIDATION");

    const one = `query($id: ID!) { order(id: $id) { id tickets { id } } }`;
    const stranger = await createUser(api);
    const otherPromoter = await createUser(api, { role: "PROMOTER", organizationId: (await createUser(api)).organizationId });
    const admin = await createUser(api, { role: "ADMIN" });
    expect((await api.query(one, { id: ids[0] }, fan.token)).data!.order.id).toBe(ids[0]);
    expect((await api.query(one, { id: ids[0] }, promoter.token)).data!.order.id).toBe(ids[0]);
    expect((await api.query(one, { id: ids[0] }, admin.token)).data!.order.id).toBe(ids[0]);
    expect((await api.query(one, { id: ids[0] }, stranger.token)).data!.order).toBeNull();
    expect((await api.query(one, { id: ids[0] }, otherPromoter.token)).data!.order).toBeNull();
    expectGraphQLError(await api.query(one, { id: ids[0] }), "UNAUTHENTICATED");
  });

  it("cancelOrder refunds through the gateway, voids the tickets and puts the seats back on sale", async () => {
    const { pool, eventId, seatIds } = await sale(api);
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
    const order = expectOk(await checkout(api, fan.token, { holdId: held.id })).order;

    const stranger = await createUser(api);
    expectError((await api.query(CANCEL, { orderId: order.id }, stranger.token)).data!.cancelOrder, "NOT_FOUND");

    const cancelled = expectOk((await api.query(CANCEL, { orderId: order.id }, fan.token)).data!.cancelOrder).order;
    expect(cancelled.status).toBe("REFUNDED");
    expect(cancelled.tickets.map((ticket: any) => ticket.status)).toEqual(["VOID", "VOID"]);
    expect(await seatStatuses(pool, eventId, seatIds.slice(0, 2))).toEqual(["AVAILABLE", "AVAILABLE"]);
    expect((await ledger(pool)).refunded.find((charge) => charge.amount_minor === 11_500)?.refunded_minor).toBe(11_500);
    expectError((await api.query(CANCEL, { orderId: order.id }, fan.token)).data!.cancelOrder, "VALIDATION");

    // The seats can be sold again.
    const again = await hold(api, stranger.token, { eventId, seatIds: seatIds.slice(0, 2) });
    expectOk(await checkout(api, stranger.token, { holdId: again.id }));
    await expectMoneyConsistent(pool);
  });

  it("an order cannot be cancelled once the event has started", async () => {
    const { pool, eventId, seatIds } = await sale(api);
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId, seatIds: [seatIds[0]] });
    const order = expectOk(await checkout(api, fan.token, { holdId: held.id })).order;
    await pool.query("UPDATE events SET starts_at = now() - interval '1 minute', on_sale_at = now() - interval '1 day' WHERE id = $1", [eventId]);
    expectError((await api.query(CANCEL, { orderId: order.id }, fan.token)).data!.cancelOrder, "VALIDATION");
    expect((await ledger(pool)).refunded.filter((charge) => charge.intent_id === order.id)).toEqual([]);
  });
});

describe("bad input changes nothing", () => {
  it("malformed, foreign, expired and unknown-token checkouts get typed errors; no order, no charge", async () => {
    // Holds of 3 s: the six refusals before the expiry must land while the hold is still live (with 1 s a
    // stall of the loaded CI machine could turn tok_nonsense's VALIDATION into HOLD_EXPIRED).
    const { pool, eventId, seatIds } = await sale(api, { holdDurationSeconds: 3 });
    const fan = await createUser(api);
    const stranger = await createUser(api);
    const held = await hold(api, fan.token, { eventId, seatIds: [seatIds[0]] });
    const before = (await ledger(pool)).succeeded.length;

    expectError(await checkout(api, fan.token, { holdId: "not-an-id" }), "VALIDATION");
    expectError(await checkout(api, fan.token, { holdId: held.id, idempotencyKey: "" }), "VALIDATION");
    expectError(await checkout(api, fan.token, { holdId: held.id, idempotencyKey: "k".repeat(201) }), "VALIDATION");
    expectError(await checkout(api, fan.token, { holdId: held.id, paymentToken: " " }), "VALIDATION");
    expectError(await checkout(api, fan.token, { holdId: randomUUID() }), "NOT_FOUND");
    expectError(await checkout(api, stranger.token, { holdId: held.id }), "NOT_FOUND");
    const unknown = await checkout(api, fan.token, { holdId: held.id, paymentToken: "tok_nonsense" });
    expectError(unknown, "VALIDATION");
    expect(unknown.errors[0]!.field).toBe("paymentToken");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(held.expiresAt) - Date.now()) + 100));
    expectError(await checkout(api, fan.token, { holdId: held.id }), "HOLD_EXPIRED");

    expect((await ledger(pool)).succeeded.length).toBe(before);
    expect(await pool.query("SELECT 1 FROM orders o JOIN holds h ON h.id = o.hold_id WHERE h.event_id = $1", [eventId]).then((r) => r.rowCount)).toBe(0);
    const { rows } = await pool.query("SELECT count(*)::int AS open FROM payment_intents WHERE status = 'CREATED'");
    expect(rows[0].open).toBe(0);
    expectGraphQLError(await api.query(`mutation { checkout(input: { holdId: "x", idempotencyKey: "k", paymentToken: "t" }) { errors { code } } }`), "UNAUTHENTICATED");
  });
});
