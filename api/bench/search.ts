/**
 * npm run bench:search — search at catalogue scale: 100,000 generated events (created once in
 * boxoffice_bench), a full Elasticsearch reindex (bulk docs/s), then, on Elasticsearch and on PostgreSQL,
 * text + facets and geo queries at concurrency 16: first the engine alone, called in this process
 * (for Elasticsearch also its own `took`), then searchEvents over HTTP through an API process, so the
 * difference is what the API adds. While Elasticsearch is measured, a search-indexer process runs
 * and a probe edits an event twice a second (with a stream of price changes beside it) and times
 * how long until the edit is searchable: the indexer lag. That churn runs under both Elasticsearch
 * measurements, alone and through the API (each refresh empties Elasticsearch's request cache).
 * Baseline in the same run: pgbench primary-key SELECT on events, 16 clients. Needs
 * ELASTICSEARCH_URL (npm run es:start prints it); without it only PostgreSQL is measured. First, 3 s of
 * 1-ms sleeps count how late the idle machine wakes a process (cpu.ts, measureLateWakeups).
 * 127.0.0.1 only; bounded; stops by itself.
 *
 * Configuration: BENCH_DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL, BENCH_EVENTS (100000), BENCH_SECONDS (15),
 * BENCH_PORT (4800, the API under test), SEARCH_DATABASE_CONCURRENCY (the API's setting, 2; also used by
 * PostgreSQL alone), BENCH_SEARCH_WRK (on: after autocannon, the same searches through the API from wrk,
 * whose own CPU per request is a fifth of autocannon's on the same cores; "off" skips them),
 * BENCH_SEARCH_ENGINES (elasticsearch,postgresql: the engines measured, for an A/B of one of them).
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { ensureDatabase, migrate } from "@boxoffice/db/migrate";
import { reindex } from "@boxoffice/search-indexer/elastic-index";
import type { Client } from "@elastic/elasticsearch";
import { createElasticClient, createElasticSearch } from "@boxoffice/search-indexer/elastic-query";
import type { SearchEngine } from "@boxoffice/search-indexer/search-model";
import { createPostgresSearch } from "../src/search/search.pg.js";
import { parseSearch, type SearchInput } from "../src/search/search.query.js";
import { percentiles, serviceEntry, startApi, stopApi, type StartedApi } from "./common.js";
import { wrkLoad } from "./wrk.js";
import { cpuAccountingAvailable, measureLateWakeups, processTree, sampleCpu } from "./cpu.js";

const run = promisify(execFile);
const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice_bench";
const REDIS_URL = env.REDIS_URL ?? "redis://127.0.0.1:6379";
const ELASTICSEARCH_URL = env.ELASTICSEARCH_URL ?? "";
const EVENTS = Number(env.BENCH_EVENTS ?? 100_000);
const SECONDS = Number(env.BENCH_SECONDS ?? 15);
const CONCURRENCY = 16;
/** The API's setting (and default), so PostgreSQL alone is the same engine as the API's. */
const SEARCH_DATABASE_CONCURRENCY = Number(env.SEARCH_DATABASE_CONCURRENCY ?? 2);
const SEARCH_WRK = env.BENCH_SEARCH_WRK !== "off";
const ENGINES = (env.BENCH_SEARCH_ENGINES ?? "elasticsearch,postgresql").split(",").map((name) => name.trim());
const PORT = Number(env.BENCH_PORT ?? 4800);
const SECRET = `bench-${randomBytes(24).toString("hex")}`;

const step = (message: string) => console.log(`bench:search: ${message}`);

const WORDS = ["Nova", "Aurora", "Midnight", "Electric", "Golden", "Velvet", "Crimson", "Silver", "Echo", "Lunar", "Solar", "Wild", "Blue", "Neon", "Royal", "Jazz", "Rock", "Opera", "Comedy", "Circus"];
const CITIES: [string, number, number][] = [
  ["Chicago", 41.88, -87.63], ["New York", 40.71, -74.0], ["Austin", 30.27, -97.74], ["Denver", 39.74, -104.99], ["Seattle", 47.61, -122.33],
  ["London", 51.51, -0.13], ["Berlin", 52.52, 13.4], ["Paris", 48.86, 2.35], ["Madrid", 40.42, -3.7], ["Rome", 41.9, 12.5],
];

async function prepare(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE slug LIKE 'bench-search-%'`);
  if (rows[0]!.n >= EVENTS) return;
  const started = Date.now();
  step(`creating ${EVENTS - rows[0]!.n} events in 200 venues (once)`);
  const { rows: org } = await pool.query<{ id: string }>(
    `INSERT INTO organizations (name, slug) VALUES ('Bench Live', 'bench-live') ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
  );
  await pool.query(
    `INSERT INTO venues (slug, name, city, country, latitude, longitude, timezone, capacity, organization_id)
     SELECT 'bench-search-venue-' || n, c.city || ' ' || ($2::text[])[n % 20 + 1] || ' Hall ' || n, c.city, 'XX',
            c.lat + (random() - 0.5) * 0.6, c.lon + (random() - 0.5) * 0.6, 'UTC', 5000, $1
     FROM generate_series(1, 200) AS n
     JOIN (SELECT * FROM unnest($3::text[], $4::float8[], $5::float8[]) WITH ORDINALITY AS t(city, lat, lon, i)) c ON c.i = n % 10 + 1
     ON CONFLICT (slug) DO NOTHING`,
    [org[0]!.id, WORDS, CITIES.map((c) => c[0]), CITIES.map((c) => c[1]), CITIES.map((c) => c[2])],
  );
  await pool.query(
    `INSERT INTO sections (venue_id, name, kind, capacity, sort_order)
     SELECT id, 'Floor', 'GENERAL_ADMISSION', 5000, 1 FROM venues WHERE slug LIKE 'bench-search-venue-%' ON CONFLICT DO NOTHING`,
  );
  // Set-based: the per-row search triggers (a version bump, an outbox row and a search row per event
  // and per section) are switched off for this one session (session_replication_role = replica), the
  // events and their sections go in 10,000 at a time, then their search rows are computed in sets
  // by the same function the triggers call. The benchmark reindexes Elasticsearch in full, so no
  // outbox rows are needed.
  const seeding = await pool.connect();
  try {
    await seeding.query("SET session_replication_role = replica");
    for (let from = rows[0]!.n + 1; from <= EVENTS; from += 10_000) {
      const to = Math.min(EVENTS, from + 9_999);
      await seeding.query(
        `WITH venues AS (SELECT id, row_number() OVER (ORDER BY slug) AS r FROM venues WHERE slug LIKE 'bench-search-venue-%'),
         made AS (
           INSERT INTO events (slug, name, artist, category, status, venue_id, organization_id, starts_at, on_sale_at)
           SELECT 'bench-search-' || n, ($2::text[])[n % 20 + 1] || ' ' || ($2::text[])[(n / 20) % 20 + 1] || ' ' || n,
                  ($2::text[])[(n / 400) % 20 + 1] || ' Collective',
                  (ARRAY['CONCERT','SPORTS','THEATER','COMEDY','FAMILY','FESTIVAL','OTHER'])[n % 7 + 1]::"EventCategory", 'ON_SALE',
                  v.id, $1, now() + (n % 365) * interval '1 day', now() - interval '1 day'
           FROM generate_series($3::int, $4::int) AS n JOIN venues v ON v.r = n % 200 + 1
           RETURNING id, venue_id
         ),
         sections AS (
           INSERT INTO event_sections (event_id, section_id, price_minor, price_floor_minor, price_ceiling_minor, capacity)
           SELECT made.id, s.id, p.price, p.price / 2, p.price * 2, 5000
           FROM made JOIN sections s ON s.venue_id = made.venue_id, LATERAL (SELECT (1000 + floor(random() * 30000))::int AS price) p
         )
         SELECT count(*) FROM made`,
        [org[0]!.id, WORDS, from, to],
      );
      await seeding.query(`SELECT event_search_refresh(array_agg(id)) FROM events WHERE slug = ANY(SELECT 'bench-search-' || n FROM generate_series($1::int, $2::int) n)`, [from, to]);
      step(`  ${to} events (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await seeding.query("RESET session_replication_role").catch(() => undefined);
    seeding.release();
  }
  for (const table of ["events", "event_sections", "venues", "event_search"]) await pool.query(`VACUUM ANALYZE ${table}`);
  step(`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * CPU spent per request between start and stop (Linux /proc): by this database's PostgreSQL backends
 * (each one's ticks since start, or since it connected), by the API process and by this process (the
 * load generator, or the engine's client when it is measured alone), and, in the Elasticsearch phases,
 * by the Elasticsearch node (its own process CPU counter, from node stats; it includes the repricing
 * churn's indexing and refreshes, the same in every phase). Unlike latencies, these hardly move with the
 * load other processes put on the machine.
 */
async function cpuWindow(pool: pg.Pool, api: StartedApi | null, elastic: Client | null = null): Promise<(requests: number) => Promise<string>> {
  const elasticMillis = async () => {
    if (!elastic) return 0;
    const { nodes } = await elastic.nodes.stats({ node_id: "_local", metric: "process" });
    return Object.values(nodes).reduce((sum, node) => sum + (node.process?.cpu?.total_in_millis ?? 0), 0);
  };
  const backends = async () => {
    const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    return sampleCpu(Object.fromEntries(rows.map((row) => [String(row.pid), [row.pid]]))).groups;
  };
  if (!cpuAccountingAvailable()) return async () => "CPU per request: not measured (no /proc)";
  const apiPids = api ? processTree(api.child.pid!) : [];
  const before = { backends: await backends(), api: sampleCpu({ api: apiPids }).groups.api ?? 0, self: process.cpuUsage(), elastic: await elasticMillis() };
  return async (requests) => {
    const elasticCpu = elastic ? `Elasticsearch ${((((await elasticMillis()) - before.elastic) * 1_000) / requests).toFixed(0)} µs, ` : "";
    const after = await backends();
    const backendTicks = Object.entries(after).reduce((sum, [pid, ticks]) => sum + ticks - (before.backends[pid] ?? 0), 0);
    const apiTicks = (sampleCpu({ api: apiPids }).groups.api ?? 0) - before.api;
    const self = process.cpuUsage(before.self);
    const micros = (ticks: number) => ((ticks * 10_000) / requests).toFixed(0);
    return `CPU per request: ${elasticCpu}PostgreSQL backends ${micros(backendTicks)} µs${api ? `, API ${micros(apiTicks)} µs` : ""}, this process ${((self.user + self.system) / requests).toFixed(0)} µs`;
  };
}

async function drive(url: string, body: () => string) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: "POST",
        connections: CONCURRENCY,
        duration: SECONDS,
        headers: { "content-type": "application/json" },
        requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: body() }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const { p50, p99 } = percentiles(latencies);
  return { rps: latencies.length / SECONDS, p50, p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

/**
 * The engine alone, called in this process by CONCURRENCY loops for SECONDS; `kinds` lists each
 * query kind's latencies apart (which queries make the tail).
 */
async function driveEngine(engine: SearchEngine, input: () => SearchInput) {
  const latencies: number[] = [];
  const byKind = new Map<string, number[]>();
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        const asked = input();
        const parsed = parseSearch(asked);
        if (!parsed.ok) throw new Error(parsed.error.message);
        const started = performance.now();
        await engine.search(parsed.value);
        const elapsed = performance.now() - started;
        latencies.push(elapsed);
        const kind = kindOf(asked);
        if (!byKind.has(kind)) byKind.set(kind, []);
        byKind.get(kind)!.push(elapsed);
      }
    }),
  );
  const { p50, p99 } = percentiles(latencies);
  const kinds = [...byKind].map(([kind, values]) => {
    const each = percentiles(values);
    return `${kind}: ${values.length} queries, p50 ${each.p50.toFixed(1)} ms, p99 ${each.p99.toFixed(1)} ms`;
  });
  return { rps: latencies.length / SECONDS, p50, p99, kinds };
}

const SEARCH = `query($input: EventSearchInput!) { searchEvents(input: $input) { totalCount engine hits { event { id name } distanceKm } facets { field buckets { value count } } } }`;
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
const textInput = (): SearchInput => ({ text: `${pick(WORDS)} ${pick(WORDS)}`, category: [pick(["CONCERT", "SPORTS", "THEATER"] as const)], first: 20 });
const geoInput = (): SearchInput => {
  const [, lat, lon] = pick(CITIES);
  return { near: { lat, lon, radiusKm: 25 }, first: 20 };
};
/**
 * Text queries are two random words of 20, so one in 20 names the same word twice: it matches every
 * event with that word in its title or place (~19,000 of 100,000), against ~1,500 for two words.
 */
function kindOf(input: SearchInput): string {
  if (input.near) return "geo";
  const [first, second] = (input.text ?? "").split(" ");
  return first === second ? "broad text (one word twice)" : "text (two words)";
}
const textQuery = () => JSON.stringify({ query: SEARCH, variables: { input: textInput() } });
const geoQuery = () => JSON.stringify({ query: SEARCH, variables: { input: geoInput() } });

/**
 * Indexer lag while the benchmark runs: a search-indexer process indexes the outbox; beside a stream
 * of price changes (PRICE_CHANGES_PER_SECOND events repriced), a probe gives one event a new artist
 * word twice a second and polls Elasticsearch until that word finds it. Returns a stop function that
 * answers the lags (ms) measured.
 */
const PRICE_CHANGES_PER_SECOND = 20;
async function measureIndexerLag(pool: pg.Pool, alias: string): Promise<() => Promise<number[]>> {
  const indexerDir = fileURLToPath(new URL("../../search-indexer/", import.meta.url));
  const indexer = spawn(process.execPath, await serviceEntry(indexerDir), {
    cwd: indexerDir,
    env: { ...process.env, DATABASE_URL, ELASTICSEARCH_URL, ELASTICSEARCH_INDEX: alias, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => indexer.once("exit", () => resolve()));
  // Probes start once the indexer runs: its start-up is not lag.
  await new Promise<void>((resolve, reject) => {
    let output = "";
    indexer.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("search indexer running")) resolve();
    });
    indexer.once("exit", () => reject(new Error(`search indexer exited: ${output.slice(-500)}`)));
  });
  // Its own client: the probe's searches stay out of the measured client's `took` figures.
  const client = createElasticClient(ELASTICSEARCH_URL, 30_000);
  let running = true;
  const lags: number[] = [];
  const churn = (async () => {
    while (running) {
      await pool.query(
        `UPDATE event_sections SET price_minor = price_floor_minor + floor(random() * (price_ceiling_minor - price_floor_minor + 1))::int
         WHERE event_id IN (SELECT id FROM events WHERE slug = ANY(SELECT 'bench-search-' || (1 + floor(random() * $1))::int FROM generate_series(1, $2)))`,
        [EVENTS, PRICE_CHANGES_PER_SECOND / 4],
      );
      await sleep(250);
    }
  })();
  const probe = (async () => {
    for (let round = 0; running; round++) {
      const word = `lagprobe${randomBytes(4).toString("hex")}`;
      await pool.query(`UPDATE events SET artist = regexp_replace(artist, ' lagprobe[0-9a-f]+$', '') || ' ' || $2 WHERE slug = 'bench-search-' || $1`, [
        1 + Math.floor(Math.random() * EVENTS),
        word,
      ]);
      const committed = performance.now();
      for (;;) {
        const found = await client.search({ index: alias, size: 0, track_total_hits: true, query: { match: { artist: word } } });
        const total = typeof found.hits.total === "number" ? found.hits.total : (found.hits.total?.value ?? 0);
        if (total > 0) break;
        if (performance.now() - committed > 30_000 || !running) break;
        await sleep(20);
      }
      lags.push(performance.now() - committed);
      await sleep(500);
    }
  })();
  return async () => {
    running = false;
    await Promise.all([churn, probe]);
    indexer.kill("SIGTERM");
    await exited;
    await client.close();
    return lags;
  };
}

async function pgbench(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events`);
  const script = join(tmpdir(), `bench-search-${process.pid}.sql`);
  writeFileSync(script, `\\set n random(1, ${rows[0]!.n})\nSELECT id, name FROM events WHERE slug = 'bench-search-' || :n;\n`);
  const url = new URL(DATABASE_URL);
  const { stdout } = await run(
    "pgbench",
    ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "root"), "-n", "-c", "16", "-j", "2", "-T", "10", "-M", "prepared", "-f", script, url.pathname.slice(1)],
    { timeout: 120_000 },
  );
  return Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? NaN);
}

async function main(): Promise<void> {
  step(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`);
  await ensureDatabase(DATABASE_URL);
  await migrate(DATABASE_URL);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const alias = `bench-events-${randomBytes(3).toString("hex")}`;
  const client = ELASTICSEARCH_URL ? createElasticClient(ELASTICSEARCH_URL, 120_000) : null;
  let api: StartedApi | null = null;
  let stopLag: (() => Promise<number[]>) | null = null;
  const lines: string[] = [];
  try {
    await prepare(pool);
    step("measuring how late the idle machine wakes a sleeping process (3 s)");
    lines.push(await measureLateWakeups());
    if (client) {
      step(`reindexing every event into Elasticsearch (${alias})`);
      const started = Date.now();
      let count = 0;
      await reindex(pool, client, alias, (indexed) => {
        count = indexed;
        if (indexed % 20_000 === 0) step(`  ${indexed} indexed`);
      });
      const seconds = (Date.now() - started) / 1000;
      lines.push(`bulk indexing (PostgreSQL read + Elasticsearch bulk, one process): ${count} events in ${seconds.toFixed(1)} s = ${(count / seconds).toFixed(0)} docs/s`);
    }
    for (const engine of (client ? ["elasticsearch", "postgresql"] : ["postgresql"]).filter((name) => ENGINES.includes(name))) {
      const directPool = engine === "postgresql" ? new pg.Pool({ connectionString: DATABASE_URL, max: 20 }) : null;
      const direct = directPool ? createPostgresSearch(directPool, SEARCH_DATABASE_CONCURRENCY) : createElasticSearch(client!, alias);
      /** The Elasticsearch node whose CPU each phase reports, in the Elasticsearch phases. */
      const elastic = engine === "elasticsearch" ? client : null;
      const tooks: number[] = [];
      client?.diagnostic.on("response", (_error, result) => {
        const took = (result?.body as { took?: unknown } | undefined)?.took;
        if (typeof took === "number") tooks.push(took);
      });
      // The index changes under both measurements, alone and through the API, as in an on-sale: every
      // refresh (each second while prices move) empties Elasticsearch's request cache, so without the
      // churn "alone" would mostly measure cache hits and the API's ratio to it would not compare like
      // with like.
      stopLag = engine === "elasticsearch" ? await measureIndexerLag(pool, alias) : null;
      for (let warm = 0; warm < 50; warm++) {
        const parsed = parseSearch(warm % 2 ? textInput() : geoInput());
        if (parsed.ok) await direct.search(parsed.value);
      }
      step(`${engine} alone (in this process): text + facets at concurrency ${CONCURRENCY} for ${SECONDS} s`);
      tooks.length = 0;
      let cpu = await cpuWindow(pool, null, elastic);
      const directText = await driveEngine(direct, textInput);
      const directTextCpu = await cpu(directText.rps * SECONDS);
      const textTook = percentiles(tooks.splice(0));
      step(`${engine} alone: geo at concurrency ${CONCURRENCY} for ${SECONDS} s`);
      cpu = await cpuWindow(pool, null, elastic);
      const directGeo = await driveEngine(direct, geoInput);
      const directGeoCpu = await cpu(directGeo.rps * SECONDS);
      const geoTook = percentiles(tooks.splice(0));
      client?.diagnostic.removeAllListeners("response");
      await directPool?.end();
      lines.push(`${engine} alone:  text+facets ${directText.rps.toFixed(0)} req/s, p50 ${directText.p50.toFixed(1)} ms, p99 ${directText.p99.toFixed(1)} ms` +
        (engine === "elasticsearch" ? ` (took: p50 ${textTook.p50} ms, p99 ${textTook.p99} ms)` : ""));
      lines.push(`${engine} alone:    by kind: ${directText.kinds.join("; ")}`);
      lines.push(`${engine} alone:    text ${directTextCpu}`);
      lines.push(`${engine} alone:  geo          ${directGeo.rps.toFixed(0)} req/s, p50 ${directGeo.p50.toFixed(1)} ms, p99 ${directGeo.p99.toFixed(1)} ms` +
        (engine === "elasticsearch" ? ` (took: p50 ${geoTook.p50} ms, p99 ${geoTook.p99} ms)` : ""));
      lines.push(`${engine} alone:    geo ${directGeoCpu}`);
      api = await startApi({
        port: PORT,
        databaseUrl: DATABASE_URL,
        redisUrl: REDIS_URL,
        secret: SECRET,
        env: { ELASTICSEARCH_URL: engine === "elasticsearch" ? ELASTICSEARCH_URL : "", ELASTICSEARCH_INDEX: alias, HOLD_SWEEP_INTERVAL_MS: "0" },
      });
      // Warm the API (its first requests compile code paths and fill pools), then check who answers.
      const ask = (body: string) =>
        fetch(api!.url, { method: "POST", headers: { "content-type": "application/json" }, body }).then((response) => response.json() as Promise<{ data?: { searchEvents?: { engine?: string } } }>);
      for (let warm = 0; warm < 50; warm++) await ask(warm % 2 ? textQuery() : geoQuery());
      const check = await ask(textQuery());
      if (check.data?.searchEvents?.engine !== engine) throw new Error(`expected ${engine}, got ${JSON.stringify(check).slice(0, 300)}`);
      step(`${engine}: text + facets at concurrency ${CONCURRENCY} for ${SECONDS} s`);
      let apiCpu = await cpuWindow(pool, api, elastic);
      const text = await drive(api.url, textQuery);
      const textCpu = await apiCpu(text.rps * SECONDS);
      step(`${engine}: geo at concurrency ${CONCURRENCY} for ${SECONDS} s`);
      apiCpu = await cpuWindow(pool, api, elastic);
      const geo = await drive(api.url, geoQuery);
      const geoCpu = await apiCpu(geo.rps * SECONDS);
      // The same searches from wrk: the load generator's own CPU on the shared cores is ~40 µs per
      // request instead of autocannon's ~220–280, so more of the machine is left to the API and the engine.
      const wrkPhases: string[] = [];
      if (SEARCH_WRK) {
        for (const [kind, body] of [["text+facets", textQuery], ["geo        ", geoQuery]] as const) {
          step(`${engine}: ${kind.trim()} from wrk at concurrency ${CONCURRENCY} for ${SECONDS} s`);
          apiCpu = await cpuWindow(pool, api, elastic);
          const result = await wrkLoad(api.url, Array.from({ length: 20_000 }, () => ({ token: "", body: body() })), { concurrency: CONCURRENCY, seconds: SECONDS });
          const rps = result.requests / result.seconds;
          const cpuLine = await apiCpu(result.requests);
          wrkPhases.push(`${engine} API (wrk): ${kind} ${rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms (non-2xx ${result.non2xx}, errors ${result.errors})`);
          wrkPhases.push(`${engine} API (wrk):   ${kind.trim()} ${cpuLine.replace("this process", "this process (not the load generator)")}`);
          if (result.non2xx + result.errors > 0) process.exitCode = 1;
        }
      }
      if (stopLag) {
        const lags = await stopLag();
        stopLag = null;
        const lag = percentiles(lags);
        lines.push(`indexer lag while Elasticsearch was measured (${lags.length} probes, ${PRICE_CHANGES_PER_SECOND} repriced events/s): p50 ${lag.p50.toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms`);
      }
      lines.push(`${engine} API:    text+facets ${text.rps.toFixed(0)} req/s, p50 ${text.p50.toFixed(1)} ms, p99 ${text.p99.toFixed(1)} ms (non-2xx ${text.non2xx}, errors ${text.errors})`);
      lines.push(`${engine} API:      text ${textCpu}`);
      lines.push(`${engine} API:    geo          ${geo.rps.toFixed(0)} req/s, p50 ${geo.p50.toFixed(1)} ms, p99 ${geo.p99.toFixed(1)} ms (non-2xx ${geo.non2xx}, errors ${geo.errors})`);
      lines.push(`${engine} API:      geo ${geoCpu}`);
      lines.push(...wrkPhases);
      if (text.non2xx + text.errors + geo.non2xx + geo.errors > 0) process.exitCode = 1;
      await stopApi(api);
      api = null;
    }
    const tps = await pgbench(pool);
    lines.push(`pgbench primary-key SELECT on events, 16 clients: ${tps.toFixed(0)} tps (baseline)`);
    console.log("");
    for (const line of lines) console.log(line);
  } finally {
    if (stopLag) await stopLag().catch(() => undefined);
    if (api) await stopApi(api);
    if (client) {
      const indexes = Object.keys(await client.indices.getAlias({ name: alias }).catch(() => ({})));
      for (const index of indexes) await client.indices.delete({ index, ignore_unavailable: true });
      await client.close();
    }
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:search failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
