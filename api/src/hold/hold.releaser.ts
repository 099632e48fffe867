/**
 * Releasing holds: the group-commit engine (platform/batch-lanes.ts: queue, lanes that keep a
 * connection, batches that grow with the load, deadlock retry, split on failure) in front of
 * `end_holds` (prisma/sql/functions/end_holds.sql), for the other half of every hold's life. In an
 * on-sale every hold ends in a sale, a release or an expiry, and a release sent alone paid a round
 * trip, a transaction and a WAL flush of its own: under hold-then-release churn it took most of
 * PostgreSQL's time (docs/PERFORMANCE.md, "Holds, churn"). What is particular to releases:
 *
 * - One statement per batch (hold.db.ts `releaseHolds`), with the placer's lane and batch settings
 *   (HOLD_BATCH_CONCURRENCY, HOLD_BATCH_MAX). Only the first request of a batch for a given hold gets
 *   its places; a second one (a double click) is answered as the hold already ended, as it would be
 *   one after the other.
 * - Order. The statement locks the batch's holds in id order before it frees any seat, so two release
 *   batches never wait on each other crosswise; general-admission counters (one row per section) can
 *   still deadlock against another batch or a hold: the retry settles it.
 * - Commit mode. `synchronousCommit` (HOLD_RELEASE_SYNCHRONOUS_COMMIT, default "off" in the API, "on"
 *   when not given here) is set for the batch's transaction only, in the same statement. "off"
 *   answers before the WAL is flushed. What a crash of PostgreSQL can then lose is a release answered
 *   in its last few hundred milliseconds: the hold comes back ACTIVE with its seats HELD, and they
 *   return to sale when it expires (lazy expiry, then the sweeper), or sooner if the fan releases
 *   again. Never a seat in two holds or a lost order: PostgreSQL restarts as a prefix of its commits,
 *   so any hold taken on a released seat commits after the release and is lost with it, and anything
 *   synchronous (checkout) flushes every release before it (docs/architecture.md, "Crashes").
 */
import type pg from "pg";
import { createBatchLanes } from "../platform/batch-lanes.js";
import type { SynchronousCommit } from "../platform/config.js";
import { releaseHolds, type FreedPlace } from "./hold.db.js";

export interface HoldReleaser {
  /** Releases the user's live hold: the places it freed, committed; empty when it was not theirs, not live, or already ended. */
  release(holdId: string, userId: string): Promise<FreedPlace[]>;
}

/** Releases one hold per call, in batches; see the header. */
export function createHoldReleaser(pool: pg.Pool, options: { maxBatch: number; concurrency: number; synchronousCommit?: SynchronousCommit }): HoldReleaser {
  const synchronousCommit = options.synchronousCommit ?? "on";
  const submit = createBatchLanes<{ holdId: string; userId: string }, FreedPlace[]>(pool, {
    name: "hold releaser",
    maxBatch: options.maxBatch,
    concurrency: options.concurrency,
    async run(client, batch) {
      const byHold = new Map<string, FreedPlace[]>();
      for (const place of await releaseHolds(client, batch, synchronousCommit)) {
        const places = byHold.get(place.holdId);
        if (places) places.push(place);
        else byHold.set(place.holdId, [place]);
      }
      // The first request for a hold gets its places; a repeat in the same batch finds it ended.
      return batch.map(({ holdId }) => {
        const freed = byHold.get(holdId) ?? [];
        byHold.delete(holdId);
        return freed;
      });
    },
  });
  return {
    release: (holdId, userId) => submit({ holdId, userId }),
  };
}
