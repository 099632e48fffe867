/**
 * Group commit in front of PostgreSQL: the engine under the hold placer (hold.placer.ts) and the hold
 * releaser (hold.releaser.ts). Each request is one call of `submit`; the statement that serves a batch
 * of them is the caller's `run`. The mechanism, in order:
 *
 * 1. Queue. `submit(request)` queues the request and returns a promise of its own answer. The
 *    requests of one turn of the event loop are pumped together (setImmediate).
 * 2. Lanes. At most `concurrency` lanes run at once, each on one pool connection that it keeps while
 *    requests keep coming. Fetching a connection from the pool per batch cost about a millisecond per
 *    batch under load: the pool hands one out on the next tick, after every continuation already
 *    queued, the answered callers' included.
 * 3. Batches. A lane takes up to `maxBatch` queued requests and serves them with one `run`: one round
 *    trip, one transaction, one commit. While a batch is in flight, arriving requests wait and go
 *    together in the next, so batches grow with the load and a lone request goes at once, alone. The
 *    next batch is sent the moment the previous answer is in, before that batch's callers run (they
 *    take a while under load: Redis, responses, and PostgreSQL would wait for them).
 * 4. Deadlock retry. A `run` that fails with a deadlock (40P01) is tried again, up to three times:
 *    the callers' statements lock in one order, so what deadlocks is rare and passes on a retry.
 * 5. Split on failure. A batch that fails otherwise is retried one request at a time in the same lane,
 *    so a request's failure is only its own. A lost connection (no SQLSTATE, 08…, 57P…) fails the
 *    batch's requests and stops the lane; the pool discards the connection and the requests still
 *    queued go on a new lane.
 */
import type pg from "pg";

export interface BatchLaneOptions<T, R> {
  /** Names the lane in the error a lost connection is released with. */
  name: string;
  maxBatch: number;
  concurrency: number;
  /**
   * Serves a batch in one statement: one answer per request, in order. It may throw (the batch is
   * then retried as above), so it must write nothing that outlives a failed call.
   */
  run: (client: pg.ClientBase, batch: readonly T[]) => Promise<readonly R[]>;
}

type Answer<R> = { value: R } | { error: unknown };

interface Pending<T, R> {
  request: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

const DEADLOCK = "40P01";

/** A request its batch's statement left without an answer (a bug in the statement, not in the connection). */
class UnansweredRequest extends Error {}

/** Returns `submit`: one request in, its answer out, served in batches as the header says. */
export function createBatchLanes<T, R>(pool: pg.Pool, options: BatchLaneOptions<T, R>): (request: T) => Promise<R> {
  const queue: Pending<T, R>[] = [];
  let lanes = 0;
  let scheduled = false;

  async function call(client: pg.ClientBase, batch: readonly T[]): Promise<readonly R[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await options.run(client, batch);
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK || attempt >= 3) throw error;
      }
    }
  }

  /** Each request's answer, or the error that request alone ran into. Never rejects. */
  async function decide(client: pg.ClientBase, batch: readonly T[]): Promise<Answer<R>[]> {
    try {
      const values = await call(client, batch);
      // (A statement that answers fewer requests than it was given is a bug: its batch committed, so
      // the unanswered requests fail rather than run again.)
      return batch.map((_, index) =>
        index < values.length ? { value: values[index]! } : { error: new UnansweredRequest(`${options.name}: ${values.length} answers for ${batch.length} requests`) },
      );
    } catch (error) {
      if (batch.length === 1 || connectionLost(error)) return batch.map(() => ({ error }));
      const answers: Answer<R>[] = [];
      for (const request of batch) answers.push(...(await decide(client, [request])));
      return answers;
    }
  }

  async function lane(first: Pending<T, R>[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      for (const pending of first) pending.reject(error);
      return;
    }
    // Unheard, the connection's error event would end the process.
    let broken = false;
    const onError = () => {
      broken = true;
    };
    client.on("error", onError);
    try {
      let batch = first;
      let answered = decide(client, batch.map(({ request }) => request));
      for (;;) {
        const answers = await answered;
        if (answers.some((answer) => "error" in answer && !(answer.error instanceof UnansweredRequest) && connectionLost(answer.error))) broken = true;
        const next = broken ? [] : queue.splice(0, options.maxBatch);
        if (next.length > 0) answered = decide(client, next.map(({ request }) => request));
        batch.forEach((pending, index) => {
          const answer = answers[index]!;
          if ("value" in answer) pending.resolve(answer.value);
          else pending.reject(answer.error);
        });
        if (next.length === 0) break;
        batch = next;
      }
    } finally {
      client.off("error", onError);
      client.release(broken ? new Error(`${options.name}: connection lost`) : undefined);
    }
  }

  function pump(): void {
    while (lanes < options.concurrency && queue.length > 0) {
      lanes++;
      void lane(queue.splice(0, options.maxBatch)).finally(() => {
        lanes--;
        pump(); // requests that came after this lane's last look at the queue
      });
    }
  }

  return (request) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ request, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          pump();
        });
      }
    });
}

/** The connection is gone: no SQLSTATE (the socket closed, a protocol error), a connection exception (08…) or the server ending the session (57P…). */
export function connectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code !== "string" || code.startsWith("08") || code.startsWith("57P");
}
