/**
 * CANCELLED with a mass refund: every paid order of the event is cancelled and refunded through the
 * fan's cancellation path, once (idempotent), and a pass interrupted part-way is finished by the next
 * one (resumable), with its progress on AdminEvent.refundProgress.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOnce } from "../../src/admin/admin.events.refunds.js";
import { CANCEL, checkout, expectMoneyConsistent, hold, ledger, sale, seatStatuses } from "../checkout/checkout-helpers.js";
import { createUser } from "../support/factories.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import { TRANSITION } from "./events-helpers.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { RECONCILE_INTERVAL_MS: "0", HOLD_SWEEP_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0" } });
});
afterAll(async () => {
  await api.stop();
});

const PROGRESS = `query($id: ID!) { adminEvent(id: $id) { status refundProgress { total refunded confirmedAtGateway } } }`;

/** An on-sale event with three paid orders of two seats each. */
async function soldEvent() {
  const fixture = await sale(api);
  const orders: { id: string; token: string }[] = [];
  for (let index = 0; index < 3; index++) {
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId: fixture.eventId, seatIds: fixture.seatIds.slice(index * 2, index * 2 + 2) });
    const paid = await checkout(api, fan.token, { holdId: held.id });
    orders.push({ id: expectOk(paid).order.id as string, token: fan.token });
  }
  return { ...fixture, orders };
}

async function orderStatuses(eventId: string): Promise<string[]> {
  const { rows } = await api.app.db.pool.query<{ status: string }>(`SELECT status::text FROM orders WHERE event_id = $1 ORDER BY id`, [eventId]);
  return rows.map((row) => row.status);
}

describe("cancelling an event", () => {
  it("refunds every paid order once, frees the seats and shows the progress", async () => {
    const { eventId, promoter, seatIds, pool } = await soldEvent();
    expect((await api.query(PROGRESS, { id: eventId }, promoter.token)).data!.adminEvent.refundProgress).toBeNull();
    const payload = (await api.query(TRANSITION, { input: { id: eventId, to: "CANCELLED" } }, promoter.token)).data!.transitionEvent;
    expect(expectOk(payload).event.status).toBe("CANCELLED");
    await api.app.eventRefunds.run();
    await api.app.eventRefunds.run();
    expect(await orderStatuses(eventId)).toEqual(["REFUNDED", "REFUNDED", "REFUNDED"]);
    expect((await api.query(PROGRESS, { id: eventId }, promoter.token)).data!.adminEvent.refundProgress).toEqual({ total: 3, refunded: 3, confirmedAtGateway: 3 });
    expect((await ledger(pool)).refunded.filter((charge) => charge.refunded_minor === charge.amount_minor)).toHaveLength(3);
    expect(await seatStatuses(pool, eventId, seatIds.slice(0, 6))).toEqual(Array(6).fill("AVAILABLE"));
    await expectMoneyConsistent(pool);
  });

  it("resumes after an interrupted pass: orders already refunded are skipped, the rest refunded, none twice", async () => {
    const { eventId, promoter, orders, pool } = await soldEvent();
    // As if the process died right after committing the status: no pass ran.
    await pool.query(`UPDATE events SET status = 'CANCELLED' WHERE id = $1`, [eventId]);
    expect((await api.query(PROGRESS, { id: eventId }, promoter.token)).data!.adminEvent.refundProgress).toEqual({ total: 3, refunded: 0, confirmedAtGateway: 0 });
    // ... and as if a pass died after the first order: it is refunded, the others are not.
    expectOk((await api.query(CANCEL, { orderId: orders[0]!.id }, orders[0]!.token)).data!.cancelOrder);
    expect((await api.query(PROGRESS, { id: eventId }, promoter.token)).data!.adminEvent.refundProgress).toEqual({ total: 3, refunded: 1, confirmedAtGateway: 1 });
    const pass = await runOnce(api.app.checkout, api.app.logger);
    expect(pass).toEqual({ events: 1, cancelled: 2, failed: 0 });
    expect(await runOnce(api.app.checkout, api.app.logger)).toEqual({ events: 0, cancelled: 0, failed: 0 });
    expect((await api.query(PROGRESS, { id: eventId }, promoter.token)).data!.adminEvent.refundProgress).toEqual({ total: 3, refunded: 3, confirmedAtGateway: 3 });
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.event_id = $1`, [eventId]);
    expect(rows[0].n).toBe(3);
    expect(await orderStatuses(eventId)).toEqual(["REFUNDED", "REFUNDED", "REFUNDED"]);
    await expectMoneyConsistent(pool);
  });
});
