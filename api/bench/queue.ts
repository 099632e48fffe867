/**
 * npm run bench:queue — the waiting room under a flash crowd, against a real API process:
 *   1. 100,000 joinWaitingRoom over HTTP (autocannon, concurrency 64, distinct fans): joins/s, latency;
 *      then the same fans join a second room from wrk for BENCH_JOIN_WRK_SECONDS (each fan once);
 *   2. queueStatus with 100,000 waiting (15 s, concurrency 64, random tickets): p50/p99 — a closed
 *      loop at saturation, whose latency is mostly the queue in front of the API (≈ concurrency ÷
 *      throughput); then the same requests open loop at BENCH_STATUS_RATE a second (bench/open-loop.ts),
 *      which times each request from when it was due: the latency a poll meets below saturation;
 *   3. 10,000 WebSocket clients subscribed to queuePositionChanged: time from an admission batch to
 *      the last client's update.
 *      The same status requests then go through wrk (C, one thread, requests prepared before the run by
 *      wrk-requests.lua), and all three loads go to a bare node:http server answering a constant
 *      (holds-race.ts startRawServer) in a process of its own: the floor this harness measures on these
 *      cores, whatever the API does. autocannon is single-threaded Node on the same 2 cores as the API:
 *      its own garbage collection and event-loop turns are in its latencies, which the bare server's
 *      figures show; wrk costs the cores far less per request. Each API figure is printed ÷ the bare
 *      server's from the same load generator;
 * Baseline in the same run: redis-benchmark ZADD at 64 clients (the raw cost of one queue insert).
 * Traffic goes to 127.0.0.1 only; every phase is bounded and stops by itself; only processes this
 * script started are stopped.
 *
 * Configuration: BENCH_DATABASE_URL, REDIS_URL, BENCH_JOINS (100000), BENCH_CONCURRENCY (64),
 * BENCH_STATUS_SECONDS (15), BENCH_STATUS_RATE (2000 a second, a quarter of what one API process answers on a quiet machine; 0 skips the open loop), BENCH_SUBSCRIBERS (10000),
 * BENCH_PORT (4700: the API process it starts), BENCH_RAW_PORT (BENCH_PORT + 1: the bare server), BENCH_STATUS_WRK
 * (on; "off" skips the wrk phases), BENCH_JOIN_WRK_SECONDS (5), BENCH_API_DIR (this api/: another checkout's api/ directory runs that
 * code's API under this harness, for A/B runs).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { promisify } from "node:util";
import autocannon from "autocannon";
import { createClient, type Client } from "graphql-ws";
import { Redis } from "ioredis";
import pg from "pg";
import WebSocket from "ws";
import { ensureDatabase, migrate } from "@boxoffice/db/migrate";
import { VERIFIED_TOKENS_KEPT } from "../src/auth/auth.tokens.js";
import { redisKeys } from "../src/platform/redis-keys.js";
import { roomScripts } from "../src/waiting-room/waiting-room.scripts.js";
import { percentiles, signTokens, startApi, stopApi, type StartedApi } from "./common.js";
import { wrkLoad, type WrkResult } from "./wrk.js";
import { startRawServer } from "./holds-race.js";
import { openLoop, type OpenLoopResult } from "./open-loop.js";
import { cpuAccountingAvailable, describeCpu, exitedChildrenTicks, processTree, sampleCpu, type CpuSample, type ProcessGroups } from "./cpu.js";

const run = promisify(execFile);
const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice_bench";
const REDIS_URL = env.REDIS_URL ?? "redis://127.0.0.1:6379";
const JOINS = Number(env.BENCH_JOINS ?? 100_000);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 64);
const STATUS_SECONDS = Number(env.BENCH_STATUS_SECONDS ?? 15);
const STATUS_RATE = Number(env.BENCH_STATUS_RATE ?? 2_000);
const SUBSCRIBERS = Number(env.BENCH_SUBSCRIBERS ?? 10_000);
const SECRET = `bench-${randomBytes(24).toString("hex")}`;
const PORT = Number(env.BENCH_PORT ?? 4700);
const RAW_PORT = Number(env.BENCH_RAW_PORT ?? PORT + 1);
const STATUS_WRK = env.BENCH_STATUS_WRK !== "off";
const JOIN_WRK_SECONDS = Number(env.BENCH_JOIN_WRK_SECONDS ?? 5);
/** What the bare server answers to every request: a queueStatus answer of the same shape and size. */
const RAW_ANSWER = '{"data":{"queueStatus":{"position":54321,"estimatedWaitSeconds":49}}}';

const step = (message: string) => console.log(`bench:queue: ${message}`);

async function prepare(pool: pg.Pool): Promise<{ eventId: string; wrkEventId: string; userIds: string[] }> {
  const { rows: users } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'bench-fan-%'`);
  if (users[0]!.n < JOINS) {
    step(`creating ${JOINS - users[0]!.n} bench fans`);
    await pool.query(
      `INSERT INTO users (email, name, password_hash)
       SELECT 'bench-fan-' || n || '@example.test', 'Bench fan ' || n, 'x' FROM generate_series($1::int + 1, $2::int) AS n`,
      [users[0]!.n, JOINS],
    );
  }
  const { rows: org } = await pool.query<{ id: string }>(
    `INSERT INTO organizations (name, slug) VALUES ('Bench Live', 'bench-live') ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
  );
  const eventId = await createRoom(pool, org[0]!.id);
  const wrkEventId = await createRoom(pool, org[0]!.id);
  const { rows: fans } = await pool.query<{ id: string }>(`SELECT id FROM users WHERE email LIKE 'bench-fan-%' ORDER BY id LIMIT $1`, [JOINS]);
  return { eventId, wrkEventId, userIds: fans.map((row) => row.id) };
}

/** An on-sale event with its waiting room on, at a venue of its own. */
async function createRoom(pool: pg.Pool, organizationId: string): Promise<string> {
  const run = randomBytes(4).toString("hex");
  const { rows: venue } = await pool.query<{ id: string }>(
    `INSERT INTO venues (slug, name, city, country, latitude, longitude, timezone, capacity, organization_id)
     VALUES ('bench-field-' || $2, 'Bench Field', 'Chicago', 'US', 41.86, -87.62, 'America/Chicago', 500000, $1) RETURNING id`,
    [organizationId, run],
  );
  await pool.query(`INSERT INTO sections (venue_id, name, kind, capacity, sort_order) VALUES ($1, 'Field', 'GENERAL_ADMISSION', 500000, 1)`, [venue[0]!.id]);
  const { rows: event } = await pool.query<{ id: string }>(
    `INSERT INTO events (slug, name, artist, category, status, venue_id, organization_id, starts_at, on_sale_at,
                         waiting_room_enabled, waiting_room_max_active_shoppers, admission_token_ttl_seconds)
     VALUES ('bench-queue-' || $2, 'Bench Queue Night', 'The Benchmarks', 'FESTIVAL', 'ON_SALE', $1, $3,
             now() + interval '30 days', now() - interval '1 hour', true, 1000, 900) RETURNING id`,
    [venue[0]!.id, run, organizationId],
  );
  await pool.query(
    `INSERT INTO event_sections (event_id, section_id, price_minor, price_floor_minor, price_ceiling_minor, capacity)
     SELECT $1, id, 5000, 2500, 10000, capacity FROM sections WHERE venue_id = $2`,
    [event[0]!.id, venue[0]!.id],
  );
  return event[0]!.id;
}

async function load(options: { url: string; amount?: number; seconds?: number; body: (index: number) => { headers?: Record<string, string>; body: string } }) {
  let next = 0;
  const latencies: number[] = [];
  const started = Date.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: "POST",
        connections: CONCURRENCY,
        ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
        // Hard stop whatever happens.
        ...(options.amount ? { duration: 300 } : {}),
        headers: { "content-type": "application/json" },
        requests: [
          {
            setupRequest: (request: autocannon.Request) => {
              const made = options.body(next++);
              return { ...request, headers: { ...request.headers, ...made.headers }, body: made.body };
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  return { seconds: (Date.now() - started) / 1000, non2xx: result.non2xx, errors: result.errors + result.timeouts, ...percentiles(latencies) };
}

async function redisBaseline(): Promise<number> {
  const url = new URL(REDIS_URL);
  const { stdout } = await run("redis-benchmark", ["-h", url.hostname, "-p", url.port || "6379", "-q", "-n", "200000", "-c", String(CONCURRENCY), "-t", "zadd"], {
    timeout: 120_000,
  });
  const match = /ZADD: ([\d.]+) requests per second/.exec(stdout);
  if (!match) throw new Error(`could not read redis-benchmark output:\n${stdout}`);
  return Number(match[1]);
}

async function subscribers(url: string, eventId: string, tokens: string[]): Promise<{ clients: Client[]; received: () => number; failed: () => number; reset: () => void; all: Promise<void>[] }> {
  let received = 0;
  let failed = 0;
  const clients: Client[] = [];
  const ready: Promise<void>[] = [];
  for (const [index, queueToken] of tokens.entries()) {
    const client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    ready.push(
      new Promise<void>((resolve) => {
        client.on("connected", () => resolve());
        client.subscribe(
          { query: `subscription($eventId: ID!, $queueToken: String!) { queuePositionChanged(eventId: $eventId, queueToken: $queueToken) { position } }`, variables: { eventId, queueToken } },
          { next: () => void received++, error: () => void failed++, complete: () => undefined },
        );
      }),
    );
    if (index % 2_000 === 1_999) step(`${index + 1} WebSocket clients connecting`);
  }
  return { clients, received: () => received, failed: () => failed, reset: () => void (received = 0), all: ready };
}

async function main(): Promise<void> {
  step(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`);
  step(`API: ${env.BENCH_API_DIR ?? "this checkout's api/"}, ${env.BENCH_API_ENTRY === "source" ? "src/main.ts through tsx (not what production runs)" : "dist/main.js (the tsc build production runs)"}`);
  await ensureDatabase(DATABASE_URL);
  await migrate(DATABASE_URL);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const redis = new Redis(REDIS_URL);
  let api: StartedApi | null = null;
  let clients: Client[] = [];
  try {
    const { eventId, wrkEventId, userIds } = await prepare(pool);
    const tokens = await signTokens(SECRET, userIds, step);
    api = await startApi({
      port: PORT,
      databaseUrl: DATABASE_URL,
      redisUrl: REDIS_URL,
      secret: SECRET,
      // The benchmark admits batches itself (phase 3); every join comes from 127.0.0.1.
      env: { WAITING_ROOM_TICK_MS: "0", WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: "100000000", HOLD_SWEEP_INTERVAL_MS: "0" },
    });
    // CPU per join and per status of the API and Redis (/proc): on a shared machine the rates move with
    // the neighbours' load; the CPU each request costs moves far less.
    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info("server"))?.[1] ?? 0);
    // "bench": this process, i.e. the load generator (autocannon runs in it) sharing the cores.
    const groups: ProcessGroups = { API: processTree(api.child.pid!), Redis: redisPid ? [redisPid] : [], bench: [process.pid] };
    // "wrk": the wrk processes that ran and ended since the last sample (the only children that exit within a phase).
    const cpu = (): CpuSample | null => {
      if (!cpuAccountingAvailable()) return null;
      const sample = sampleCpu(groups);
      sample.groups.wrk = exitedChildrenTicks(process.pid);
      return sample;
    };
    const JOIN = `mutation($eventId: ID!) { joinWaitingRoom(eventId: $eventId) { ticket { position } errors { code } } }`;
    step(`phase 1: ${JOINS} joins at concurrency ${CONCURRENCY}`);
    const joinsCpu = cpu();
    const joins = await load({
      url: api.url,
      amount: JOINS,
      body: (index) => ({ headers: { authorization: `Bearer ${tokens[index % tokens.length]}` }, body: JSON.stringify({ query: JOIN, variables: { eventId } }) }),
    });
    const joinsCpuAfter = cpu();
    // The same joins from wrk, into a second room so that the first keeps exactly JOINS waiting for
    // phase 2. The fans go in the same order as in phase 1: the API remembers only the last
    // VERIFIED_TOKENS_KEPT tokens it accepted, oldest out first, so with more than twice that many fans
    // every token is verified again, as in phase 1.
    let wrkJoins: { result: WrkResult; waiting: number; before: CpuSample | null; after: CpuSample | null } | null = null;
    if (STATUS_WRK) {
      step(`phase 1b: joins from wrk for ${JOIN_WRK_SECONDS} s at concurrency ${CONCURRENCY} (a second room, each fan once)`);
      if (JOINS <= 2 * VERIFIED_TOKENS_KEPT) step(`  (only ${JOINS} fans: some tokens are still remembered from phase 1, so these joins cost less)`);
      const body = JSON.stringify({ query: JOIN, variables: { eventId: wrkEventId } });
      const before = cpu();
      const result = await wrkLoad(api.url, tokens.map((token) => ({ token, body })), { concurrency: CONCURRENCY, seconds: JOIN_WRK_SECONDS, inOrder: true });
      const after = cpu();
      wrkJoins = { result, waiting: await redis.zcard(redisKeys(api.prefix).waitingRoom(wrkEventId).queue), before, after };
    }
    const keys = redisKeys(api.prefix).waitingRoom(eventId);
    const waiting = await redis.zcard(keys.queue);
    const queueTokens = Object.values(await redis.hgetall(keys.users));

    step(`phase 2: queueStatus for ${STATUS_SECONDS} s with ${waiting} waiting`);
    const STATUS = `query($eventId: ID!, $queueToken: String!) { queueStatus(eventId: $eventId, queueToken: $queueToken) { position estimatedWaitSeconds } }`;
    const statusCpu = cpu();
    const statuses = await load({
      url: api.url,
      seconds: STATUS_SECONDS,
      body: () => ({ body: JSON.stringify({ query: STATUS, variables: { eventId, queueToken: queueTokens[Math.floor(Math.random() * queueTokens.length)] } }) }),
    });

    const statusCpuAfter = cpu();
    let open: { result: OpenLoopResult; before: CpuSample | null; after: CpuSample | null } | null = null;
    if (STATUS_RATE > 0) {
      step(`phase 2b: queueStatus open loop at ${STATUS_RATE}/s for ${STATUS_SECONDS} s`);
      const before = cpu();
      const result = await openLoop({
        url: api.url,
        rate: STATUS_RATE,
        seconds: STATUS_SECONDS,
        maxSockets: CONCURRENCY,
        body: () => JSON.stringify({ query: STATUS, variables: { eventId, queueToken: queueTokens[Math.floor(Math.random() * queueTokens.length)] } }),
      });
      open = { result, before, after: cpu() };
    }
    const statusBody = () => JSON.stringify({ query: STATUS, variables: { eventId, queueToken: queueTokens[Math.floor(Math.random() * queueTokens.length)] } });
    const wrkBodies = STATUS_WRK ? Array.from({ length: 20_000 }, () => ({ token: "", body: statusBody() })) : [];
    let wrkStatus: { result: WrkResult; before: CpuSample | null; after: CpuSample | null } | null = null;
    if (STATUS_WRK) {
      step(`phase 2c: queueStatus from wrk for ${STATUS_SECONDS} s at concurrency ${CONCURRENCY}`);
      const before = cpu();
      const result = await wrkLoad(api.url, wrkBodies, { concurrency: CONCURRENCY, seconds: STATUS_SECONDS });
      wrkStatus = { result, before, after: cpu() };
    }
    // The floor: the same loads against a bare node:http server answering a constant of the same size.
    step(`phase 2d: the same loads against a bare node:http server (port ${RAW_PORT})`);
    const rawServer = await startRawServer(RAW_PORT, RAW_ANSWER);
    const raw: {
      closed: Awaited<ReturnType<typeof load>>;
      closedCpu: [CpuSample | null, CpuSample | null];
      open: OpenLoopResult | null;
      wrk: WrkResult | null;
      wrkCpu: [CpuSample | null, CpuSample | null];
    } = await (async () => {
      groups.raw = [rawServer.pid!];
      try {
        const rawUrl = `http://127.0.0.1:${RAW_PORT}/graphql`;
        const closedBefore = cpu();
        const closed = await load({ url: rawUrl, seconds: STATUS_SECONDS, body: () => ({ body: statusBody() }) });
        const closedCpu: [CpuSample | null, CpuSample | null] = [closedBefore, cpu()];
        const open = STATUS_RATE > 0 ? await openLoop({ url: rawUrl, rate: STATUS_RATE, seconds: STATUS_SECONDS, maxSockets: CONCURRENCY, body: statusBody }) : null;
        const wrkBefore = cpu();
        const wrk = STATUS_WRK ? await wrkLoad(rawUrl, wrkBodies, { concurrency: CONCURRENCY, seconds: STATUS_SECONDS }) : null;
        return { closed, closedCpu, open, wrk, wrkCpu: [wrkBefore, cpu()] };
      } finally {
        delete groups.raw;
        rawServer.kill("SIGTERM");
      }
    })();
    step(`phase 3: ${SUBSCRIBERS} WebSocket subscribers`);
    const subscribed = await subscribers(api.url, eventId, queueTokens.slice(queueTokens.length - SUBSCRIBERS));
    clients = subscribed.clients;
    await Promise.race([Promise.all(subscribed.all), new Promise((resolve) => setTimeout(resolve, 120_000))]);
    // A first admission batch shows which subscriptions are live end to end (some of 10,000 sockets
    // may fail to connect); the measured batches then time delivery to every live subscriber.
    const scripts = roomScripts(redis);
    const channel = redisKeys(api.prefix).queueChannel(eventId);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    let live = -1;
    for (let settle = 0; settle < 30 && live !== subscribed.received(); settle++) {
      live = subscribed.received();
      if (settle === 0) {
        subscribed.reset();
        await redis.publish(channel, JSON.stringify({ eventId, kind: "ADMITTED", count: 0, at: Date.now() }));
        live = -1;
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    step(`${live} of ${SUBSCRIBERS} subscriptions live (${subscribed.failed()} failed)`);
    const deliveries: number[] = [];
    for (let batch = 0; batch < 3; batch++) {
      subscribed.reset();
      const started = Date.now();
      const admitted = await scripts.admit(keys, 1_000 * (batch + 1), 1e9, 900_000);
      await redis.publish(channel, JSON.stringify({ eventId, kind: "ADMITTED", count: admitted.admitted.length, at: started }));
      const deadline = started + 60_000;
      while (subscribed.received() < live && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      deliveries.push(subscribed.received() < live ? NaN : Date.now() - started);
      step(`batch ${batch + 1}: ${admitted.admitted.length} admitted, ${subscribed.received()} of ${live} live subscribers updated in ${Date.now() - started} ms`);
    }

    const zadd = await redisBaseline();
    const joinsPerSecond = JOINS / joins.seconds;
    console.log("");
    console.log(`joins over HTTP (1 API process): ${JOINS} in ${joins.seconds.toFixed(1)} s = ${joinsPerSecond.toFixed(0)} joins/s; p50 ${joins.p50.toFixed(1)} ms, p99 ${joins.p99.toFixed(1)} ms; non-2xx ${joins.non2xx}, errors ${joins.errors}; waiting after: ${waiting}`);
    if (joinsCpu && joinsCpuAfter) console.log(`  joins: ${describeCpu(joinsCpu, joinsCpuAfter, JOINS, "join")}`);
    if (wrkJoins) {
      const { result, before, after } = wrkJoins;
      console.log(
        `joins from wrk (1 thread, concurrency ${CONCURRENCY}, a second room, each fan once): ${result.requests} in ${result.seconds.toFixed(1)} s = ${(result.requests / result.seconds).toFixed(0)} joins/s; ` +
          `p50 ${result.p50.toFixed(2)} ms, p90 ${result.p90.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms; non-2xx ${result.non2xx}, errors ${result.errors}; waiting after: ${wrkJoins.waiting}`,
      );
      if (before && after) console.log(`  joins from wrk: ${describeCpu(before, after, result.requests, "join")}`);
      if (result.requests > JOINS) console.log(`  ${result.requests - JOINS} joins repeated a fan (only ${JOINS} fans): lower BENCH_JOIN_WRK_SECONDS or raise BENCH_JOINS`);
    }
    console.log(`queueStatus with ${waiting} waiting: ${(statuses.count / statuses.seconds).toFixed(0)} req/s; p50 ${statuses.p50.toFixed(1)} ms, p99 ${statuses.p99.toFixed(1)} ms`);
    if (statusCpu && statusCpuAfter) console.log(`  queueStatus: ${describeCpu(statusCpu, statusCpuAfter, statuses.count, "status")}`);
    console.log(
      `  bare node:http server, same autocannon load: ${(raw.closed.count / raw.closed.seconds).toFixed(0)} req/s; p50 ${raw.closed.p50.toFixed(1)} ms, p99 ${raw.closed.p99.toFixed(1)} ms; ` +
        `ratio queueStatus p99 ÷ bare p99 = ${(statuses.p99 / raw.closed.p99).toFixed(2)}`,
    );
    if (raw.closedCpu[0] && raw.closedCpu[1]) console.log(`  bare server, autocannon: ${describeCpu(raw.closedCpu[0], raw.closedCpu[1], raw.closed.count, "request")}`);
    if (wrkStatus) {
      const { result, before, after } = wrkStatus;
      console.log(
        `queueStatus from wrk (1 thread, concurrency ${CONCURRENCY}): ${(result.requests / result.seconds).toFixed(0)} req/s; p50 ${result.p50.toFixed(2)} ms, p90 ${result.p90.toFixed(2)} ms, ` +
          `p99 ${result.p99.toFixed(2)} ms, p99.9 ${result.p999.toFixed(2)} ms, max ${result.max.toFixed(1)} ms; non-2xx ${result.non2xx}, errors ${result.errors}`,
      );
      if (before && after) console.log(`  queueStatus from wrk: ${describeCpu(before, after, result.requests, "status")}`);
      if (raw.wrk) {
        console.log(
          `  bare node:http server, same wrk load: ${(raw.wrk.requests / raw.wrk.seconds).toFixed(0)} req/s; p50 ${raw.wrk.p50.toFixed(2)} ms, p99 ${raw.wrk.p99.toFixed(2)} ms; ` +
            `ratio queueStatus p99 ÷ bare p99 = ${(result.p99 / raw.wrk.p99).toFixed(2)}`,
        );
        if (raw.wrkCpu[0] && raw.wrkCpu[1]) console.log(`  bare server, wrk: ${describeCpu(raw.wrkCpu[0], raw.wrkCpu[1], raw.wrk.requests, "request")}`);
      }
    }
    if (open) {
      const { result, before, after } = open;
      const ms = (figures: OpenLoopResult["fromDue"]) => `p50 ${figures.p50.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, max ${figures.max.toFixed(1)} ms`;
      console.log(
        `queueStatus open loop at ${STATUS_RATE}/s (sent ${result.sentPerSecond.toFixed(0)}/s, ${result.count} answered, non-2xx ${result.non2xx}, errors ${result.errors}): from due ${ms(result.fromDue)}; from send ${ms(result.fromSend)}`,
      );
      if (before && after) console.log(`  queueStatus open loop: ${describeCpu(before, after, result.count, "status")}`);
      if (raw.open) console.log(`  bare node:http server, same open loop: from due ${ms(raw.open.fromDue)}; ratio queueStatus p99 ÷ bare p99 (from due) = ${(result.fromDue.p99 / raw.open.fromDue.p99).toFixed(2)}`);
    }
    console.log(`position update after an admission batch reached all ${live} live subscribers (of ${SUBSCRIBERS} opened) in ${deliveries.map((ms) => `${ms} ms`).join(", ")}`);
    const wrkJoinsPerSecond = wrkJoins ? wrkJoins.result.requests / wrkJoins.result.seconds : NaN;
    console.log(
      `redis-benchmark ZADD, ${CONCURRENCY} clients: ${zadd.toFixed(0)} ops/s; ratio joins/s ÷ ZADD/s = ${(joinsPerSecond / zadd).toFixed(3)}` +
        (wrkJoins ? ` (autocannon), ${(wrkJoinsPerSecond / zadd).toFixed(3)} (wrk)` : ""),
    );
    if (
      joins.non2xx + joins.errors > 0 ||
      waiting !== JOINS ||
      (open && open.result.non2xx + open.result.errors > 0) ||
      (wrkStatus && wrkStatus.result.non2xx + wrkStatus.result.errors > 0) ||
      // Every join answered is a fan waiting in the second room (a refusal is a 200 with errors).
      (wrkJoins && (wrkJoins.result.non2xx + wrkJoins.result.errors > 0 || wrkJoins.result.requests > JOINS || wrkJoins.waiting < wrkJoins.result.requests))
    )
      process.exitCode = 1;
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    if (api) await stopApi(api);
    redis.disconnect();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:queue failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
