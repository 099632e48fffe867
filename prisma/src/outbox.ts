/**
 * Delivery of transactional-outbox rows to one consumer (the API's email sender, the search indexer:
 * each part imports this as `@boxoffice/db/outbox`). A delivery is claimed by pushing its next attempt
 * into the future (FOR UPDATE SKIP LOCKED: each row to one process), so a process that dies
 * mid-delivery simply lets the lease run out and another process retries it.
 */
import type pg from "pg";

export interface ClaimedDelivery {
  id: string;
  attempts: number;
  type: string;
  payload: Record<string, unknown>;
}

/** Longer than the worst case of one delivery (SMTP timeouts are set below this). */
const LEASE_SECONDS = 300;

export async function claimDeliveries(db: pg.Pool, consumer: string, limit: number): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<ClaimedDelivery>(
    `WITH claimed AS (
       UPDATE outbox_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $3)
       WHERE d.id IN (SELECT id FROM outbox_deliveries
                      WHERE consumer = $1 AND status = 'PENDING' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at, outbox_event_id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING d.id, d.attempts, d.outbox_event_id
     )
     SELECT c.id::text AS id, c.attempts, e.type, e.payload FROM claimed c JOIN outbox_events e ON e.id = c.outbox_event_id
     ORDER BY c.outbox_event_id`,
    [consumer, limit, LEASE_SECONDS],
  );
  return rows;
}

/** Only while this claim (its attempt number) still owns the row: a stale worker cannot undo a newer result. */
export async function markDelivered(db: pg.Pool, delivery: ClaimedDelivery): Promise<void> {
  await db.query(
    `UPDATE outbox_deliveries SET status = 'DONE', processed_at = now(), last_error = NULL
     WHERE id = $1::bigint AND attempts = $2 AND status = 'PENDING'`,
    [delivery.id, delivery.attempts],
  );
}

/**
 * markDelivered for a whole batch in one statement (the search indexer's pass: a round trip per
 * delivery was most of its bookkeeping); each row still only while its own claim owns it.
 */
export async function markAllDelivered(db: pg.Pool, deliveries: readonly ClaimedDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  await db.query(
    `UPDATE outbox_deliveries d SET status = 'DONE', processed_at = now(), last_error = NULL
     FROM unnest($1::bigint[], $2::int[]) AS claim(id, attempts)
     WHERE d.id = claim.id AND d.attempts = claim.attempts AND d.status = 'PENDING'`,
    [deliveries.map((delivery) => delivery.id), deliveries.map((delivery) => delivery.attempts)],
  );
}

/** Schedules the next attempt with exponential backoff, or gives up after `maxAttempts`. */
export async function markFailed(db: pg.Pool, delivery: ClaimedDelivery, error: string, retryInMs: number, maxAttempts: number): Promise<void> {
  await db.query(
    `UPDATE outbox_deliveries
     SET last_error = $2, next_attempt_at = now() + make_interval(secs => $3::double precision / 1000),
         status = CASE WHEN attempts >= $4 THEN 'FAILED'::"OutboxDeliveryStatus" ELSE 'PENDING'::"OutboxDeliveryStatus" END
     WHERE id = $1::bigint AND attempts = $5 AND status = 'PENDING'`,
    [delivery.id, error.slice(0, 1_000), retryInMs, maxAttempts, delivery.attempts],
  );
}
