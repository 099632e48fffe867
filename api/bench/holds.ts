/**
 * npm run bench:holds — holdSeats throughput and latency over HTTP against a real API process, next to
 * the raw PostgreSQL ceiling measured in the same run (pgbench: a single-row conditional UPDATE on a
 * 1M-row table at 16 clients, before and after the HTTP phase, averaged). Prints holds/s ÷ pgbench
 * tps, and (on Linux) the CPU each part spent per hold and the time the hypervisor stole. Traffic goes
 * to 127.0.0.1 only; every phase is bounded in time and stops by itself; only processes this script
 * started are stopped.
 *
 * Configuration (environment): BENCH_DATABASE_URL (default postgresql://root@127.0.0.1:5432/boxoffice_bench),
 * REDIS_URL, BENCH_SECONDS (20), BENCH_WARMUP_SECONDS (5: before each HTTP phase, its own requests), BENCH_CONCURRENCY (64), BENCH_PGBENCH_SECONDS (10), BENCH_LOAD_GENERATOR (wrk when it
 * is installed, else autocannon), BENCH_WRK_THREADS (1), BENCH_API_PROCESSES (1: API
 * processes on ports of their own, the load split between them), BENCH_API_WORKERS (1: WORKERS of each API
 * process, which then serves its port from that many node:cluster workers), BENCH_HOLD_BATCH_CONCURRENCY (1:
 * the API's HOLD_BATCH_CONCURRENCY). The API's own settings pass through, e.g. HOLD_SYNCHRONOUS_COMMIT=on to
 * measure holds that wait for their WAL flush (the API's default is off; pgbench's UPDATE always waits).
 * BENCH_AB="NAME=value,..." (with BENCH_AB_PAIRS, 2) runs alternated pairs of HTTP phases, the API as
 * configured and with those settings, and prints the ratios: `BENCH_AB=DEMAND_SIGNALS=off BENCH_SECONDS=10`
 * measures what the pricing engine's demand signals cost the hot path. BENCH_PARTNER=1 measures what
 * metering partner keys costs instead (PARTNER_LIMITS on and off, alternated; see partnerRun below).
 *
 * The API is deployed as suits a 2-core machine that also runs PostgreSQL, Redis and the load generator:
 * one worker with one batch of holds in PostgreSQL at a time. Every request then joins the largest
 * batches (cheapest per hold in PostgreSQL and Redis); one worker per core and four batches per worker
 * (the production defaults, for an API with cores of its own) split them and measured 10-20% fewer
 * holds/s here (docs/PERFORMANCE.md).
 *
 * The load generator shares the 2 cores with what it measures. wrk (C, one thread, the requests prepared
 * before the run by holds-wrk.lua) used ~15 µs of CPU per request here, autocannon ~45 µs: the same run
 * with autocannon gives PostgreSQL and the API less of the machine.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { ensureDatabase, migrate } from "@boxoffice/db/migrate";
import { newKey } from "../src/partner/partner.keys.js";
import { cpuAccountingAvailable, describeCpu, processTree, sampleCpu } from "./cpu.js";
import { percentiles, signTokens, startApi, stopApi, type StartedApi } from "./common.js";
import { raceRound, startRawServer, type RaceRound } from "./holds-race.js";

const run = promisify(execFile);
const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice_bench";
const REDIS_URL = env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SECONDS = Number(env.BENCH_SECONDS ?? 20);
/** Warm-up before each HTTP phase (not counted). */
const WARM_UP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 5);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 64);
const PGBENCH_SECONDS = Number(env.BENCH_PGBENCH_SECONDS ?? 10);
const API_PROCESSES = Number(env.BENCH_API_PROCESSES ?? 1);
const API_WORKERS = Number(env.BENCH_API_WORKERS ?? 1);
const HOLD_BATCH_CONCURRENCY = Number(env.BENCH_HOLD_BATCH_CONCURRENCY ?? env.HOLD_BATCH_CONCURRENCY ?? 1);
/** Enough distinct seats and fans that no request of the run repeats one. */
const SEATS = Number(env.BENCH_SEATS ?? 200_000);
const SECRET = `bench-${randomBytes(24).toString("hex")}`;
/** wrk when it is installed (it costs the shared 2 cores far less per request than autocannon), else autocannon. */
const LOAD_GENERATOR = env.BENCH_LOAD_GENERATOR ?? (await hasWrk() ? "wrk" : "autocannon");
const WRK_THREADS = Number(env.BENCH_WRK_THREADS ?? 1);
/** The first API process's port (the next ones follow it). */
const API_PORT = Number(env.BENCH_API_PORT ?? 4600);
/** holds (default): holdSeats alone; churn: every fan holds then releases; race: 2,000 fans on 100 seats at once (holds-race.ts). */
const MODE = env.BENCH_MODE ?? "holds";
if (!["holds", "churn", "race"].includes(MODE)) throw new Error(`BENCH_MODE must be holds, churn or race, not ${MODE}`);
/** The API's HOLD_SYNCHRONOUS_COMMIT (its default: off), printed with the figures. */
const HOLD_COMMIT = env.HOLD_SYNCHRONOUS_COMMIT || "off";

async function hasWrk(): Promise<boolean> {
  return run("wrk", ["--version"]).then(() => true, (error: { code?: unknown; stdout?: string }) => error.code !== "ENOENT" && /wrk/.test(error.stdout ?? ""));
}

const step = (message: string) => console.log(`bench:holds: ${message}`);

async function prepare(pool: pg.Pool): Promise<{ eventId: string; seatIds: string[]; userIds: string[] }> {
  const started = Date.now();
  const { rows: users } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'bench-fan-%'`);
  if (users[0]!.n < SEATS) {
    step(`creating ${SEATS - users[0]!.n} bench fans`);
    await pool.query(
      `INSERT INTO users (email, name, password_hash)
       SELECT 'bench-fan-' || n || '@example.test', 'Bench fan ' || n, 'x' FROM generate_series($1::int + 1, $2::int) AS n`,
      [users[0]!.n, SEATS],
    );
  }
  const { rows: venues } = await pool.query<{ id: string }>(`SELECT id FROM venues WHERE slug = 'bench-stadium'`);
  let venueId = venues[0]?.id;
  if (!venueId) {
    step(`creating a venue with ${SEATS} seats`);
    const { rows: org } = await pool.query<{ id: string }>(
      `INSERT INTO organizations (name, slug) VALUES ('Bench Live', 'bench-live') ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    );
    const rowsPerSection = 100;
    const seatsPerRow = 100;
    const sections = Math.ceil(SEATS / (rowsPerSection * seatsPerRow));
    const { rows: venue } = await pool.query<{ id: string }>(
      `INSERT INTO venues (slug, name, city, country, latitude, longitude, timezone, capacity, organization_id)
       VALUES ('bench-stadium', 'Bench Stadium', 'Chicago', 'US', 41.86, -87.62, 'America/Chicago', $1, $2) RETURNING id`,
      [sections * rowsPerSection * seatsPerRow, org[0]!.id],
    );
    venueId = venue[0]!.id;
    await pool.query(
      `INSERT INTO sections (venue_id, name, kind, capacity, sort_order)
       SELECT $1, 'B' || s, 'SEATED', $3::int * $4::int, s FROM generate_series(1, $2::int) AS s`,
      [venueId, sections, rowsPerSection, seatsPerRow],
    );
    await pool.query(
      `INSERT INTO seat_rows (section_id, label, sort_order)
       SELECT sec.id, 'R' || r, r FROM sections sec, generate_series(1, $2::int) AS r WHERE sec.venue_id = $1`,
      [venueId, rowsPerSection],
    );
    await pool.query(
      `INSERT INTO seats (section_id, row_id, number, x, y, stage_distance)
       SELECT r.section_id, r.id, n, n, r.sort_order, r.sort_order + abs(n - 50)
       FROM seat_rows r JOIN sections sec ON sec.id = r.section_id, generate_series(1, $2::int) AS n
       WHERE sec.venue_id = $1`,
      [venueId, seatsPerRow],
    );
  }
  // Earlier runs' events are never used again: deleted with their seats and holds (cascade), so every
  // run starts from the same table sizes (a growing event_seats spills out of shared buffers and slows
  // later runs) and no earlier hold expires into this one's sweeper. The emptied tables are rewritten
  // (VACUUM FULL, quick once their rows are gone): a plain VACUUM left the indexes of holds at ~5 times
  // their size after a few runs (holds: 105 MB, 91 MB of it indexes, for 98,000 holds), so runs did not
  // start from the same sizes, and the bloat took more of PostgreSQL's shared buffers (128 MB here).
  const { rowCount: dropped } = await pool.query(`DELETE FROM events WHERE slug LIKE 'bench-%'`);
  if (dropped) {
    step(`deleted ${dropped} event(s) of earlier runs with their seats and holds; compacting the tables`);
    await pool.query(`VACUUM (FULL, ANALYZE) event_seats, holds, hold_lines`);
  }
  step("creating a fresh on-sale event");
  const { rows: event } = await pool.query<{ id: string }>(
    `INSERT INTO events (slug, name, artist, category, status, venue_id, organization_id, starts_at, on_sale_at, max_seats_per_user, allow_single_seat_gaps)
     SELECT 'bench-' || $2, 'Bench Night ' || $2, 'The Benchmarks', 'CONCERT', 'ON_SALE', v.id, v.organization_id,
            now() + interval '30 days', now() - interval '1 hour', 4, true
     FROM venues v WHERE v.id = $1 RETURNING id`,
    [venueId, randomBytes(4).toString("hex")],
  );
  const eventId = event[0]!.id;
  await pool.query(
    `INSERT INTO event_sections (event_id, section_id, price_minor, price_floor_minor, price_ceiling_minor, capacity)
     SELECT $1, id, 5000, 2500, 10000, capacity FROM sections WHERE venue_id = $2`,
    [eventId, venueId],
  );
  await pool.query(
    `INSERT INTO event_seats (event_id, seat_id, section_id)
     SELECT $1, s.id, s.section_id FROM seats s JOIN sections sec ON sec.id = s.section_id WHERE sec.venue_id = $2`,
    [eventId, venueId],
  );
  await pool.query(`ANALYZE event_seats`);
  const { rows: seats } = await pool.query<{ id: string }>(`SELECT seat_id AS id FROM event_seats WHERE event_id = $1 ORDER BY seat_id`, [eventId]);
  const { rows: fans } = await pool.query<{ id: string }>(`SELECT id FROM users WHERE email LIKE 'bench-fan-%' ORDER BY id LIMIT $1`, [SEATS]);
  step(`prepared ${seats.length} seats and ${fans.length} fans in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { eventId, seatIds: seats.map((row) => row.id), userIds: fans.map((row) => row.id) };
}

const HOLD = `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id expiresAt } errors { code } } }`;
/** The churn's hold: its answer names the seat, which tells holds-wrk.lua whose hold to release. */
const CHURN_HOLD = `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id lines { seat { id } } } errors { code } } }`;
/** The churn's release, as holds-wrk.lua sends it (the warm-up sends it too). */
const CHURN_RELEASE = `mutation($id: ID!) { releaseHold(holdId: $id) { ok errors { code } } }`;

/** The requests of a run by index: the bearer credential and the JSON body of each. */
interface Workload {
  count: number;
  at(index: number): { token: string; body: string };
  /** Past `count`: send the last request again (a read), or fail the run (holds need distinct seats). */
  repeat: boolean;
}

/** holdSeats for one seat and one fan of its own per request. */
function holdWorkload(eventId: string, seatIds: string[], tokens: string[]): Workload {
  return {
    count: seatIds.length,
    at: (index) => ({ token: tokens[index]!, body: JSON.stringify({ query: HOLD, variables: { input: { eventId, seatIds: [seatIds[index]] } } }) }),
    repeat: false,
  };
}

/** BENCH_MODE=churn: holdSeats as above, each line prefixed with its seat (holds-wrk.lua releases every hold it gets). */
function churnWorkload(eventId: string, seatIds: string[], tokens: string[]): Workload {
  return {
    count: seatIds.length,
    at: (index) => ({ token: tokens[index]!, body: `${seatIds[index]}\t${JSON.stringify({ query: CHURN_HOLD, variables: { input: { eventId, seatIds: [seatIds[index]] } } })}` }),
    repeat: false,
  };
}

async function driveHolds(urls: string[], workload: Workload) {
  let next = 0;
  const latencies: number[] = [];
  const perUrl = Math.ceil(CONCURRENCY / urls.length);
  const runs = urls.map(
    (url) =>
      new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url,
            method: "POST",
            connections: perUrl,
            duration: SECONDS,
            headers: { "content-type": "application/json" },
            requests: [
              {
                setupRequest: (request: autocannon.Request) => {
                  let index = next++;
                  if (index >= workload.count) {
                    if (!workload.repeat) throw new Error("ran out of distinct seats; raise BENCH_SEATS");
                    index = workload.count - 1;
                  }
                  const { token, body } = workload.at(index);
                  return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` }, body };
                },
              },
            ],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        );
        instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
      }),
  );
  const started = Date.now();
  const results = await Promise.all(runs);
  const seconds = (Date.now() - started) / 1000;
  const { p50, p95, p99 } = percentiles(latencies);
  return {
    seconds,
    requests: latencies.length,
    non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
    errors: results.reduce((sum, result) => sum + result.errors + result.timeouts, 0),
    p50,
    p95,
    p99,
    releasesSent: 0,
    releasesFailed: 0,
  };
}

/**
 * The same load as driveHolds, generated by wrk (one process per API URL, BENCH_WRK_THREADS threads each):
 * every request gets a seat and a fan of its own from files written here and loaded by holds-wrk.lua.
 */
async function driveHoldsWrk(urls: string[], workload: Workload, churn = false) {
  const dir = mkdtempSync(join(tmpdir(), "bench-holds-wrk-"));
  try {
    // requests-<thread>.txt in a folder per API URL: the requests are dealt out round-robin.
    const slices = urls.length * WRK_THREADS;
    // (A workload of one repeated request still gives every thread its line: wrk repeats a thread's last.)
    const lines: string[][] = Array.from({ length: slices }, () => []);
    for (let index = 0; index < Math.max(workload.count, workload.repeat ? slices : 0); index++) {
      const { token, body } = workload.at(Math.min(index, workload.count - 1));
      lines[index % slices]!.push(`${token}\t${body}`);
    }
    urls.forEach((_, urlIndex) => {
      mkdirSync(join(dir, String(urlIndex)));
      for (let thread = 0; thread < WRK_THREADS; thread++) {
        writeFileSync(join(dir, String(urlIndex), `requests-${thread}.txt`), lines[urlIndex * WRK_THREADS + thread]!.join("\n") + "\n");
      }
    });
    const perUrl = Math.ceil(CONCURRENCY / urls.length);
    const script = fileURLToPath(new URL("holds-wrk.lua", import.meta.url));
    const results = await Promise.all(
      urls.map(async (url, urlIndex) => {
        const urlDir = join(dir, String(urlIndex));
        const output = await new Promise<string>((resolve, reject) => {
          const child = spawn("wrk", ["-t", String(WRK_THREADS), "-c", String(perUrl), "-d", `${SECONDS}s`, "--timeout", "10s", "-s", script, url], {
            env: { ...process.env, BENCH_WRK_DIR: urlDir, BENCH_WRK_CHURN: churn ? "1" : "0" },
            stdio: ["ignore", "pipe", "inherit"],
          });
          let stdout = "";
          child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
          child.on("error", reject);
          child.on("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`wrk exited with code ${code}:\n${stdout}`))));
        });
        const line = /BENCH_WRK_RESULT (\{.*\})/.exec(output);
        if (!line) throw new Error(`could not read wrk's output:\n${output}`);
        return JSON.parse(line[1]!) as {
          requests: number; durationMicros: number; transportErrors: number; non2xx: number; timeouts: number; p50: number; p95: number; p99: number;
          releasesSent: number; releasesFailed: number;
        };
      }),
    );
    // With one wrk process the percentiles are its own; with several, the slowest process's (an upper bound).
    // The run's length is wrk's own: it leaves out the time each thread takes to load its requests.
    return {
      seconds: Math.max(...results.map((result) => result.durationMicros)) / 1e6,
      requests: results.reduce((sum, result) => sum + result.requests, 0),
      non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
      errors: results.reduce((sum, result) => sum + result.transportErrors + result.timeouts, 0),
      p50: Math.max(...results.map((result) => result.p50)),
      p95: Math.max(...results.map((result) => result.p95)),
      p99: Math.max(...results.map((result) => result.p99)),
      releasesSent: results.reduce((sum, result) => sum + result.releasesSent, 0),
      releasesFailed: results.reduce((sum, result) => sum + result.releasesFailed, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Holds of the event in PostgreSQL (every phase counts what it placed there, not what clients were told). */
async function countHolds(pool: pg.Pool, eventId: string): Promise<number> {
  return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1`, [eventId])).rows[0]!.n;
}

/** Holds of the event released in PostgreSQL: the churn's hold+release pairs. */
async function countReleased(pool: pg.Pool, eventId: string): Promise<number> {
  return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1 AND status = 'RELEASED'`, [eventId])).rows[0]!.n;
}

/**
 * Every measured phase starts from a checkpoint. The bench writes a lot of WAL, and with the default
 * max_wal_size PostgreSQL checkpoints every few hundred thousand holds or updates: a checkpoint landing
 * in one phase and not in the next (its writes, then full-page images for every page touched again)
 * moved a pgbench baseline by half between "before" and "after" here.
 */
async function checkpoint(pool: pg.Pool): Promise<void> {
  try {
    await pool.query("CHECKPOINT");
  } catch (error) {
    step(`could not CHECKPOINT before the phase (${error instanceof Error ? error.message : String(error)}); figures may vary more`);
  }
}

async function pgbench(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'bench_seats'`,
  );
  if (rows[0]!.n === 0) {
    step("creating the 1M-row pgbench table");
    await pool.query(`CREATE TABLE bench_seats (id int PRIMARY KEY, status text NOT NULL DEFAULT 'AVAILABLE', holder int)`);
    await pool.query(`INSERT INTO bench_seats (id) SELECT generate_series(1, 1000000)`);
    await pool.query(`VACUUM ANALYZE bench_seats`);
  }
  const script = join(tmpdir(), `bench-holds-${process.pid}.sql`);
  writeFileSync(
    script,
    `\\set id random(1, 1000000)\nUPDATE bench_seats SET status = 'HELD', holder = :client_id WHERE id = :id AND status <> 'SOLD';\n`,
  );
  await checkpoint(pool);
  step(`pgbench: 16 clients, ${PGBENCH_SECONDS} s`);
  return runPgbench(script);
}

/**
 * hold_seats called by pgbench, one free seat and one fan without a hold per call. Holds placed are
 * counted in PostgreSQL: once the free seats run out (the HTTP phase may have taken most of them), the
 * remaining calls return at once and pgbench's own tps would overstate the rate.
 */
async function pgbenchHoldFunction(pool: pg.Pool, eventId: string): Promise<{ holdsPerSecond: number; ranOut: boolean }> {
  await pool.query(`DROP TABLE IF EXISTS bench_pairs; DROP SEQUENCE IF EXISTS bench_pairs_next`);
  await pool.query(
    `CREATE TABLE bench_pairs AS
     SELECT f.r::int AS n, f.event_id, f.seat_id, u.id AS user_id
     FROM (SELECT event_id, seat_id, row_number() OVER (ORDER BY seat_id) AS r
           FROM event_seats WHERE event_id = $1 AND status = 'AVAILABLE') f
     JOIN (SELECT id, row_number() OVER (ORDER BY id) AS r FROM users
           WHERE email LIKE 'bench-fan-%' AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.user_id = users.id AND h.event_id = $1)) u
       ON u.r = f.r`,
    [eventId],
  );
  await pool.query(`CREATE UNIQUE INDEX ON bench_pairs (n); CREATE SEQUENCE bench_pairs_next`);
  const script = join(tmpdir(), `bench-hold-function-${process.pid}.sql`);
  writeFileSync(
    script,
    `SELECT nextval('bench_pairs_next') AS i \\gset
` +
      `SELECT hold_seats(gen_random_uuid(), event_id, user_id, NULL, ARRAY[seat_id], NULL, NULL, false) FROM bench_pairs WHERE n = :i;
`,
  );
  await checkpoint(pool);
  step(`pgbench calling hold_seats directly: 16 clients, ${PGBENCH_SECONDS} s`);
  const before = await countHolds(pool, eventId);
  await runPgbench(script);
  const placed = (await countHolds(pool, eventId)) - before;
  const { rows } = await pool.query<{ pairs: number; used: number }>(
    `SELECT (SELECT count(*)::int FROM bench_pairs) AS pairs, (SELECT last_value::int FROM bench_pairs_next) AS used`,
  );
  return { holdsPerSecond: placed / PGBENCH_SECONDS, ranOut: rows[0]!.used >= rows[0]!.pairs };
}

async function runPgbench(script: string): Promise<number> {
  const url = new URL(DATABASE_URL);
  const { stdout } = await run(
    "pgbench",
    ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "root"), "-n", "-c", "16", "-j", "2",
     "-T", String(PGBENCH_SECONDS), "-M", "prepared", "-f", script, url.pathname.slice(1)],
    { timeout: (PGBENCH_SECONDS + 60) * 1000 },
  );
  const tps = /tps = ([\d.]+)/.exec(stdout);
  if (!tps) throw new Error(`could not read pgbench output:\n${stdout}`);
  return Number(tps[1]);
}

/**
 * CPU per hold of each part over the middle of the HTTP phase (from its 3rd second to 2 s before its
 * end; holds counted in PostgreSQL at both ends): the API, PostgreSQL's backends serving it and its
 * background processes (WAL writer, checkpointer), and the load generator with this script.
 */
async function cpuPerHold(pool: pg.Pool, eventId: string, apis: readonly StartedApi[], churn: boolean): Promise<string | null> {
  const count = churn ? countReleased : countHolds;
  if (SECONDS < 8) return null;
  await sleep(3_000);
  const { rows } = await pool.query<{ pid: number; client: boolean }>(
    `SELECT pid, backend_type = 'client backend' AS client FROM pg_stat_activity
     WHERE pid <> pg_backend_pid() AND (datname IS NULL OR datname = current_database()) AND application_name IS DISTINCT FROM 'bench:holds'`,
  );
  const api = apis.flatMap((started) => processTree(started.child.pid!));
  const groups = {
    API: api,
    "PostgreSQL backends": rows.filter((row) => row.client).map((row) => row.pid),
    "PostgreSQL background": rows.filter((row) => !row.client).map((row) => row.pid),
    "load generator and bench": processTree(process.pid).filter((pid) => !api.includes(pid)),
  };
  const before = sampleCpu(groups);
  const holdsBefore = await count(pool, eventId);
  await sleep((SECONDS - 5) * 1000);
  const after = sampleCpu(groups);
  const holds = (await count(pool, eventId)) - holdsBefore;
  return holds > 0 ? describeCpu(before, after, holds, churn ? "hold+release pair" : "hold") : null;
}

interface PhaseResult {
  label: string;
  /** Holds placed; in the churn, holds placed and released (pairs). */
  holds: number;
  churn: boolean;
  seconds: number;
  holdsPerSecond: number;
  load: Awaited<ReturnType<typeof driveHoldsWrk>>;
  cpu: string | null;
}

/**
 * One HTTP phase: API process(es) started with `apiEnv`, a warm-up on the tail of the phase's seats
 * (WARM_UP_SECONDS, the phase's own requests: in the churn each warm-up hold is released too), then
 * holdSeats for SECONDS from the front; holds counted in PostgreSQL; the APIs stopped.
 */
async function httpPhase(pool: pg.Pool, label: string, apiEnv: Record<string, string>, eventId: string, seatIds: string[], tokens: string[], churn = false): Promise<PhaseResult> {
  const apis: StartedApi[] = [];
  try {
    for (let index = 0; index < API_PROCESSES; index++) {
      apis.push(
        await startApi({
          port: API_PORT + index,
          databaseUrl: DATABASE_URL,
          redisUrl: REDIS_URL,
          secret: SECRET,
          env: { WORKERS: String(API_WORKERS), HOLD_BATCH_CONCURRENCY: String(HOLD_BATCH_CONCURRENCY), ...apiEnv },
        }),
      );
    }
    step(
      `${label}: warming up for ${WARM_UP_SECONDS} s, then holdSeats at concurrency ${CONCURRENCY} for ${SECONDS} s over ${API_PROCESSES} API process(es) × ${API_WORKERS} worker(s), ${HOLD_BATCH_CONCURRENCY} hold batch(es) in flight per worker, hold batches with synchronous_commit=${HOLD_COMMIT}, load from ${LOAD_GENERATOR}`,
    );
    // Warm-up on the tail of the seat list (JIT, pools, caches); the measured run starts at the front.
    // It sends what the phase will send: in the churn, the churn's hold document and a releaseHold for
    // every hold it gets (until 2026-12-03 the churn's warm-up placed holds only, so releaseHold was
    // first compiled inside the measured window: V8's optimizing compiler was ~15% of the API there).
    const warmStart = seatIds.length - Math.min(20_000, Math.floor(seatIds.length / 5));
    const warmUp = async (index: number) => {
      const url = apis[index % apis.length]!.url;
      const headers = { "content-type": "application/json", authorization: `Bearer ${tokens[index]}` };
      const input = { eventId, seatIds: [seatIds[index]] };
      const answer = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query: churn ? CHURN_HOLD : HOLD, variables: { input } }) });
      const holdId = ((await answer.json()) as { data?: { holdSeats?: { hold?: { id: string } | null } } }).data?.holdSeats?.hold?.id;
      if (churn && holdId) await fetch(url, { method: "POST", headers, body: JSON.stringify({ query: CHURN_RELEASE, variables: { id: holdId } }) }).then((response) => response.arrayBuffer());
    };
    await warmUp(warmStart);
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        const until = Date.now() + WARM_UP_SECONDS * 1000;
        for (let index = warmStart + 1 + worker; Date.now() < until && index < seatIds.length; index += 16) await warmUp(index);
      }),
    );
    await checkpoint(pool);
    const count = churn ? countReleased : countHolds;
    const before = await count(pool, eventId);
    const drive = LOAD_GENERATOR === "wrk" ? driveHoldsWrk : driveHolds;
    if (churn && LOAD_GENERATOR !== "wrk") throw new Error("BENCH_MODE=churn needs wrk (apt-get install wrk)");
    // Optional: a failed measurement is reported, and never fails or stalls the run.
    const cpuWindow = cpuAccountingAvailable()
      ? cpuPerHold(pool, eventId, apis, churn).catch((error: unknown) => `CPU per hold not measured: ${error instanceof Error ? error.message : String(error)}`)
      : Promise.resolve(null);
    const workload = (churn ? churnWorkload : holdWorkload)(eventId, seatIds.slice(0, warmStart), tokens.slice(0, warmStart));
    const load = await drive(apis.map((api) => api.url), workload, churn);
    const cpu = await cpuWindow;
    const holds = (await count(pool, eventId)) - before;
    return { label, holds, churn, seconds: load.seconds, holdsPerSecond: holds / load.seconds, load, cpu };
  } finally {
    for (const api of apis.splice(0)) await stopApi(api);
  }
}

function printPhase(phase: PhaseResult): void {
  if (phase.churn) {
    console.log(`holdSeats then releaseHold over HTTP${phase.label ? ` (${phase.label})` : ""}: ${phase.holds} hold+release pairs in ${phase.seconds.toFixed(1)} s = ${phase.holdsPerSecond.toFixed(0)} pairs/s`);
    console.log(`  releases sent ${phase.load.releasesSent}, answered with errors ${phase.load.releasesFailed}`);
  } else {
    console.log(`holdSeats over HTTP${phase.label ? ` (${phase.label})` : ""}: ${phase.holds} holds in ${phase.seconds.toFixed(1)} s = ${phase.holdsPerSecond.toFixed(0)} holds/s`);
  }
  console.log(`  responses timed ${phase.load.requests}, non-2xx ${phase.load.non2xx}, transport errors ${phase.load.errors} (holds are counted in PostgreSQL)`);
  console.log(`  latency p50 ${phase.load.p50.toFixed(1)} ms, p95 ${phase.load.p95.toFixed(1)} ms, p99 ${phase.load.p99.toFixed(1)} ms`);
  if (phase.cpu) console.log(`  ${phase.cpu}`);
}

/** API CPU per hold (µs) from a phase's CPU line, when it was measured. */
function apiMicrosPerHold(phase: PhaseResult): number | null {
  const match = /API ([\d.]+) µs/.exec(phase.cpu ?? "");
  return match ? Number(match[1]) : null;
}

/**
 * BENCH_AB="NAME=value[,NAME=value]": instead of one HTTP phase, BENCH_AB_PAIRS pairs of phases in the
 * order A B B A A B …, the API as configured (A) and with these settings added (B), each on its own share of the
 * seats; prints each phase and the ratios A ÷ B of holds/s and of API CPU per hold (the steadier of
 * the two on a shared machine). `BENCH_AB=DEMAND_SIGNALS=off` measures what the demand signals cost.
 * BENCH_AB_FIRST=B reverses the order (B A A B …): the first phase of a run is often the slowest.
 */
const AB = env.BENCH_AB && !env.BENCH_PARTNER ? Object.fromEntries(env.BENCH_AB.split(",").map((pair) => pair.split("=") as [string, string])) : null;
const AB_PAIRS = Number(env.BENCH_AB_PAIRS ?? 2);

/**
 * BENCH_PARTNER=1: what metering partner keys costs (the budget charged in Redis before each request and
 * refunded after, the cost of what came back, `extensions.cost`; partner/partner.gate.ts). Alternated
 * phases (BENCH_AB_PAIRS pairs, A B B A …, BENCH_AB_FIRST=B to start with B) of the same workload from
 * one `catalogue:read` key: A with PARTNER_LIMITS=on, B with PARTNER_LIMITS=off (scopes and the key's
 * lookup stay in both: only metering differs). Prints each phase and the ratio A ÷ B of requests/s (goal
 * ≥ 0.95) and of API CPU per request. The budget is set out of reach (PARTNER_BUDGET_POINTS) so that
 * every request is metered and none refused: this measures the checks, not the limit.
 *
 * The workload is the read a partner's fan makes before a hold (the event's sections, their all-in
 * prices and availability), not holdSeats. It is the stricter measure: the read goes through the same
 * gate and budget as a hold (a hold adds a mutation's weight to the same charge, not another check),
 * but a hold spends most of its time in PostgreSQL, so the same metering is a smaller share of it.
 */
const PARTNER = env.BENCH_PARTNER === "1" || env.BENCH_PARTNER === "on";
const PARTNER_READ = `query Sections($eventId: ID!) { event(id: $eventId) { id status maxSeatsPerUser sections { section { id name } available allInPrice { amount currency } } } }`;

/** A catalogue:read key of the bench event's organization (earlier runs' keys are deleted first). */
async function benchKey(pool: pg.Pool, eventId: string): Promise<string> {
  await pool.query(`DELETE FROM partner_api_keys WHERE name = 'bench:holds'`);
  const made = newKey();
  await pool.query(
    `INSERT INTO partner_api_keys (organization_id, name, prefix, key_hash, last_four, scopes)
     SELECT organization_id, 'bench:holds', $2, $3, $4, ARRAY['catalogue:read'] FROM events WHERE id = $1`,
    [eventId, made.prefix, made.hash, made.lastFour],
  );
  return made.key;
}

interface ReadPhaseResult {
  label: string;
  requestsPerSecond: number;
  load: Awaited<ReturnType<typeof driveHoldsWrk>>;
  apiMicrosPerRequest: number | null;
  cpu: string | null;
}

/** One phase of BENCH_PARTNER: API process(es) with `apiEnv`, a check, a 3 s warm-up, then SECONDS of the read. */
async function partnerPhase(label: string, apiEnv: Record<string, string>, eventId: string, key: string): Promise<ReadPhaseResult> {
  const apis: StartedApi[] = [];
  const body = JSON.stringify({ query: PARTNER_READ, variables: { eventId } });
  const ask = (url: string) =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body }).then(
      async (response) => (await response.json()) as { data?: { event?: unknown }; errors?: unknown[]; extensions?: { cost?: unknown } },
    );
  try {
    for (let index = 0; index < API_PROCESSES; index++) {
      apis.push(
        await startApi({
          port: API_PORT + index,
          databaseUrl: DATABASE_URL,
          redisUrl: REDIS_URL,
          secret: SECRET,
          env: { WORKERS: String(API_WORKERS), PARTNER_BUDGET_POINTS: "1000000000", PARTNER_BUDGET_WINDOW_SECONDS: "60", ...apiEnv },
        }),
      );
    }
    // The phase measures what it says: the key is served, and metered exactly when limits are on.
    const metered = apiEnv.PARTNER_LIMITS !== "off";
    for (const api of apis) {
      const answer = await ask(api.url);
      if (!answer.data?.event || answer.errors) throw new Error(`the partner read failed: ${JSON.stringify(answer).slice(0, 300)}`);
      if (Boolean(answer.extensions?.cost) !== metered) throw new Error(`PARTNER_LIMITS=${metered ? "on" : "off"} but extensions.cost is ${answer.extensions?.cost ? "present" : "absent"}`);
    }
    step(`${label}: warming up for 3 s, then the partner read at concurrency ${CONCURRENCY} for ${SECONDS} s over ${API_PROCESSES} API process(es) × ${API_WORKERS} worker(s), load from ${LOAD_GENERATOR}`);
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        const until = Date.now() + 3_000;
        for (let index = worker; Date.now() < until; index += 16) await ask(apis[index % apis.length]!.url);
      }),
    );
    const api = apis.flatMap((started) => processTree(started.child.pid!));
    const groups = { API: api, "load generator and bench": processTree(process.pid).filter((pid) => !api.includes(pid)) };
    const cpuBefore = cpuAccountingAvailable() ? sampleCpu(groups) : null;
    const drive = LOAD_GENERATOR === "wrk" ? driveHoldsWrk : driveHolds;
    const load = await drive(apis.map((started) => started.url), { count: 1, at: () => ({ token: key, body }), repeat: true });
    const served = load.requests - load.non2xx;
    let cpu: string | null = null;
    let apiMicrosPerRequest: number | null = null;
    if (cpuBefore && served > 0) {
      const after = sampleCpu(groups);
      cpu = describeCpu(cpuBefore, after, served, "request");
      apiMicrosPerRequest = Number(/API ([\d.]+) µs/.exec(cpu)?.[1] ?? NaN);
    }
    return { label, requestsPerSecond: served / load.seconds, load, apiMicrosPerRequest: Number.isFinite(apiMicrosPerRequest) ? apiMicrosPerRequest : null, cpu };
  } finally {
    for (const started of apis.splice(0)) await stopApi(started);
  }
}

async function partnerRun(pool: pg.Pool, eventId: string): Promise<void> {
  const key = await benchKey(pool, eventId);
  step("BENCH_PARTNER: a catalogue:read key's read of the event's sections (the stricter workload: a hold spends most of its time in PostgreSQL), PARTNER_LIMITS on (A) and off (B)");
  // The first phase of a run starts cold (PostgreSQL's and the OS's caches, the event's rows): in trials
  // it ran ~30 % slower than the same phase later, whichever side it was. One phase is run first and
  // not counted, so that both sides are measured warm.
  await partnerPhase("warm-up, not counted", {}, eventId, key);
  const phases: ReadPhaseResult[] = [];
  for (let index = 0; index < 2 * AB_PAIRS; index++) {
    const isB = (index % 4 === 1 || index % 4 === 2) !== (env.BENCH_AB_FIRST === "B");
    phases.push(await partnerPhase(isB ? "B PARTNER_LIMITS=off" : "A PARTNER_LIMITS=on", isB ? { PARTNER_LIMITS: "off" } : {}, eventId, key));
  }
  console.log("");
  for (const phase of phases) {
    console.log(`partner-key read over HTTP (${phase.label}): ${phase.load.requests - phase.load.non2xx} requests in ${phase.load.seconds.toFixed(1)} s = ${phase.requestsPerSecond.toFixed(0)} requests/s`);
    console.log(`  responses timed ${phase.load.requests}, non-2xx ${phase.load.non2xx}, transport errors ${phase.load.errors}`);
    console.log(`  latency p50 ${phase.load.p50.toFixed(1)} ms, p95 ${phase.load.p95.toFixed(1)} ms, p99 ${phase.load.p99.toFixed(1)} ms`);
    if (phase.cpu) console.log(`  ${phase.cpu}`);
  }
  const mean = (list: ReadPhaseResult[], value: (phase: ReadPhaseResult) => number | null) => {
    const values = list.map(value).filter((v): v is number => v !== null);
    return values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : null;
  };
  const a = phases.filter((phase) => phase.label.startsWith("A "));
  const b = phases.filter((phase) => phase.label.startsWith("B "));
  const aRate = mean(a, (phase) => phase.requestsPerSecond)!;
  const bRate = mean(b, (phase) => phase.requestsPerSecond)!;
  console.log(`limits on ÷ off requests/s = ${(aRate / bRate).toFixed(3)} (on ${aRate.toFixed(0)}, off ${bRate.toFixed(0)}, means of ${AB_PAIRS} alternated pairs; goal ≥ 0.95)`);
  const aCpu = mean(a, (phase) => phase.apiMicrosPerRequest);
  const bCpu = mean(b, (phase) => phase.apiMicrosPerRequest);
  if (aCpu !== null && bCpu !== null) {
    console.log(`off ÷ on API CPU per request = ${(bCpu / aCpu).toFixed(3)} (on ${aCpu.toFixed(0)} µs, off ${bCpu.toFixed(0)} µs): the throughput ratio were the API the bottleneck`);
  }
  if (phases.some((phase) => phase.load.non2xx + phase.load.errors > 0)) process.exitCode = 1;
}

/**
 * BENCH_MODE=race (holds-race.ts): BENCH_RACE_ROUNDS rounds (5) of BENCH_RACE_FANS fans (2,000) on
 * BENCH_RACE_SEATS seats (100), each on an event of its own, against BENCH_API_PROCESSES API processes
 * (1; fans' connections dealt out among their ports) of BENCH_API_WORKERS workers each, warmed up first.
 * Prints every round, the medians, and each round's p99 ÷ the p99 of GET /healthz sent the same way and
 * ÷ the p99 of a bare node:http server (its own process, on BENCH_RAW_PORT: the first port after the
 * API's) answering the same requests with a constant; BENCH_RACE_RAW=off leaves that one out. With
 * BENCH_API_NODE_ARGS (e.g. --cpu-prof), each round also prints its race's window on the monotonic
 * clock, which a CPU profile's timestamps share, so the profile can be cut to the race.
 */
async function raceRun(pool: pg.Pool, venueEventId: string, userIds: string[]): Promise<void> {
  const fans = Number(env.BENCH_RACE_FANS ?? 2_000);
  const seats = Number(env.BENCH_RACE_SEATS ?? 100);
  const rounds = Number(env.BENCH_RACE_ROUNDS ?? 5);
  await pool.query(`DELETE FROM events WHERE slug LIKE 'bench-race-%'`);
  const apis: StartedApi[] = [];
  const ports = Array.from({ length: API_PROCESSES }, (_, index) => API_PORT + index);
  const results: RaceRound[] = [];
  const rawServer = env.BENCH_RACE_RAW === "off" ? null : await startRawServer(Number(env.BENCH_RAW_PORT ?? API_PORT + API_PROCESSES));
  const rawPort = rawServer ? Number(env.BENCH_RAW_PORT ?? API_PORT + API_PROCESSES) : undefined;
  try {
    for (const port of ports) {
      apis.push(
        await startApi({
          port,
          databaseUrl: DATABASE_URL,
          redisUrl: REDIS_URL,
          secret: SECRET,
          env: { WORKERS: String(API_WORKERS), HOLD_BATCH_CONCURRENCY: String(HOLD_BATCH_CONCURRENCY) },
        }),
      );
    }
    step(`race: ${API_PROCESSES} API process(es) × ${API_WORKERS} worker(s), ${HOLD_BATCH_CONCURRENCY} hold batch(es) in flight per worker`);
    // Each round has fans of its own (a fan may hold one seat per event, so reuse would be fine, but
    // fresh fans keep every round alike), and a warm-up round first: JIT, pools, the layout cache.
    const tokens = await signTokens(SECRET, userIds.slice(0, fans * (rounds + 1)), step);
    for (let round = 0; round <= rounds; round++) {
      const slice = <T>(list: readonly T[]) => list.slice(round * fans, (round + 1) * fans);
      // CPU per fan of each part over the round (connections, baseline and race), where /proc allows.
      const { rows: backends } = await pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() AND application_name IS DISTINCT FROM 'bench:holds'`,
      );
      const apiPids = apis.flatMap((started) => processTree(started.child.pid!));
      const groups = {
        API: apiPids,
        "PostgreSQL backends": backends.map((row) => row.pid),
        "bench (load generator)": [process.pid],
        ...(rawServer ? { "bare node:http server": [rawServer.pid!] } : {}),
      };
      const cpuBefore = cpuAccountingAvailable() ? sampleCpu(groups) : null;
      let raceBefore: ReturnType<typeof sampleCpu> | null = null;
      const beforeRace = () => {
        if (cpuBefore) raceBefore = sampleCpu(groups);
      };
      const result = await raceRound(pool, { ports, venueEventId, tokens: slice(tokens), userIds: slice(userIds), seats, round, beforeRace, rawPort });
      if (cpuBefore) {
        const after = sampleCpu(groups);
        step(`  round (connections, baseline and race): ${describeCpu(cpuBefore, after, fans, "fan")}`);
        // From the moment the holds are written to the end of the round's checks in PostgreSQL.
        if (raceBefore) step(`  the race alone: ${describeCpu(raceBefore, after, fans, "fan")}`);
      }
      const line = `p50 ${result.p50.toFixed(0)} ms, p95 ${result.p95.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, max ${result.max.toFixed(0)} ms; ${result.held} of ${seats} seats held, 0 double holds (checked in PostgreSQL); GET /healthz from the same connections p50 ${result.healthP50.toFixed(0)} ms, p99 ${result.healthP99.toFixed(0)} ms`;
      const rawLine = result.rawP99 === null ? "" : `; the bare node:http server, same requests: p50 ${result.rawP50!.toFixed(0)} ms, p99 ${result.rawP99.toFixed(0)} ms`;
      step(round === 0 ? `warm-up round (not counted): ${line}${rawLine}` : `round ${round}: ${line}${rawLine}`);
      if (env.BENCH_API_NODE_ARGS) step(`  race window (monotonic µs): ${result.raceStartedAt / 1000n}–${result.raceEndedAt / 1000n}`);
      if (round > 0) results.push(result);
      await sleep(1_000);
    }
  } finally {
    for (const started of apis.splice(0)) await stopApi(started);
    rawServer?.kill();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const p99 = median(results.map((result) => result.p99));
  const healthP99 = median(results.map((result) => result.healthP99));
  console.log("");
  console.log(`race: ${fans} fans on ${seats} seats at once, ${rounds} rounds: median p50 ${median(results.map((result) => result.p50)).toFixed(0)} ms, median p99 ${p99.toFixed(0)} ms (goal < 300 ms, floor < 400 ms)`);
  console.log(`  p99 per round: ${results.map((result) => result.p99.toFixed(0)).join(", ")} ms; every round: all ${seats} seats held, 0 double holds`);
  console.log(`ratio race p99 ÷ GET /healthz p99 (same connections, same run) = ${(p99 / healthP99).toFixed(1)} (healthz median p99 ${healthP99.toFixed(0)} ms)`);
  if (rawServer) {
    const rawP99 = median(results.map((result) => result.rawP99!));
    console.log(`ratio race p99 ÷ bare node:http p99 (the same requests, answered with a constant) = ${(p99 / rawP99).toFixed(1)} (bare median p99 ${rawP99.toFixed(0)} ms)`);
  }
}

async function main(): Promise<void> {
  step(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`);
  if (LOAD_GENERATOR === "autocannon" && !env.BENCH_LOAD_GENERATOR) {
    step("wrk is not installed: the load comes from autocannon, which takes more of the shared CPU (apt-get install wrk)");
  }
  await ensureDatabase(DATABASE_URL);
  await migrate(DATABASE_URL);
  // Named, so the CPU accounting below can tell its own connections from the API's.
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4, application_name: "bench:holds" });
  try {
    const { eventId, seatIds, userIds } = await prepare(pool);
    if (PARTNER) return await partnerRun(pool, eventId);
    if (MODE === "race") return await raceRun(pool, eventId, userIds);
    const churn = MODE === "churn";
    // The baseline is measured before and after the HTTP phase and averaged: on a shared machine one
    // pgbench run can differ from the next by a quarter.
    const tpsBefore = await pgbench(pool);
    const tokens = await signTokens(SECRET, userIds.slice(0, seatIds.length), step);
    const phases: PhaseResult[] = [];
    if (AB) {
      const share = Math.floor(seatIds.length / (2 * AB_PAIRS));
      const b = Object.entries(AB).map(([name, value]) => `${name}=${value}`).join(",");
      for (let index = 0; index < 2 * AB_PAIRS; index++) {
        const slice = (list: string[]) => list.slice(index * share, (index + 1) * share);
        // A B B A A B B A …: drift over the run (a fuller holds table, a warmer cache) falls on both alike.
        // BENCH_AB_FIRST=B starts with B (B A A B …): the first phase of a run follows pgbench and meets
        // the autovacuum it leaves behind, so a comparison runs both orders.
        const isB = (index % 4 === 1 || index % 4 === 2) !== (env.BENCH_AB_FIRST === "B");
        phases.push(await httpPhase(pool, isB ? `B ${b}` : "A as configured", isB ? AB : {}, eventId, slice(seatIds), slice(tokens), churn));
      }
    } else {
      phases.push(await httpPhase(pool, "", {}, eventId, seatIds, tokens, churn));
    }

    const tpsAfter = await pgbench(pool);
    const tps = (tpsBefore + tpsAfter) / 2;
    const direct = churn ? null : await pgbenchHoldFunction(pool, eventId);
    console.log("");
    for (const phase of phases) printPhase(phase);
    console.log(`pgbench single-row conditional UPDATE, 1M rows, 16 clients: ${tps.toFixed(0)} tps (mean of ${tpsBefore.toFixed(0)} before and ${tpsAfter.toFixed(0)} after)`);
    if (direct) {
      console.log(
        `hold_seats called directly by pgbench (no HTTP, GraphQL or Redis), 16 clients: ${direct.holdsPerSecond.toFixed(0)} holds/s (ratio ${(direct.holdsPerSecond / tps).toFixed(3)})` +
          (direct.ranOut ? " — ran out of free seats before the end: a lower bound (raise BENCH_SEATS)" : ""),
      );
    }
    const mean = (list: PhaseResult[], value: (phase: PhaseResult) => number | null) => {
      const values = list.map(value).filter((v): v is number => v !== null);
      return values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : null;
    };
    const holdsPerSecond = mean(phases, (phase) => phase.holdsPerSecond)!;
    if (churn) {
      console.log(
        `ratio hold+release pairs/s ÷ pgbench tps = ${(holdsPerSecond / tps).toFixed(3)} (goal ≥ 0.25, floor 0.15; hold batches with synchronous_commit=${HOLD_COMMIT}, releases with ${env.HOLD_RELEASE_SYNCHRONOUS_COMMIT || "the API's default"})`,
      );
      if (phases.some((phase) => phase.load.releasesFailed > 0)) process.exitCode = 1;
    } else {
      console.log(`ratio holds/s ÷ pgbench tps = ${(holdsPerSecond / tps).toFixed(3)} (target ≥ 0.35, goal 0.5; hold batches with synchronous_commit=${HOLD_COMMIT})`);
    }
    if (AB) {
      const a = phases.filter((phase) => phase.label.startsWith("A "));
      const b = phases.filter((phase) => phase.label.startsWith("B "));
      const aRate = mean(a, (phase) => phase.holdsPerSecond)!;
      const bRate = mean(b, (phase) => phase.holdsPerSecond)!;
      const aCpu = mean(a, apiMicrosPerHold);
      const bCpu = mean(b, apiMicrosPerHold);
      console.log(`A ÷ B holds/s = ${(aRate / bRate).toFixed(3)} (A ${aRate.toFixed(0)}, B ${bRate.toFixed(0)}, means of ${AB_PAIRS} alternated pairs)`);
      if (aCpu !== null && bCpu !== null) {
        console.log(`B ÷ A API CPU per hold = ${(bCpu / aCpu).toFixed(3)} (A ${aCpu.toFixed(0)} µs, B ${bCpu.toFixed(0)} µs): the throughput A would reach were the API the bottleneck, relative to B`);
      }
    }
    if (phases.some((phase) => phase.load.non2xx + phase.load.errors > 0)) process.exitCode = 1;
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:holds failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
