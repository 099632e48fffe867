/**
 * Delivers partner webhooks: every API process runs this worker (WEBHOOK_POLL_MS, 0 = off), and the
 * database decides who sends what.
 *
 * Claiming (the transactional-outbox pattern of @boxoffice/db/outbox): one statement picks due PENDING
 * deliveries with FOR UPDATE SKIP LOCKED (so two processes never pick the same row), counts the
 * attempt, stamps a fresh `lease_token` and pushes `next_attempt_at` past the attempt's worst case
 * (the lease: WEBHOOK_TIMEOUT_MS plus a margin). The claim commits at once; no transaction stays open
 * during the POST. If the process dies mid-delivery (kill -9, power cut), nothing is written: the row
 * is still PENDING, and once the lease runs out any process claims it again. So a delivery is sent at
 * least once and never lost; a receiver may see it twice (same webhook-id) and de-duplicates on it.
 * Every result is written only `WHERE lease_token = <this claim's>`, so a worker that outlived its
 * lease cannot overwrite a newer claim's result (or a replay).
 *
 * Each claimed batch is sent concurrently, so each delivery finishes within its own lease.
 *
 * Outcomes (Standard Webhooks): any 2xx is DELIVERED; 410 Gone disables the endpoint (reason GONE) and
 * fails its pending deliveries; anything else (3xx, 4xx, 5xx, timeout, refused connection, an address
 * the SSRF guard now refuses) is retried after RETRY_SCHEDULE_SECONDS[attempt - 1] × WEBHOOK_RETRY_SCALE,
 * ±20 % jitter (so endpoints that failed together do not all retry in the same second), and FAILED after
 * the last. Every attempt is logged in webhook_delivery_attempts.
 */
import { randomInt } from "node:crypto";
import type pg from "pg";
import type { Logger } from "../platform/logger.js";
import { startPeriodic, type Periodic } from "../platform/periodic.js";
import { checkTarget, postTo, type AddressPolicy, type PostOutcome } from "./partner.webhooks.http.js";
import { messageId, signedHeaders } from "./partner.webhooks.signing.js";

/**
 * Wait after each failed attempt, in seconds: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 20 h
 * (Standard Webhooks' schedule, stretched to about 3 days). Ten attempts in all: the first at once,
 * then one after each wait; a delivery that fails the tenth is FAILED (a partner can replay it).
 */
export const RETRY_SCHEDULE_SECONDS = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 72_000] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;

/** Added to the request timeout for the lease: time to claim, resolve and write the result. */
const LEASE_MARGIN_MS = 5_000;
/** Deliveries claimed (and sent concurrently) per round. */
const BATCH = 10;

export interface WebhookWorkerOptions extends AddressPolicy {
  pollMs: number;
  timeoutMs: number;
  retryScale: number;
}

/** The wait before the next attempt after `attempts` failed ones, in ms; null once there is none left. */
export function retryDelayMs(attempts: number, scale: number, random: () => number = () => randomInt(0, 1_000_001) / 1_000_000): number | null {
  const base = RETRY_SCHEDULE_SECONDS[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * 1000 * scale * (0.8 + 0.4 * random()));
}

interface Claimed {
  id: string;
  attempts: number;
  leaseToken: string;
  endpointId: string;
  url: string;
  secrets: string[];
  eventId: string;
  type: string;
  createdAt: Date;
  data: unknown;
}

async function claim(pool: pg.Pool, leaseMs: number): Promise<Claimed[]> {
  const { rows } = await pool.query<Claimed>(
    `WITH claimed AS (
       UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, lease_token = gen_random_uuid(),
              next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
        WHERE d.id IN (SELECT p.id FROM webhook_deliveries p JOIN webhook_endpoints w ON w.id = p.endpoint_id AND w.disabled_at IS NULL
                        WHERE p.status = 'PENDING' AND p.next_attempt_at <= now()
                        ORDER BY p.next_attempt_at, p.id LIMIT $1 FOR UPDATE OF p SKIP LOCKED)
       RETURNING d.id, d.attempts, d.lease_token, d.endpoint_id, d.partner_event_id)
     SELECT c.id::text AS id, c.attempts, c.lease_token AS "leaseToken", w.id AS "endpointId", w.url,
            array_remove(ARRAY[w.secret, CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END], NULL) AS secrets,
            e.id::text AS "eventId", e.type, e.created_at AS "createdAt", e.data
       FROM claimed c JOIN webhook_endpoints w ON w.id = c.endpoint_id JOIN partner_events e ON e.id = c.partner_event_id
      ORDER BY c.partner_event_id, c.id`,
    [BATCH, leaseMs],
  );
  return rows;
}

/** The POST body: Standard Webhooks' `{type, timestamp, data}`; the timestamp is when the change committed. */
export function webhookBody(type: string, createdAt: Date, data: unknown): string {
  return JSON.stringify({ type, timestamp: createdAt.toISOString(), data });
}

async function attempt(delivery: Claimed, options: WebhookWorkerOptions): Promise<{ outcome: PostOutcome; startedAt: Date; durationMs: number }> {
  const startedAt = new Date();
  const signal = AbortSignal.timeout(options.timeoutMs);
  let outcome: PostOutcome;
  try {
    // Checked again at every attempt: the host may resolve elsewhere now. The POST goes to this address.
    const checked = await checkTarget(delivery.url, options, signal);
    if (!checked.ok) {
      outcome = { error: checked.reason };
    } else {
      const body = webhookBody(delivery.type, delivery.createdAt, delivery.data);
      const headers = {
        "content-type": "application/json",
        "user-agent": "Boxoffice-Webhooks/1",
        ...signedHeaders(messageId(delivery.eventId), new Date(), body, delivery.secrets),
      };
      outcome = await postTo(checked.target, headers, body, signal);
    }
  } catch (error) {
    outcome = { error: signal.aborted ? "timed out" : error instanceof Error ? error.message : String(error) };
  }
  return { outcome, startedAt, durationMs: Date.now() - startedAt.getTime() };
}

async function record(pool: pg.Pool, delivery: Claimed, result: Awaited<ReturnType<typeof attempt>>, retryScale: number): Promise<void> {
  const status = "status" in result.outcome ? result.outcome.status : null;
  const error = "error" in result.outcome ? result.outcome.error.slice(0, 1_000) : status !== null && (status < 200 || status > 299) ? `HTTP ${status}` : null;
  const log = [delivery.id, result.startedAt, result.durationMs, status, error];
  const logAttempt = `INSERT INTO webhook_delivery_attempts (delivery_id, started_at, duration_ms, status_code, error) VALUES ($1::bigint, $2, $3, $4, $5)`;
  const last = `last_attempt_at = $2, last_duration_ms = $3, last_status_code = $4, last_error = $5, lease_token = NULL`;

  if (status !== null && status >= 200 && status <= 299) {
    await pool.query(
      `WITH logged AS (${logAttempt})
       UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = now(), ${last} WHERE id = $1::bigint AND lease_token = $6 AND status = 'PENDING'`,
      [...log, delivery.leaseToken],
    );
    return;
  }
  if (status === 410) {
    // Gone: the receiver asks for no more. The endpoint is disabled and nothing more is sent to it.
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(logAttempt, log);
      await client.query(`UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = 'GONE', updated_at = now() WHERE id = $1 AND disabled_at IS NULL`, [
        delivery.endpointId,
      ]);
      await client.query(
        `UPDATE webhook_deliveries SET status = 'FAILED', ${last} WHERE id = $1::bigint AND lease_token = $6 AND status = 'PENDING'`,
        [...log, delivery.leaseToken],
      );
      await client.query(
        `UPDATE webhook_deliveries SET status = 'FAILED', last_error = 'endpoint disabled: it answered 410 Gone', lease_token = NULL
          WHERE endpoint_id = $1 AND status = 'PENDING'`,
        [delivery.endpointId],
      );
      await client.query("COMMIT");
    } catch (failure) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw failure;
    } finally {
      client.release();
    }
    return;
  }
  const retryMs = retryDelayMs(delivery.attempts, retryScale);
  await pool.query(
    `WITH logged AS (${logAttempt})
     UPDATE webhook_deliveries
        SET ${last},
            status = CASE WHEN $7::double precision IS NULL THEN 'FAILED'::"WebhookDeliveryStatus" ELSE 'PENDING'::"WebhookDeliveryStatus" END,
            next_attempt_at = CASE WHEN $7::double precision IS NULL THEN next_attempt_at ELSE now() + make_interval(secs => $7::double precision / 1000) END
      WHERE id = $1::bigint AND lease_token = $6 AND status = 'PENDING'`,
    [...log, delivery.leaseToken, retryMs],
  );
}

export interface WebhookWorker extends Periodic<number> {
  readonly leaseMs: number;
}

/** Starts this process's delivery worker; `run()` delivers everything due now and answers how many it tried. */
export function startWebhookWorker(pool: pg.Pool, options: WebhookWorkerOptions, logger: Logger): WebhookWorker {
  const leaseMs = options.timeoutMs + LEASE_MARGIN_MS;
  async function pass(): Promise<number> {
    let tried = 0;
    for (;;) {
      const deliveries = await claim(pool, leaseMs);
      await Promise.all(
        deliveries.map(async (delivery) => {
          const result = await attempt(delivery, options);
          if ("error" in result.outcome || result.outcome.status < 200 || result.outcome.status > 299) {
            logger.info({ delivery: delivery.id, endpoint: delivery.endpointId, attempts: delivery.attempts, outcome: result.outcome }, "webhook not delivered");
          }
          // Not written (database away)? The lease runs out and the delivery is tried again: at least once.
          await record(pool, delivery, result, options.retryScale).catch((error: unknown) => logger.warn({ err: error, delivery: delivery.id }, "webhook result not recorded"));
        }),
      );
      tried += deliveries.length;
      if (deliveries.length < BATCH) return tried;
    }
  }
  return { ...startPeriodic("webhook delivery", options.pollMs, pass, logger), leaseMs };
}
