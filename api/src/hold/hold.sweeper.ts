/**
 * Releases expired holds every few seconds in every API process, up to 500 holds per statement and
 * commit (asynchronous, HOLD_RELEASE_SYNCHRONOUS_COMMIT: an expiry a crash loses is redone by the next
 * pass, and lazy expiry counts those seats free meanwhile). `expireHolds` skips rows another process is
 * already ending, so N processes sweep without ending any hold twice; each freed seat is published as
 * AVAILABLE, all of a pass's Redis work in a few commands. Lazy expiry already treats these seats as free; the sweeper makes it visible
 * (seat map, counts) and returns general-admission places. Each pass first checks whether PostgreSQL
 * has restarted since the last (hold.restart.ts): holds it lost must not keep their Redis claims.
 */
import { startPeriodic } from "../platform/periodic.js";
import type pg from "pg";
import type { SynchronousCommit } from "../platform/config.js";
import type { Logger } from "../platform/logger.js";
import { expireHolds } from "./hold.db.js";
import type { SeatChanges } from "./hold.seat-changes.js";

const BATCH = 500;

export interface Sweeper {
  /** One pass: ends every expired hold (in batches); returns how many places were freed. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startSweeper(deps: { pool: pg.Pool; seatChanges: SeatChanges; logger: Logger; synchronousCommit?: SynchronousCommit }, intervalMs: number, restartWatch?: () => Promise<number>): Sweeper {
  // Redis away or slow: the claims are no one's filter then, and the sweep goes on.
  const watch = () => restartWatch?.().catch((error: unknown) => deps.logger.warn({ err: error }, "could not check for a PostgreSQL restart"));
  async function pass(): Promise<number> {
    await watch();
    let freedTotal = 0;
    for (;;) {
      const freed = await expireHolds(deps.pool, BATCH, deps.synchronousCommit);
      if (freed.length === 0) break;
      freedTotal += freed.length;
      await deps.seatChanges.freed(freed);
      if (new Set(freed.map((place) => place.holdId)).size < BATCH) break;
    }
    return freedTotal;
  }
  const job = startPeriodic("hold sweeper", intervalMs, pass, deps.logger);
  // PostgreSQL's start time is noted at once, so a crash soon after this process starts is noticed too.
  if (intervalMs > 0) void watch();
  return { sweep: job.run, stop: job.stop };
}
