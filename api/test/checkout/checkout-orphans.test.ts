/**
 * Payments whose owning process is gone are settled at once. Each API process holds a lease
 * (process_leases) and each payment intent names its owner; once the owner's lease lapses, the fan's
 * retry with the same idempotency key (or the reconciler's next pass) settles the intent from the
 * gateway's books — instead of PAYMENT_UNAVAILABLE until PAYMENT_SETTLE_AFTER_MS. Taking over from an
 * owner that is only stalled stays safe: one charge at most, and never a charge without an order or a
 * refund.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkout as checkoutService, type CheckoutDependencies } from "../../src/checkout/checkout.service.js";
import type { ChargeOutcome } from "../../src/payment/payment.js";
import { checkout, crashAfterCharge, expectMoneyConsistent, hold, ledger, sale, seatStatuses } from "./checkout-helpers.js";
import { createUser } from "../support/factories.js";
import { expectError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";

/** The retrying fan must have an answer this soon after the crash (PROCESS_LEASE_MS at its default, 5 s). */
const ANSWER_WITHIN_MS = 10_000;

describe("a process killed between charge and commit", () => {
  it("the fan's retry with the same key gets the order within 10 s: one charge, one order", { timeout: 60_000 }, async ({ annotate }) => {
    // The time rule alone would take a minute (PAYMENT_SETTLE_AFTER_MS at its default), and no reconciler runs.
    const { local, pool, eventId, seatIds, held, fan, idempotencyKey, crashedAt, cleanup } = await crashAfterCharge({});
    try {
      const retried = await checkout(local, fan.token, { holdId: held.id, idempotencyKey });
      const elapsed = Date.now() - crashedAt;
      const orderId = expectOk(retried).order.id as string;
      expect(elapsed).toBeLessThan(ANSWER_WITHIN_MS);
      const { rows } = await pool.query("SELECT id, status, total_minor FROM orders WHERE user_id = $1", [fan.id]);
      expect(rows).toEqual([{ id: orderId, status: "CONFIRMED", total_minor: 11_500 }]);
      expect((await ledger(pool)).succeeded).toHaveLength(1);
      expect(await seatStatuses(pool, eventId, seatIds.slice(0, 2))).toEqual(["SOLD", "SOLD"]);
      // The intent now belongs to the live process that settled it; nothing is left for the reconciler.
      const { rows: intents } = await pool.query("SELECT status, owner FROM payment_intents");
      expect(intents).toEqual([{ status: "SUCCEEDED", owner: local.app.lease.owner }]);
      expect(await local.app.reconciler.run()).toEqual({ intents: 0, refunds: 0 });
      // Retrying again is the same order.
      expect(expectOk(await checkout(local, fan.token, { holdId: held.id, idempotencyKey })).order.id).toBe(orderId);
      expect((await ledger(pool)).succeeded).toHaveLength(1);
      await expectMoneyConsistent(pool);
      await annotate(`retry answered with the order ${elapsed} ms after the crash`);
    } finally {
      await cleanup();
    }
  });

  it("the reconciler leaves the intent while the owner's lease holds and settles it on its first pass after", { timeout: 60_000 }, async ({ annotate }) => {
    const { local, pool, fan, crashedAt, cleanup } = await crashAfterCharge({});
    try {
      // Within the dead owner's lease (renewed at most a third of it before the kill): today's behaviour.
      expect(await local.app.reconciler.run()).toEqual({ intents: 0, refunds: 0 });
      const lapsed = async () =>
        (await pool.query("SELECT 1 FROM payment_intents i JOIN process_leases l ON l.owner = i.owner WHERE l.expires_at > now()")).rowCount === 0;
      while (!(await lapsed())) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await local.app.reconciler.run()).toEqual({ intents: 1, refunds: 0 });
      const elapsed = Date.now() - crashedAt;
      expect(elapsed).toBeLessThan(ANSWER_WITHIN_MS);
      const { rows } = await pool.query("SELECT status FROM orders WHERE user_id = $1", [fan.id]);
      expect(rows).toEqual([{ status: "CONFIRMED" }]);
      expect((await ledger(pool)).succeeded).toHaveLength(1);
      await expectMoneyConsistent(pool);
      await annotate(`reconciler settled it ${elapsed} ms after the crash`);
    } finally {
      await cleanup();
    }
  });
});

describe("taking over from an owner that is alive", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ env: { RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0" } });
  });
  afterAll(async () => {
    await api.stop();
  });

  /**
   * A checkout run by a stand-in owner that stalls at the gateway (before or after the charge) until
   * released. `owner` names it: a live process's lease, or one that has lapsed (no row).
   */
  function stalledCheckout(owner: string, stall: "before-charge" | "after-charge") {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const real = api.app.checkout;
    const deps: CheckoutDependencies = {
      ...real,
      lease: { owner, held: async () => undefined },
      // Another process has its own; this one's when the stand-in is this process.
      working: owner === real.lease.owner ? real.working : new Set(),
      payments: {
        ...real.payments,
        async charge(request): Promise<ChargeOutcome> {
          if (stall === "before-charge") {
            reached();
            await released;
            return real.payments.charge(request);
          }
          const charged = await real.payments.charge(request);
          reached();
          await released;
          return charged;
        },
      },
    };
    return { deps, atGate, release };
  }

  async function fanWithHold() {
    const { pool, eventId, seatIds } = await sale(api);
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
    return { pool, eventId, seatIds: seatIds.slice(0, 2), fan, held, idempotencyKey: randomUUID() };
  }

  it("lease held, owner slow: the retry waits for the owner's answer and nothing is settled twice", { timeout: 30_000 }, async () => {
    const { pool, fan, held, idempotencyKey } = await fanWithHold();
    const owner = stalledCheckout(api.app.lease.owner, "after-charge");
    const first = checkoutService(owner.deps, fan.id, { holdId: held.id, idempotencyKey, paymentToken: "tok_visa" });
    await owner.atGate;
    const retry = checkout(api, fan.token, { holdId: held.id, idempotencyKey });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { rows } = await pool.query("SELECT status, owner FROM payment_intents WHERE hold_id = $1", [held.id]);
    expect(rows).toEqual([{ status: "CREATED", owner: api.app.lease.owner }]);
    owner.release();
    const answered = await first;
    expect(answered.ok).toBe(true);
    expect(expectOk(await retry).order.id).toBe(answered.ok && answered.value);
    expect((await ledger(pool)).succeeded.filter((charge) => charge.amount_minor === 11_500)).toHaveLength(1);
    await expectMoneyConsistent(pool);
  });

  it("lease lapsed after the charge (owner stalled): the retry makes the order, the owner wakes to the same order", { timeout: 30_000 }, async () => {
    const { pool, fan, held, idempotencyKey } = await fanWithHold();
    const before = (await ledger(pool)).succeeded.length;
    const owner = stalledCheckout(`stalled-${randomUUID()}`, "after-charge");
    const first = checkoutService(owner.deps, fan.id, { holdId: held.id, idempotencyKey, paymentToken: "tok_visa" });
    await owner.atGate;
    const retried = expectOk(await checkout(api, fan.token, { holdId: held.id, idempotencyKey }));
    owner.release();
    const woke = await first;
    expect(woke).toEqual({ ok: true, value: retried.order.id });
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM orders WHERE hold_id = $1", [held.id]);
    expect(rows[0].n).toBe(1);
    expect((await ledger(pool)).succeeded).toHaveLength(before + 1);
    await expectMoneyConsistent(pool);
  });

  it("lease lapsed before the charge (owner stalled): the retry voids it and says not charged; the owner's late charge is refused", { timeout: 30_000 }, async () => {
    const { pool, eventId, seatIds, fan, held, idempotencyKey } = await fanWithHold();
    const before = (await ledger(pool)).succeeded.length;
    const owner = stalledCheckout(`stalled-${randomUUID()}`, "before-charge");
    const first = checkoutService(owner.deps, fan.id, { holdId: held.id, idempotencyKey, paymentToken: "tok_visa" });
    await owner.atGate;
    const retried = await checkout(api, fan.token, { holdId: held.id, idempotencyKey });
    expectError(retried, "PAYMENT_UNAVAILABLE");
    expect(retried.errors[0]!.message).toMatch(/not charged/);
    owner.release();
    const woke = await first;
    expect(woke.ok).toBe(false);
    expect((await ledger(pool)).succeeded).toHaveLength(before);
    const { rows } = await pool.query("SELECT status, failure_code FROM payment_intents WHERE hold_id = $1", [held.id]);
    expect(rows).toEqual([{ status: "FAILED", failure_code: "UNAVAILABLE" }]);
    expect(await pool.query("SELECT 1 FROM orders WHERE hold_id = $1", [held.id]).then((result) => result.rowCount)).toBe(0);
    // The hold is still the fan's: a new key pays for it.
    expect(await seatStatuses(pool, eventId, seatIds)).toEqual(["HELD", "HELD"]);
    expectOk(await checkout(api, fan.token, { holdId: held.id }));
    await expectMoneyConsistent(pool);
  });

  it("a request that failed between charge and commit (PostgreSQL away) leaves its payment to the retry, which settles it at once", { timeout: 30_000 }, async () => {
    const { pool, fan, held, idempotencyKey } = await fanWithHold();
    const before = (await ledger(pool)).succeeded.length;
    const outage = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const failing: CheckoutDependencies = {
      ...api.app.checkout,
      failpoint: (name) => {
        if (name === "checkout.after-charge") throw outage;
      },
    };
    await expect(checkoutService(failing, fan.id, { holdId: held.id, idempotencyKey, paymentToken: "tok_visa" })).rejects.toBe(outage);
    const { rows } = await pool.query("SELECT id, status, owner FROM payment_intents WHERE hold_id = $1", [held.id]);
    expect(rows).toEqual([{ id: expect.any(String), status: "CREATED", owner: api.app.lease.owner }]);
    expect(api.app.checkout.working.has(rows[0].id)).toBe(false);
    const started = Date.now();
    const retried = expectOk(await checkout(api, fan.token, { holdId: held.id, idempotencyKey }));
    expect(Date.now() - started).toBeLessThan(2_000);
    const { rows: orders } = await pool.query("SELECT id FROM orders WHERE hold_id = $1", [held.id]);
    expect(orders).toEqual([{ id: retried.order.id }]);
    expect((await ledger(pool)).succeeded).toHaveLength(before + 1);
    await expectMoneyConsistent(pool);
  });

  it("this process's reconciler settles a payment one of its requests gave up, on its next pass", { timeout: 30_000 }, async () => {
    const { pool, fan, held, idempotencyKey } = await fanWithHold();
    const failing: CheckoutDependencies = {
      ...api.app.checkout,
      failpoint: (name) => {
        if (name === "checkout.after-charge") throw Object.assign(new Error("Connection terminated unexpectedly"));
      },
    };
    await expect(checkoutService(failing, fan.id, { holdId: held.id, idempotencyKey, paymentToken: "tok_visa" })).rejects.toThrow();
    expect(await api.app.reconciler.run()).toEqual({ intents: 1, refunds: 0 });
    const { rows } = await pool.query("SELECT status FROM orders WHERE hold_id = $1", [held.id]);
    expect(rows).toEqual([{ status: "CONFIRMED" }]);
    // The fan's retry finds the order.
    expectOk(await checkout(api, fan.token, { holdId: held.id, idempotencyKey }));
    await expectMoneyConsistent(pool);
  });

  it("a payment being paid by a request of this process is left alone by its own reconciler", { timeout: 30_000 }, async () => {
    const { pool, fan, held, idempotencyKey } = await fanWithHold();
    const owner = stalledCheckout(api.app.lease.owner, "after-charge");
    const first = checkoutService(owner.deps, fan.id, { holdId: held.id, idempotencyKey, paymentToken: "tok_visa" });
    await owner.atGate;
    expect(await api.app.reconciler.run()).toEqual({ intents: 0, refunds: 0 });
    owner.release();
    expect((await first).ok).toBe(true);
    const { rows } = await pool.query("SELECT status FROM payment_intents WHERE hold_id = $1", [held.id]);
    expect(rows).toEqual([{ status: "SUCCEEDED" }]);
    await expectMoneyConsistent(pool);
  });
});
