/**
 * Builds checkout for one API process: the payment gateway (Stripe or the built-in test gateway,
 * behind a circuit breaker), this process's lease (payment intents name their owner), the checkout
 * dependencies and the reconciler that settles what a crash left behind.
 */
import type { SeatChanges } from "../hold/hold.seat-changes.js";
import type { Periodic } from "../platform/periodic.js";
import type { Platform } from "../platform/platform.module.js";
import { startProcessLease, type ProcessLease } from "../platform/process-lease.js";
import { createPayments, type Payments } from "../payment/payment.js";
import { startReconciler, type ReconcilePass } from "./checkout.reconciler.js";
import type { CheckoutDependencies } from "./checkout.service.js";

export interface CheckoutModule {
  checkout: CheckoutDependencies;
  payments: Payments;
  lease: ProcessLease;
  reconciler: Periodic<ReconcilePass>;
  /** Stops the reconciler and gives the lease up (after requests have drained). */
  close(): Promise<void>;
}

export function createCheckoutModule(
  { config, db, logger, failpoint }: Platform,
  inputs: Pick<CheckoutDependencies, "admission" | "demand" | "onOrderConfirmed"> & { seatChanges: SeatChanges },
): CheckoutModule {
  const payments = createPayments(config, db.pool, logger);
  const lease = startProcessLease(db.pool, config.processLeaseMs, logger);
  const checkout: CheckoutDependencies = {
    pool: db.pool,
    payments,
    logger,
    failpoint,
    lease,
    working: new Set(),
    settleWaitMs: config.paymentTimeoutMs + 2_000,
    ...inputs,
  };
  const reconciler = startReconciler(checkout, { intervalMs: config.reconcileIntervalMs, settleAfterMs: config.paymentSettleAfterMs });
  return {
    checkout,
    payments,
    lease,
    reconciler,
    async close() {
      await reconciler.stop();
      // Requests have drained: any payment still open here is left to the other processes at once.
      await lease.release();
      payments.shutdown();
    },
  };
}
