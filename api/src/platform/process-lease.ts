/**
 * This API process's lease: a row in `process_leases` (owner, expires_at), renewed every third of
 * `leaseMs` while the process lives. Work the process owns names it (payment intents' `owner`); once
 * the row has expired by PostgreSQL's clock, the owner is taken for dead and others may take its work
 * over at once. A process that is alive but stalled past its lease (a long GC pause, PostgreSQL out of
 * reach) can be taken for dead too: whatever takes work over must be safe against the owner waking up
 * (for payments: conditional updates on the intent's status and the gateway's idempotency by intent id).
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { performance } from "node:perf_hooks";
import type pg from "pg";
import type { Logger } from "./logger.js";

export interface ProcessLease {
  /** This process's name in `process_leases` and in the work it owns. */
  owner: string;
  /** Resolves once the lease is fresh (renewed within the last half of its life): await it before taking work on. */
  held(): Promise<void>;
  /** Stops renewing and gives the lease up, so the work this process still owns is taken over at once. */
  release(): Promise<void>;
}

/** Rows of processes gone this long are deleted by whoever renews next. */
const FORGET_AFTER = "1 hour";

export function startProcessLease(pool: pg.Pool, leaseMs: number, logger: Logger): ProcessLease {
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** performance.now() when the last successful renewal was sent: the lease runs at least leaseMs from then. */
  let renewedAt = Number.NEGATIVE_INFINITY;
  let renewing: Promise<void> | null = null;
  let released = false;

  function renew(): Promise<void> {
    renewing ??= (async () => {
      const sentAt = performance.now();
      try {
        await pool.query(
          `WITH forgotten AS (DELETE FROM process_leases WHERE expires_at < now() - interval '${FORGET_AFTER}')
           INSERT INTO process_leases (owner, expires_at) VALUES ($1, now() + make_interval(secs => $2::double precision / 1000))
           ON CONFLICT (owner) DO UPDATE SET expires_at = excluded.expires_at`,
          [owner, leaseMs],
        );
        renewedAt = sentAt;
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  }

  const timer = setInterval(() => {
    if (released) return;
    renew().catch((error: unknown) => logger.warn({ err: error, owner }, "process lease not renewed; retrying"));
  }, Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();
  renew().catch((error: unknown) => logger.warn({ err: error, owner }, "process lease not taken yet; retrying"));

  return {
    owner,
    async held() {
      if (released) throw new Error("the process lease was released (shutting down)");
      if (performance.now() - renewedAt < leaseMs / 2) return;
      await renew();
    },
    async release() {
      released = true;
      clearInterval(timer);
      await renewing?.catch(() => undefined);
      await pool.query(`DELETE FROM process_leases WHERE owner = $1`, [owner]).catch((error: unknown) =>
        logger.warn({ err: error, owner }, "process lease not given up; it lapses on its own"),
      );
    },
  };
}
