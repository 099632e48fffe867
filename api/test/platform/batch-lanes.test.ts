/**
 * The group-commit engine under the hold placer and releaser (platform/batch-lanes.ts), driven with
 * plain statements against a real PostgreSQL: one statement per batch, batches that grow while one is
 * in flight, a failure that is only its own request's, deadlocks retried, a lost connection replaced.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBatchLanes } from "../../src/platform/batch-lanes.js";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

/** Lanes whose statement answers 100 ÷ n for each request n (n = 0 fails the statement: division by zero), recording every batch it ran. */
function divisions(options: { maxBatch?: number; concurrency?: number; before?: (batch: readonly number[]) => void } = {}) {
  const batches: number[][] = [];
  const pids: number[] = [];
  const submit = createBatchLanes<number, number>(pool, {
    name: "test lanes",
    maxBatch: options.maxBatch ?? 50,
    concurrency: options.concurrency ?? 1,
    async run(client, batch) {
      batches.push([...batch]);
      options.before?.(batch);
      const { rows } = await client.query<{ answer: number; pid: number }>(
        `SELECT (100 / n)::int AS answer, pg_backend_pid() AS pid FROM unnest($1::int[]) WITH ORDINALITY AS r(n, i) ORDER BY i`,
        [batch],
      );
      pids.push(rows[0]?.pid ?? 0);
      return rows.map((row) => row.answer);
    },
  });
  return { submit, batches, pids };
}

describe("batch lanes", () => {
  it("serves the requests of one turn with one statement, each its own answer, in order", async () => {
    const { submit, batches } = divisions();
    expect(await Promise.all([1, 2, 4, 5, 10].map((n) => submit(n)))).toEqual([100, 50, 25, 20, 10]);
    expect(batches).toEqual([[1, 2, 4, 5, 10]]);
  });

  it("sends what arrives while a batch is in flight as the next batch, and never more than maxBatch at once", async () => {
    const { submit, batches } = divisions({ maxBatch: 3 });
    const first = submit(1);
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is on its way
    const later = [2, 4, 5, 10, 20].map((n) => submit(n));
    expect(await Promise.all([first, ...later])).toEqual([100, 50, 25, 20, 10, 5]);
    expect(batches).toEqual([[1], [2, 4, 5], [10, 20]]);
  });

  it("fails only the request at fault: a failed batch is retried one request at a time", async () => {
    const { submit, batches } = divisions();
    const answers = await Promise.allSettled([4, 0, 5].map((n) => submit(n)));
    expect(answers.map((answer) => (answer.status === "fulfilled" ? answer.value : (answer.reason as { code?: string }).code))).toEqual([25, "22012", 20]);
    expect(batches).toEqual([[4, 0, 5], [4], [0], [5]]);
  });

  it("tries a deadlocked batch again, up to three times in all", async () => {
    let deadlocks = 1;
    const once = divisions({
      before: () => {
        if (deadlocks-- > 0) throw Object.assign(new Error("deadlock detected"), { code: "40P01" });
      },
    });
    expect(await Promise.all([once.submit(2), once.submit(4)])).toEqual([50, 25]);
    expect(once.batches).toEqual([[2, 4], [2, 4]]);

    const always = divisions({
      before: (batch) => {
        if (batch.length === 1) throw Object.assign(new Error("deadlock detected"), { code: "40P01" });
      },
    });
    await expect(always.submit(2)).rejects.toMatchObject({ code: "40P01" });
    expect(always.batches).toEqual([[2], [2], [2]]);
  });

  it("fails the batch whose connection is lost, and serves the next requests on a new connection", async () => {
    let kill = true;
    const lanes = divisions({
      before: () => {
        if (kill) {
          kill = false;
          throw Object.assign(new Error("Connection terminated unexpectedly"), { code: undefined });
        }
      },
    });
    const first = lanes.submit(2);
    const firstFails = expect(first).rejects.toThrow("Connection terminated unexpectedly");
    await new Promise((resolve) => setImmediate(resolve));
    const second = lanes.submit(4);
    await firstFails;
    // Not split: a lost connection fails the whole batch at once.
    expect(await second).toBe(25);
    expect(lanes.batches).toEqual([[2], [4]]);

    // A real cut: the lane's connection is terminated by the server while its batch waits for a lock.
    const blocker = await pool.connect();
    try {
      await blocker.query(`SELECT pg_advisory_lock(20261203)`);
      const cut = createBatchLanes<number, number>(pool, {
        name: "test lanes",
        maxBatch: 50,
        concurrency: 1,
        async run(client, batch) {
          const { rows } = await client.query<{ pid: number }>(`SELECT pg_advisory_xact_lock(20261203), pg_backend_pid() AS pid, $1::int[]`, [batch]);
          return batch.map(() => rows[0]!.pid);
        },
      });
      const waiting = cut(1);
      const failed = expect(waiting).rejects.toThrow(/terminat/i);
      let pid: number | undefined;
      for (let attempt = 0; attempt < 200 && pid === undefined; attempt++) {
        const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE wait_event = 'advisory' AND query LIKE '%20261203%' AND pid <> pg_backend_pid()`);
        pid = rows.find((row) => row.pid !== (blocker as unknown as { processID: number }).processID)?.pid;
        if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(pid).toBeDefined();
      await pool.query(`SELECT pg_terminate_backend($1)`, [pid]);
      await failed;
      await blocker.query(`SELECT pg_advisory_unlock(20261203)`);
      const next = await cut(2);
      expect(next).not.toBe(pid);
    } finally {
      blocker.release();
    }
  });

  it("fails the requests a statement left unanswered, without running its committed batch again", async () => {
    const batches: number[][] = [];
    const submit = createBatchLanes<number, number>(pool, {
      name: "test lanes",
      maxBatch: 50,
      concurrency: 1,
      async run(client, batch) {
        batches.push([...batch]);
        await client.query("SELECT 1");
        return batch.slice(0, 1);
      },
    });
    const answers = await Promise.allSettled([7, 8].map((n) => submit(n)));
    expect(answers[0]).toEqual({ status: "fulfilled", value: 7 });
    expect(answers[1]).toMatchObject({ status: "rejected", reason: { message: "test lanes: 1 answers for 2 requests" } });
    expect(batches).toEqual([[7, 8]]);
  });
});
