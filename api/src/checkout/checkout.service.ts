/**
 * Paying for a hold. The order of steps is what makes it crash-safe (DESIGN.md, "Checkout"):
 *   1. begin_checkout records a payment intent (the idempotency key's owner) before any money moves;
 *   2. the gateway charges, idempotent by the intent id, behind a timeout and a circuit breaker;
 *   3. finalize_checkout turns the hold into an order with tickets in one transaction, or reports
 *      that the seats are gone, and then the charge is refunded.
 * A process that dies between 2 and 3 leaves a CREATED intent; the reconciler asks the gateway what
 * happened and completes the order or refunds. So there is never a charge without an order or a
 * refund, and never an order without a charge. Each intent names the process that owns it
 * (platform/process-lease.ts): once that process's lease lapses, the intent is settled at once, by the
 * reconciler's next pass or inline by the fan's retry with the same key, rather than after
 * PAYMENT_SETTLE_AFTER_MS. Taking an intent over from an owner that is in fact alive (stalled past
 * its lease) stays safe: the gateway charges an intent id once and a voided one never, and every
 * settlement is a conditional update of the intent row.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { SeatChanges } from "../hold/hold.seat-changes.js";
import { withTransaction } from "../platform/db.js";
import { fail, ok, type Result } from "../platform/errors.js";
import type { Failpoint } from "../platform/failpoints.js";
import { isId } from "../platform/graphql.js";
import type { Logger } from "../platform/logger.js";
import type { ProcessLease } from "../platform/process-lease.js";
import type { Payments } from "../payment/payment.js";
import * as db from "./checkout.db.js";
import { quoteFees } from "./checkout.fees.js";
import type { Admission } from "../waiting-room/waiting-room.tokens.js";

export interface CheckoutDependencies {
  pool: pg.Pool;
  payments: Payments;
  /** Claims, counts and seatStatusChanged after a sale or a refund. */
  seatChanges: SeatChanges;
  logger: Logger;
  failpoint: (name: Failpoint) => void;
  /** This process's lease: it names the owner of the intents this process starts or takes over. */
  lease: Pick<ProcessLease, "owner" | "held">;
  /**
   * Intents this process is charging or settling right now. One it owns but is not working on was
   * given up by a request that failed mid-way (PostgreSQL away between charge and commit): a retry or
   * this process's reconciler settles it at once, as if its owner had died.
   */
  working: Set<string>;
  /** How long a request repeating an idempotency key waits for the first one to settle. */
  settleWaitMs: number;
  /** Called after an order is confirmed (the outbox delivers its email). */
  onOrderConfirmed(): void;
  /** Demand counters (the TRENDING search sort): tickets just sold. */
  demand?: (eventId: string, tickets: number) => void;
  /** Waiting-room events: checks the admission token (expired ones too) and frees the shopper's slot after a purchase. */
  admission?: {
    verify(userId: string, eventId: string, token: string | null | undefined): Promise<Result<Admission>>;
    purchased(admission: Admission): Promise<void>;
  };
}

export interface CheckoutRequest {
  holdId: string;
  idempotencyKey: string;
  paymentToken: string;
  admissionToken?: string | null;
}

const MAX_KEY = 200;
const MAX_TOKEN = 255;
const POLL_MS = 50;

/** Returns the id of the order the hold became. */
export async function checkout(deps: CheckoutDependencies, userId: string, request: CheckoutRequest): Promise<Result<string>> {
  const checked = validate(request);
  if (!checked.ok) return checked;
  const hold = await db.findCheckoutHold(deps.pool, request.holdId);
  if (!hold || hold.userId !== userId) {
    // A key already used settles to its own answer even if the hold is gone.
    return replayOrMissing(deps, userId, request);
  }
  // A waiting-room event needs no live admission to pay: holdSeats refuses every fan without one, so a
  // live hold of such an event was placed under a valid admission, and the hold's expiry is the one
  // clock that decides (begin_checkout refuses an ended hold). A token, when sent, must still be this
  // fan's for this event (expired is fine); it lets the purchase free the shopper's slot at once.
  let admission: Admission | null = null;
  if (hold.waitingRoomEnabled && deps.admission && request.admissionToken) {
    const verified = await deps.admission.verify(userId, hold.eventId, request.admissionToken);
    if (!verified.ok) return verified;
    admission = verified.value;
  }
  const fees = quoteFees(hold.linePricesMinor, hold);
  const intentId = randomUUID();
  // The intent will name this process: its lease must be fresh, or the intent could be taken over at once.
  await deps.lease.held();
  // Worked on from before it is recorded until this request ends; still open after that, it was given
  // up mid-way (this request threw) and is left to retries and the reconciler.
  return whileWorking(deps, [intentId], () => begin(deps, userId, request, { intentId, hold, fees, admission }));
}

/** Records the payment intent and pays it, or answers why not. */
async function begin(
  deps: CheckoutDependencies,
  userId: string,
  request: CheckoutRequest,
  { intentId, hold, fees, admission }: { intentId: string; hold: db.CheckoutHoldRow; fees: db.FeeLineRow[]; admission: Admission | null },
): Promise<Result<string>> {
  const begun = await db.beginCheckout(deps.pool, {
    intentId,
    userId,
    holdId: hold.id,
    idempotencyKey: request.idempotencyKey,
    gateway: deps.payments.gateway.name,
    fees,
    owner: deps.lease.owner,
  });
  switch (begun.outcome) {
    case "CREATED": {
      const paid = await pay(deps, { intentId, amountMinor: begun.amountMinor, currency: begun.currency, paymentToken: request.paymentToken, eventName: hold.eventName });
      if (paid.ok && admission) {
        await deps.admission!.purchased(admission).catch((error: unknown) => deps.logger.warn({ err: error }, "shopper slot not freed; it lapses with the admission"));
      }
      return paid;
    }
    case "EXISTING":
      if (begun.holdId !== request.holdId) {
        return fail("VALIDATION", "this idempotencyKey was already used for another hold; use a new key for each purchase", "idempotencyKey");
      }
      return replay(deps, begun.intentId);
    case "ALREADY_PAID":
      return fail("VALIDATION", "this hold has already been paid for; see your orders", "holdId");
    case "IN_PROGRESS":
      return fail("PAYMENT_UNAVAILABLE", "a payment for this hold is already being processed; wait a moment and check your orders", "holdId");
    case "HOLD_EXPIRED":
      return fail("HOLD_EXPIRED", "this hold has ended; hold the seats again to buy them", "holdId");
    case "NOT_FOUND":
      return fail("NOT_FOUND", "no such hold", "holdId");
  }
}

function validate(request: CheckoutRequest): Result<null> {
  if (!isId(request.holdId)) return fail("VALIDATION", "holdId is not a valid id", "holdId");
  if (request.idempotencyKey.length === 0 || request.idempotencyKey.length > MAX_KEY) {
    return fail("VALIDATION", `idempotencyKey must be 1 to ${MAX_KEY} characters`, "idempotencyKey");
  }
  if (request.paymentToken.trim().length === 0 || request.paymentToken.length > MAX_TOKEN) {
    return fail("VALIDATION", `paymentToken must be 1 to ${MAX_TOKEN} characters`, "paymentToken");
  }
  return ok(null);
}

async function replayOrMissing(deps: CheckoutDependencies, userId: string, request: CheckoutRequest): Promise<Result<string>> {
  const { rows } = await deps.pool.query<{ id: string; holdId: string }>(
    `SELECT id, hold_id AS "holdId" FROM payment_intents WHERE user_id = $1::uuid AND idempotency_key = $2`,
    [userId, request.idempotencyKey],
  );
  const intent = rows[0];
  if (intent && intent.holdId === request.holdId) return replay(deps, intent.id);
  return fail("NOT_FOUND", "no such hold", "holdId");
}

async function pay(
  deps: CheckoutDependencies,
  request: { intentId: string; amountMinor: number; currency: string; paymentToken: string; eventName: string },
): Promise<Result<string>> {
  const { intentId } = request;
  const charged = await deps.payments.charge({
    intentId,
    amountMinor: request.amountMinor,
    currency: request.currency,
    paymentToken: request.paymentToken,
    description: `Tickets: ${request.eventName}`.slice(0, 200),
    onReference: (reference) => db.recordReference(deps.pool, intentId, reference),
  });
  switch (charged.status) {
    case "succeeded":
      deps.failpoint("checkout.after-charge");
      return settleCharged(deps, intentId, charged.reference);
    case "declined":
      await db.markIntentFailed(deps.pool, intentId, `DECLINED:${charged.code}`);
      return declined(charged.message);
    case "invalid_token":
      await db.markIntentFailed(deps.pool, intentId, "INVALID_TOKEN");
      return fail("VALIDATION", "paymentToken is not a payment method the payment provider knows", "paymentToken");
    case "unavailable":
      if (!charged.uncertain) {
        await db.markIntentFailed(deps.pool, intentId, "UNAVAILABLE");
        return fail("PAYMENT_UNAVAILABLE", charged.message);
      }
      return settleUncertain(deps, intentId, charged.message);
  }
}

function declined(message: string): Result<never> {
  return fail("PAYMENT_DECLINED", `${message} Your seats stay held until the hold expires; try another card.`, "paymentToken");
}

/**
 * The gateway timed out or failed mid-call, so it may have charged. Ask it: a charge found becomes
 * an order (or a refund); otherwise the intent is voided at the gateway first, so a late charge
 * cannot land afterwards, and settled as failed. If the gateway cannot even answer that, the intent
 * stays open for the reconciler.
 */
async function settleUncertain(deps: CheckoutDependencies, intentId: string, message: string): Promise<Result<string>> {
  try {
    const settled = await settleWithGateway(deps, intentId);
    if (settled) return settled;
  } catch (error) {
    deps.logger.warn({ err: error, intentId }, "payment outcome unknown; the reconciler will settle it");
    // Outcome unknown: the same key will tell it once settled (field: clients keep the key).
    return fail("PAYMENT_UNAVAILABLE", `${message}; if you were charged, you will get your tickets or a refund automatically`, "idempotencyKey");
  }
  return fail("PAYMENT_UNAVAILABLE", `${message}; you were not charged. Please try again`);
}

/**
 * Settles an open intent from the gateway's books. Returns the checkout's answer when the gateway
 * had charged it, null when it had not (the intent is then FAILED and can never be charged).
 */
export async function settleWithGateway(deps: CheckoutDependencies, intentId: string): Promise<Result<string> | null> {
  const intent = await db.findIntent(deps.pool, intentId);
  if (!intent) throw new Error(`payment intent ${intentId} does not exist`);
  const gateway = deps.payments.gateway;
  const found = await gateway.lookup(intentId, intent.gatewayReference);
  if (found.status === "pending") throw new Error(`payment ${intentId} is still pending at the gateway`);
  if (found.status === "succeeded") return settleCharged(deps, intentId, found.reference);
  if (found.status === "refunded") {
    await db.recordIntentRefund(deps.pool, { intentId, chargeReference: found.reference, refundReference: found.reference, reason: "REFUNDED_AT_GATEWAY" });
    return fail("HOLD_EXPIRED", "this payment was refunded", "holdId");
  }
  await gateway.void(intentId, intent.gatewayReference);
  const again = await gateway.lookup(intentId, intent.gatewayReference);
  if (again.status === "succeeded") return settleCharged(deps, intentId, again.reference);
  if (again.status === "pending") throw new Error(`payment ${intentId} is still pending at the gateway`);
  await db.markIntentFailed(deps.pool, intentId, "UNAVAILABLE");
  return null;
}

/** The gateway charged: make the order, or refund when the seats are gone. */
export async function settleCharged(deps: CheckoutDependencies, intentId: string, reference: string): Promise<Result<string>> {
  const finalized = await db.finalizeCheckout(deps.pool, intentId, reference);
  switch (finalized.outcome) {
    case "DONE":
      if (finalized.created && finalized.eventId) {
        deps.onOrderConfirmed();
        deps.demand?.(finalized.eventId, finalized.seats.length + finalized.places.reduce((sum, place) => sum + place.quantity, 0));
        await deps.seatChanges.sold(finalized.eventId, finalized.seats, finalized.places).catch((error: unknown) =>
          deps.logger.warn({ err: error }, "sold seats not announced"),
        );
      }
      return ok(finalized.orderId);
    case "LOST": {
      // The hold ended and its seats went to someone else (or the intent had been given up before a
      // late charge landed): the refund is owed and recorded; pay it back now, or the reconciler will.
      const refunded = await refund(deps, { refundId: finalized.refundId, orderId: null, chargeReference: reference, amountMinor: finalized.amountMinor });
      deps.logger.info({ intentId, refunded }, "charge without seats: refunded");
      return fail(
        "HOLD_EXPIRED",
        `your hold ran out before the payment completed and the seats were taken; the charge ${refunded ? "has been" : "will be"} refunded`,
        "holdId",
      );
    }
    case "REFUNDED":
      return fail("HOLD_EXPIRED", "your hold ran out before the payment completed; the charge has been refunded", "holdId");
  }
}

/**
 * Same key again: wait (briefly) for the first request to settle, then give its answer. When the
 * process that owns the payment is gone (its lease lapsed: it died between charge and commit), this
 * request takes the payment over and settles it from the gateway's books itself.
 */
async function replay(deps: CheckoutDependencies, intentId: string): Promise<Result<string>> {
  const deadline = Date.now() + deps.settleWaitMs;
  for (;;) {
    const intent = await db.findIntent(deps.pool, intentId);
    if (!intent) throw new Error(`payment intent ${intentId} vanished`);
    if (intent.status === "SUCCEEDED" && intent.orderId) return ok(intent.orderId);
    if (intent.status === "FAILED") return failedAnswer(intent.failureCode);
    if (intent.status === "REFUNDED") {
      return fail("HOLD_EXPIRED", "your hold ran out before the payment completed; the charge has been refunded", "holdId");
    }
    if (intent.status === "CREATED" && !deps.working.has(intentId)) {
      // Given up here by a request that failed mid-way: this process settles it now.
      if (intent.owner === deps.lease.owner) return settleOrphan(deps, intentId);
      if (intent.orphaned) {
        await deps.lease.held();
        if (await db.claimOrphanedIntent(deps.pool, intentId, deps.lease.owner)) return settleOrphan(deps, intentId);
      }
    }
    if (Date.now() >= deadline) {
      return fail("PAYMENT_UNAVAILABLE", "this payment is still being confirmed; retry with the same idempotencyKey in a moment", "idempotencyKey");
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Runs `work` with the intents marked as worked on by this process, so its retries and reconciler leave them alone. */
export async function whileWorking<T>(deps: Pick<CheckoutDependencies, "working">, intentIds: readonly string[], work: () => Promise<T>): Promise<T> {
  for (const intentId of intentIds) deps.working.add(intentId);
  try {
    return await work();
  } finally {
    for (const intentId of intentIds) deps.working.delete(intentId);
  }
}

/** Settles an intent left behind (its owner died, or gave it up): an order, a refund (HOLD_EXPIRED) or "not charged". */
async function settleOrphan(deps: CheckoutDependencies, intentId: string): Promise<Result<string>> {
  deps.logger.info({ intentId }, "payment left behind: settling it for the fan's retry");
  try {
    return (await whileWorking(deps, [intentId], () => settleWithGateway(deps, intentId))) ?? failedAnswer("UNAVAILABLE");
  } catch (error) {
    // The gateway cannot say yet: the intent stays open, now owned by this process, for the reconciler.
    deps.logger.warn({ err: error, intentId }, "orphaned payment not settled yet; the reconciler retries");
    return fail("PAYMENT_UNAVAILABLE", "this payment is still being confirmed; retry with the same idempotencyKey in a moment", "idempotencyKey");
  }
}

function failedAnswer(failureCode: string | null): Result<never> {
  if (failureCode?.startsWith("DECLINED:")) return declined("Your card was declined.");
  if (failureCode === "INVALID_TOKEN") return fail("VALIDATION", "paymentToken is not a payment method the payment provider knows", "paymentToken");
  return fail("PAYMENT_UNAVAILABLE", "the payment could not be completed and you were not charged; try again with a new idempotencyKey");
}

// ------------------------------------------------------------------ cancellation

/**
 * Cancels a confirmed order and refunds it. `within` runs on the cancellation's own transaction once the
 * order is cancelled (the console's audit row), so the two commit together, or neither does.
 */
export async function cancelOrder(deps: CheckoutDependencies, orderId: string, within?: (tx: pg.PoolClient) => Promise<void>): Promise<Result<string>> {
  const cancelled = within
    ? await withTransaction(deps.pool, async (tx) => {
        const outcome = await db.cancelOrder(tx, orderId);
        if (outcome.outcome === "CANCELLED") await within(tx);
        return outcome;
      })
    : await db.cancelOrder(deps.pool, orderId);
  switch (cancelled.outcome) {
    case "NOT_FOUND":
      return fail("NOT_FOUND", "no such order", "orderId");
    case "NOT_CONFIRMED":
      return fail("VALIDATION", `the order is already ${cancelled.status.toLowerCase()}`, "orderId");
    case "STARTED":
      return fail("VALIDATION", "the event has started; orders can no longer be cancelled", "orderId");
    case "SCANNED":
      return fail("VALIDATION", "a ticket of this order has already been used for entry", "orderId");
    case "CANCELLED":
      await deps.seatChanges.refunded(cancelled.eventId, cancelled.seats, cancelled.places).catch((error: unknown) =>
        deps.logger.warn({ err: error }, "freed seats not announced"),
      );
      await refund(deps, { refundId: cancelled.refundId, orderId, chargeReference: cancelled.chargeReference, amountMinor: cancelled.amountMinor });
      return ok(orderId);
  }
}

/** Refunds at the gateway and records it; on failure the reconciler retries (the refund id is the gateway's idempotency key). */
export async function refund(deps: CheckoutDependencies, pending: db.PendingRefund): Promise<boolean> {
  try {
    const done = await deps.payments.gateway.refund({ refundKey: pending.refundId, reference: pending.chargeReference, amountMinor: pending.amountMinor });
    await db.completeRefund(deps.pool, pending.refundId, done.reference);
    return true;
  } catch (error) {
    deps.logger.warn({ err: error, refundId: pending.refundId }, "refund not confirmed by the gateway yet; the reconciler retries");
    return false;
  }
}
