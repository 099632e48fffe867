/**
 * npm run bench:search — search at catalogue scale: 100,000 generated events (created once in
 * boxoffice_bench), a full Elasticsearch reindex (bulk docs/s), then searchEvents over HTTP at
 * concurrency 16 for text + facets and for geo queries, on Elasticsearch and on PostgreSQL. Baseline
 * in the same run: pgbench primary-key SELECT on events, 16 clients. Needs ELASTICSEARCH_URL (npm run
 * es:start prints it); without it only PostgreSQL is measured. 127.0.0.1 only; bounded; stops by itself.
 *
 * Configuration: BENCH_DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL, BENCH_EVENTS (100000), BENCH_SECONDS (15).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { ensureDatabase, migrate } from "@boxoffice/db/migrate";
import { reindex } from "@boxoffice/search-indexer/elastic-index";
import { createElasticClient } from "@boxoffice/search-indexer/elastic-query";
import { percentiles, startApi, stopApi, type StartedApi } from "./common.js";

const run = promisify(execFile);
const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice_bench";
const REDIS_URL = env.REDIS_URL ?? "redis://127.0.0.1:6379";
const ELASTICSEARCH_URL = env.ELASTICSEARCH_URL ?? "";
const EVENTS = Number(env.BENCH_EVENTS ?? 100_000);
const SECONDS = Number(env.BENCH_SECONDS ?? 15);
const CONCURRENCY = 16;
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
  for (let from = rows[0]!.n + 1; from <= EVENTS; from += 10_000) {
    const to = Math.min(EVENTS, from + 9_999);
    await pool.query(
      `WITH venues AS (SELECT id, row_number() OVER (ORDER BY slug) AS r FROM venues WHERE slug LIKE 'bench-search-venue-%'),
       made AS (
         INSERT INTO events (slug, name, artist, category, status, venue_id, organization_id, starts_at, on_sale_at)
         SELECT 'bench-search-' || n, ($2::text[])[n % 20 + 1] || ' ' || ($2::text[])[(n / 20) % 20 + 1] || ' ' || n,
                ($2::text[])[(n / 400) % 20 + 1] || ' Collective',
                (ARRAY['CONCERT','SPORTS','THEATER','COMEDY','FAMILY','FESTIVAL','OTHER'])[n % 7 + 1]::"EventCategory", 'ON_SALE',
                v.id, $1, now() + (n % 365) * interval '1 day', now() - interval '1 day'
         FROM generate_series($3::int, $4::int) AS n JOIN venues v ON v.r = n % 200 + 1
         RETURNING id, venue_id
       )
       INSERT INTO event_sections (event_id, section_id, price_minor, price_floor_minor, price_ceiling_minor, capacity)
       SELECT made.id, s.id, p.price, p.price / 2, p.price * 2, 5000
       FROM made JOIN sections s ON s.venue_id = made.venue_id, LATERAL (SELECT (1000 + floor(random() * 30000))::int AS price) p`,
      [org[0]!.id, WORDS, from, to],
    );
    step(`  ${to} events`);
  }
  // The triggers queued an outbox row per event for the indexer; this benchmark reindexes in full instead.
  await pool.query(`DELETE FROM outbox_events WHERE type = 'EventSearchChanged'`);
  for (const table of ["events", "event_sections", "venues"]) await pool.query(`VACUUM ANALYZE ${table}`);
  step(`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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

const SEARCH = `query($input: EventSearchInput!) { searchEvents(input: $input) { totalCount engine hits { event { id name } distanceKm } facets { field buckets { value count } } } }`;
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
const textQuery = () =>
  JSON.stringify({ query: SEARCH, variables: { input: { text: `${pick(WORDS)} ${pick(WORDS)}`, category: [pick(["CONCERT", "SPORTS", "THEATER"])], first: 20 } } });
const geoQuery = () => {
  const [, lat, lon] = pick(CITIES);
  return JSON.stringify({ query: SEARCH, variables: { input: { near: { lat, lon, radiusKm: 25 }, first: 20 } } });
};

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
  const lines: string[] = [];
  try {
    await prepare(pool);
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
    for (const engine of client ? ["elasticsearch", "postgresql"] : ["postgresql"]) {
      api = await startApi({
        port: 4800,
        databaseUrl: DATABASE_URL,
        redisUrl: REDIS_URL,
        secret: SECRET,
        env: { ELASTICSEARCH_URL: engine === "elasticsearch" ? ELASTICSEARCH_URL : "", ELASTICSEARCH_INDEX: alias, HOLD_SWEEP_INTERVAL_MS: "0" },
      });
      const check = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json" }, body: textQuery() }).then((response) => response.json() as Promise<{ data?: { searchEvents?: { engine?: string } } }>);
      if (check.data?.searchEvents?.engine !== engine) throw new Error(`expected ${engine}, got ${JSON.stringify(check).slice(0, 300)}`);
      step(`${engine}: text + facets at concurrency ${CONCURRENCY} for ${SECONDS} s`);
      const text = await drive(api.url, textQuery);
      step(`${engine}: geo at concurrency ${CONCURRENCY} for ${SECONDS} s`);
      const geo = await drive(api.url, geoQuery);
      lines.push(`${engine}: text+facets ${text.rps.toFixed(0)} req/s, p50 ${text.p50.toFixed(1)} ms, p99 ${text.p99.toFixed(1)} ms (non-2xx ${text.non2xx}, errors ${text.errors})`);
      lines.push(`${engine}: geo          ${geo.rps.toFixed(0)} req/s, p50 ${geo.p50.toFixed(1)} ms, p99 ${geo.p99.toFixed(1)} ms (non-2xx ${geo.non2xx}, errors ${geo.errors})`);
      if (text.non2xx + text.errors + geo.non2xx + geo.errors > 0) process.exitCode = 1;
      await stopApi(api);
      api = null;
    }
    const tps = await pgbench(pool);
    lines.push(`pgbench primary-key SELECT on events, 16 clients: ${tps.toFixed(0)} tps (baseline)`);
    console.log("");
    for (const line of lines) console.log(line);
  } finally {
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
