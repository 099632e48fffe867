/**
 * Releasing holds: the group-commit engine in front of `end_holds` (prisma/sql/functions/end_holds.sql),
 * built like the placer's (hold.placer.ts), for the other half of every hold's life. In an on-sale
 * every hold ends in a sale, a release or an expiry, and a release sent alone paid a round trip, a
 * transaction and a WAL flush of its own: under hold-then-release churn it took most of PostgreSQL's
 * time (docs/PERFORMANCE.md, "Holds, churn"). The mechanism, in order:
 *
 * 1. Queue. `release(holdId, userId)` queues the request; the requests of one turn of the event loop
 *    are pumped together (setImmediate).
 * 2. Lanes. At most `concurrency` lanes run at once, each on one pool connection kept while requests
 *    keep coming (the placer's HOLD_BATCH_CONCURRENCY).
 * 3. Batches. A lane takes up to `maxBatch` queued requests (HOLD_BATCH_MAX) and ends them in one
 *    statement (hold.db.ts `releaseHolds`): one round trip, one transaction, one commit. While a batch
 *    is in flight, arriving requests wait and go together in the next, so batches grow with the load
 *    and a lone request goes at once. Only the first request of a batch for a given hold gets its
 *    places; a second one (a double click) is answered as the hold already ended, as it would be one
 *    after the other.
 * 4. Order and retries. The statement locks the batch's holds in id order before it frees any seat, so
 *    two release batches never wait on each other crosswise; general-admission counters (one row per
 *    section) can still deadlock against another batch or a hold: such a batch is tried again, up to
 *    three times. A batch that fails otherwise is retried one request at a time, so a failure is only
 *    its own request's; a lost connection fails the batch and stops the lane.
 * 5. Commit mode. `synchronousCommit` (HOLD_RELEASE_SYNCHRONOUS_COMMIT, default "off" in the API, "on"
 *    when not given here) is set for the batch's transaction only, in the same statement. "off" answers
 *    before the WAL is flushed. What a crash of PostgreSQL can then lose is a release answered in its
 *    last few hundred milliseconds: the hold comes back ACTIVE with its seats HELD, and they return to
 *    sale when it expires (lazy expiry, then the sweeper), or sooner if the fan releases again. Never a
 *    seat in two holds or a lost order: PostgreSQL restarts as a prefix of its commits, so any hold
 *    taken on a released seat commits after the release and is lost with it, and anything synchronous
 *    (checkout) flushes every release before it (docs/architecture.md, "Crashes").
 */
import type pg from "pg";
import type { SynchronousCommit } from "../platform/config.js";
import { releaseHolds, type FreedPlace } from "./hold.db.js";

export interface HoldReleaser {
  /** Releases the user's live hold: the places it freed, committed; empty when it was not theirs, not live, or already ended. */
  release(holdId: string, userId: string): Promise<FreedPlace[]>;
}

interface Pending {
  holdId: string;
  userId: string;
  resolve: (freed: FreedPlace[]) => void;
  reject: (error: unknown) => void;
}

type Answer = { freed: FreedPlace[] } | { error: unknown };

const DEADLOCK = "40P01";

/** Releases one hold per call, in batches; see the header. */
export function createHoldReleaser(pool: pg.Pool, options: { maxBatch: number; concurrency: number; synchronousCommit?: SynchronousCommit }): HoldReleaser {
  const synchronousCommit = options.synchronousCommit ?? "on";
  const queue: Pending[] = [];
  let lanes = 0;
  let scheduled = false;

  async function call(client: pg.ClientBase, batch: readonly Pending[]): Promise<FreedPlace[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await releaseHolds(client, batch, synchronousCommit);
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK || attempt >= 3) throw error;
      }
    }
  }

  /** Each request's places, or the error that request alone ran into. Never rejects. */
  async function decide(client: pg.ClientBase, batch: readonly Pending[]): Promise<Answer[]> {
    try {
      const byHold = new Map<string, FreedPlace[]>();
      for (const place of await call(client, batch)) {
        const places = byHold.get(place.holdId);
        if (places) places.push(place);
        else byHold.set(place.holdId, [place]);
      }
      // The first request for a hold gets its places; a repeat in the same batch finds it ended.
      return batch.map(({ holdId }) => {
        const freed = byHold.get(holdId) ?? [];
        byHold.delete(holdId);
        return { freed };
      });
    } catch (error) {
      if (batch.length === 1 || connectionLost(error)) return batch.map(() => ({ error }));
      const answers: Answer[] = [];
      for (const one of batch) answers.push(...(await decide(client, [one])));
      return answers;
    }
  }

  async function lane(first: Pending[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      for (const pending of first) pending.reject(error);
      return;
    }
    let broken = false;
    const onError = () => {
      broken = true;
    };
    client.on("error", onError);
    try {
      let batch = first;
      let answered = decide(client, batch);
      for (;;) {
        const answers = await answered;
        if (answers.some((answer) => "error" in answer && connectionLost(answer.error))) broken = true;
        const next = broken ? [] : queue.splice(0, options.maxBatch);
        // The next batch goes out before this one's callers run (Redis, publishing, responses).
        if (next.length > 0) answered = decide(client, next);
        batch.forEach((pending, index) => {
          const answer = answers[index]!;
          if ("freed" in answer) pending.resolve(answer.freed);
          else pending.reject(answer.error);
        });
        if (next.length === 0) break;
        batch = next;
      }
    } finally {
      client.off("error", onError);
      client.release(broken ? new Error("hold releaser: connection lost") : undefined);
    }
  }

  function pump(): void {
    while (lanes < options.concurrency && queue.length > 0) {
      lanes++;
      void lane(queue.splice(0, options.maxBatch)).finally(() => {
        lanes--;
        pump();
      });
    }
  }

  return {
    release(holdId, userId) {
      return new Promise<FreedPlace[]>((resolve, reject) => {
        queue.push({ holdId, userId, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            pump();
          });
        }
      });
    },
  };
}

/** The connection is gone: no SQLSTATE, a connection exception (08…) or the server ending the session (57P…). */
function connectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code !== "string" || code.startsWith("08") || code.startsWith("57P");
}
