/**
 * Settles what a crash left behind, in every API process (each row is claimed, so N processes share
 * the work):
 * - payment intents still CREATED whose owning process's lease has lapsed (it died between charge and
 *   commit), this process's own that a failed request gave up, or any still CREATED after
 *   `settleAfterMs` (the gateway never answered, or the intent predates owners). Each is taken over by
 *   this process first. The gateway's books decide: charged ⇒ the
 *   order is completed if the hold's seats are still claimable, otherwise refunded; not charged ⇒
 *   voided at the gateway and marked FAILED.
 * - refunds of cancelled orders that the gateway has not confirmed: retried with the same key.
 */
import { startPeriodic, type Periodic } from "../platform/periodic.js";
import * as db from "./checkout.db.js";
import { refund, settleWithGateway, whileWorking, type CheckoutDependencies } from "./checkout.service.js";

const BATCH = 20;

export interface ReconcilePass {
  intents: number;
  refunds: number;
}

export function startReconciler(deps: CheckoutDependencies, options: { intervalMs: number; settleAfterMs: number }): Periodic<ReconcilePass> {
  async function pass(): Promise<ReconcilePass> {
    await deps.lease.held();
    // A request marks its intent as worked on before recording it, so this never takes one still being paid here.
    const intents = await db.claimStaleIntents(deps.pool, options.settleAfterMs, BATCH, deps.lease.owner, [...deps.working]);
    let settled = 0;
    await whileWorking(deps, intents, async () => {
      for (const intentId of intents) {
        try {
          await settleWithGateway(deps, intentId);
          settled++;
        } catch (error) {
          deps.logger.warn({ err: error, intentId }, "payment intent not settled; retrying later");
        }
      }
    });
    let refunded = 0;
    for (const pending of await db.findPendingRefunds(deps.pool, options.settleAfterMs, BATCH)) {
      if (await refund(deps, pending)) refunded++;
    }
    if (settled + refunded > 0) deps.logger.info({ intents: settled, refunds: refunded }, "reconciler settled payments left behind");
    return { intents: settled, refunds: refunded };
  }
  return startPeriodic("payment reconciler", options.intervalMs, pass, deps.logger);
}
