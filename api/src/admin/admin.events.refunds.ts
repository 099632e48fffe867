/**
 * The mass refund of a CANCELLED event: every CONFIRMED order is cancelled through the fan's own
 * cancellation path (checkout.service cancelOrder: tickets VOID, seats freed and announced, a refund row
 * in the same transaction, then the gateway refund, which the checkout reconciler retries if the
 * gateway does not confirm). Nothing is stored about the job itself: its state is the orders' state,
 * so it is idempotent (an order already cancelled answers NOT_CONFIRMED and is skipped) and resumable
 * (after a crash the next pass finds the orders still CONFIRMED). A pass runs right after the
 * cancellation commits and every interval after; several API processes may run passes at once, since
 * cancel_order locks each order and the loser sees it cancelled. Each order is tried once per pass;
 * an event that has started is left alone (cancel_order refuses orders of a started event).
 */
import type pg from "pg";
import * as checkout from "../checkout/checkout.service.js";
import type { Logger } from "../platform/logger.js";
import { startPeriodic, type Periodic } from "../platform/periodic.js";

const BATCH = 100;

export interface RefundPass {
  events: number;
  cancelled: number;
  failed: number;
}

async function eventsToRefund(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT e.id FROM events e
     WHERE e.status = 'CANCELLED' AND e.starts_at > now()
       AND EXISTS (SELECT 1 FROM orders o WHERE o.event_id = e.id AND o.status = 'CONFIRMED')
     ORDER BY e.id`,
  );
  return rows.map((row) => row.id);
}

async function confirmedOrders(pool: pg.Pool, eventId: string, afterId: string | null): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM orders WHERE event_id = $1 AND status = 'CONFIRMED' AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`,
    [eventId, afterId, BATCH],
  );
  return rows.map((row) => row.id);
}

/** One pass over every CANCELLED event with orders still to refund. */
export async function runOnce(deps: checkout.CheckoutDependencies, logger: Logger): Promise<RefundPass> {
  const pass: RefundPass = { events: 0, cancelled: 0, failed: 0 };
  for (const eventId of await eventsToRefund(deps.pool)) {
    pass.events++;
    let afterId: string | null = null;
    for (;;) {
      const ids = await confirmedOrders(deps.pool, eventId, afterId);
      for (const orderId of ids) {
        const result = await checkout.cancelOrder(deps, orderId);
        if (result.ok) pass.cancelled++;
        else if (!result.error.message.startsWith("the order is already")) {
          pass.failed++;
          logger.warn({ eventId, orderId, error: result.error }, "order of a cancelled event not refunded; retried next pass");
        }
      }
      if (ids.length < BATCH) break;
      afterId = ids.at(-1)!;
    }
  }
  if (pass.events > 0) logger.info(pass, "refunds of cancelled events");
  return pass;
}

export function startEventRefunds(deps: checkout.CheckoutDependencies, intervalMs: number, logger: Logger): Periodic<RefundPass> {
  return startPeriodic("event-refunds", intervalMs, () => runOnce(deps, logger), logger);
}

export interface RefundProgressRow {
  total: number;
  refunded: number;
  confirmedAtGateway: number;
}

/** Paid orders of the event, those cancelled with a refund, and refunds the gateway confirmed. */
export async function refundProgress(pool: pg.Pool, eventId: string): Promise<RefundProgressRow> {
  const { rows } = await pool.query<RefundProgressRow>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE o.status IN ('CANCELLED', 'REFUNDED'))::int AS refunded,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id AND r.gateway_reference IS NOT NULL))::int AS "confirmedAtGateway"
     FROM orders o WHERE o.event_id = $1 AND o.status IN ('CONFIRMED', 'CANCELLED', 'REFUNDED')`,
    [eventId],
  );
  return rows[0]!;
}
