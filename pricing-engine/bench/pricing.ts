/**
 * npm run bench:pricing — how long one pricing tick takes for BENCH_SECTIONS (1,000) dynamically
 * priced on-sale sections (40 events × 25 sections × 200 seats, a random share of each sold, demand in
 * Redis for every section), how many PostgreSQL statements it sends (constant, not per section), and
 * where its time goes. The raw baseline, measured in the same run: PostgreSQL alone reading the same
 * sections' inventory counts and rewriting their 1,000 prices in one statement each (the least any
 * tick must do); the tick's time is printed as a ratio to it.
 *
 * Ticks run in virtual time (one minute apart), each on a database that already holds the previous
 * ticks' history. Everything runs on 127.0.0.1; the bench stops by itself after BENCH_TICKS ticks.
 *
 * Configuration: BENCH_DATABASE_URL (default postgresql://root@127.0.0.1:5432/boxoffice_bench_pricing),
 * REDIS_URL, BENCH_SECTIONS (1000), BENCH_TICKS (15).
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { pino } from "pino";
import { ensureDatabase, migrate } from "@boxoffice/db/migrate";
import { demandField, demandMinute, pricingKeys } from "../src/redis-contract.js";
import { createTickDependencies, runOnce, type TickResult } from "../src/tick.js";

const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice_bench_pricing";
const REDIS_URL = env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SECTIONS_PER_EVENT = 25;
const SECTIONS = Math.ceil(Number(env.BENCH_SECTIONS ?? 1000) / SECTIONS_PER_EVENT) * SECTIONS_PER_EVENT;
const TICKS = Number(env.BENCH_TICKS ?? 15);
const ROWS = 10;
const SEATS_PER_ROW = 20;

const step = (message: string) => console.log(`bench:pricing: ${message}`);

async function prepare(pool: pg.Pool): Promise<string[]> {
  const started = Date.now();
  const { rows: venues } = await pool.query<{ id: string }>(`SELECT id FROM venues WHERE slug = 'pricing-bench-arena'`);
  let venueId = venues[0]?.id;
  if (!venueId) {
    step(`creating a venue of ${SECTIONS_PER_EVENT} sections × ${ROWS * SEATS_PER_ROW} seats`);
    const { rows: org } = await pool.query<{ id: string }>(
      `INSERT INTO organizations (name, slug) VALUES ('Pricing Bench', 'pricing-bench') ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    );
    const { rows: venue } = await pool.query<{ id: string }>(
      `INSERT INTO venues (slug, name, city, country, latitude, longitude, timezone, capacity, organization_id)
       VALUES ('pricing-bench-arena', 'Pricing Bench Arena', 'Chicago', 'US', 41.86, -87.62, 'America/Chicago', $1, $2) RETURNING id`,
      [SECTIONS_PER_EVENT * ROWS * SEATS_PER_ROW, org[0]!.id],
    );
    venueId = venue[0]!.id;
    await pool.query(
      `INSERT INTO sections (venue_id, name, kind, capacity, sort_order) SELECT $1, 'S' || s, 'SEATED', $3::int, s FROM generate_series(1, $2::int) AS s`,
      [venueId, SECTIONS_PER_EVENT, ROWS * SEATS_PER_ROW],
    );
    await pool.query(`INSERT INTO seat_rows (section_id, label, sort_order) SELECT sec.id, 'R' || r, r FROM sections sec, generate_series(1, $2::int) AS r WHERE sec.venue_id = $1`, [
      venueId,
      ROWS,
    ]);
    await pool.query(
      `INSERT INTO seats (section_id, row_id, number, x, y, stage_distance)
       SELECT r.section_id, r.id, n, n, r.sort_order, r.sort_order FROM seat_rows r JOIN sections sec ON sec.id = r.section_id, generate_series(1, $2::int) AS n
       WHERE sec.venue_id = $1`,
      [venueId, SEATS_PER_ROW],
    );
  }
  // Earlier runs' events (and their history) go, so every run starts from the same table sizes.
  await pool.query(`DELETE FROM events WHERE slug LIKE 'pricing-bench-%'`);
  // Events of other benchmarks sharing this database stay out of the ticks.
  await pool.query(`UPDATE event_sections SET dynamic_pricing = false WHERE dynamic_pricing`);
  const events = SECTIONS / SECTIONS_PER_EVENT;
  step(`creating ${events} on-sale events: ${SECTIONS} dynamically priced sections, ${SECTIONS * ROWS * SEATS_PER_ROW} seats`);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO events (slug, name, artist, category, status, venue_id, organization_id, starts_at, on_sale_at)
     SELECT 'pricing-bench-' || $2 || '-' || n, 'Pricing Bench ' || n, 'The Benchmarks', 'CONCERT', 'ON_SALE', v.id, v.organization_id,
            now() + interval '20 days', now() - interval '2 days'
     FROM venues v, generate_series(1, $3::int) AS n WHERE v.id = $1 RETURNING id`,
    [venueId, randomBytes(3).toString("hex"), events],
  );
  const eventIds = rows.map((row) => row.id);
  await pool.query(
    `INSERT INTO event_sections (event_id, section_id, price_minor, price_floor_minor, price_ceiling_minor, capacity, dynamic_pricing, max_step_basis_points)
     SELECT e, s.id, 8000, 4000, 20000, s.capacity, true, 1000 FROM unnest($1::uuid[]) AS e, sections s WHERE s.venue_id = $2`,
    [eventIds, venueId],
  );
  // Seats of each section sold with a share of its own (0-90%), so pace differs from section to section.
  await pool.query(
    `INSERT INTO event_seats (event_id, seat_id, section_id, status)
     SELECT e, seat.id, seat.section_id,
            CASE WHEN (hashtext(e::text || seat.section_id::text) & 1023) / 1137.0 > random() THEN 'SOLD' ELSE 'AVAILABLE' END::"SeatStatus"
     FROM unnest($1::uuid[]) AS e, seats seat JOIN sections s ON s.id = seat.section_id WHERE s.venue_id = $2`,
    [eventIds, venueId],
  );
  await pool.query(`VACUUM ANALYZE event_seats, event_sections, section_pricing_state, price_history`);
  step(`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return eventIds;
}

/** Demand for every section over the ticks' windows, as the API writes it. */
async function writeDemand(redis: Redis, prefix: string, eventIds: string[], sectionIds: Map<string, string[]>, from: number, minutes: number): Promise<void> {
  const keys = pricingKeys(prefix);
  await redis.set(keys.demandEpoch, String((from - 10) * 60_000));
  const pipeline = redis.pipeline();
  for (const eventId of eventIds) {
    for (let minute = from - 6; minute < from + minutes; minute++) {
      const bucket = keys.demandBucket(eventId, minute);
      for (const sectionId of sectionIds.get(eventId)!) {
        pipeline.hset(bucket, demandField(sectionId, "views"), 40, demandField(sectionId, "holdsPlaced"), 6, demandField(sectionId, "holdsReleased"), 1);
      }
      pipeline.expire(bucket, 3_600);
    }
  }
  await pipeline.exec();
}

/** The raw baseline: the inventory read and one rewrite of every price, PostgreSQL alone. */
async function baseline(pool: pg.Pool, eventIds: string[]): Promise<number> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    await client.query("BEGIN");
    await client.query(
      `SELECT es.event_id, es.section_id, count(*) FILTER (WHERE es.status = 'SOLD'), count(*) FILTER (WHERE es.status = 'HELD' AND es.held_until > now())
       FROM event_seats es WHERE es.event_id = ANY($1::uuid[]) GROUP BY 1, 2`,
      [eventIds],
    );
    await client.query(`UPDATE event_sections SET price_minor = price_minor WHERE event_id = ANY($1::uuid[])`, [eventIds]);
    await client.query("ROLLBACK");
    return performance.now() - started;
  } finally {
    client.release();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await migrate(DATABASE_URL);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const redis = new Redis(REDIS_URL);
  const prefix = `bench-pricing:${randomBytes(4).toString("hex")}:`;
  try {
    const eventIds = await prepare(pool);
    const { rows } = await pool.query<{ event_id: string; section_id: string }>(`SELECT event_id, section_id FROM event_sections WHERE event_id = ANY($1::uuid[])`, [eventIds]);
    const sectionIds = new Map<string, string[]>();
    for (const row of rows) sectionIds.set(row.event_id, [...(sectionIds.get(row.event_id) ?? []), row.section_id]);
    const first = demandMinute(Date.now());
    await writeDemand(redis, prefix, eventIds, sectionIds, first, TICKS);
    const deps = createTickDependencies({ pool, redis, logger: pino({ level: "warn" }), intervalMs: 60_000, windowMinutes: 5, redisKeyPrefix: prefix });

    const results: TickResult[] = [];
    const baselines: number[] = [];
    for (let tick = 0; tick < TICKS; tick++) {
      // Alternated: the baseline, then the tick, so both see the same machine.
      baselines.push(await baseline(pool, eventIds));
      const started = performance.now();
      const result = await runOnce(deps, new Date((first + tick) * 60_000 + 2_000));
      const ms = performance.now() - started;
      results.push({ ...result, timings: { ...result.timings, total: ms } as TickResult["timings"] & { total: number } });
      step(`tick ${tick + 1}/${TICKS}: ${result.computed} sections computed, ${result.changed} changed, ${result.statements} statements, ${ms.toFixed(0)} ms`);
    }
    // The first ticks warm caches and plans: the figures are the ticks after the first three.
    const measured = results.slice(Math.min(3, results.length - 1));
    const totals = measured.map((result) => (result.timings as TickResult["timings"] & { total: number }).total);
    const part = (name: keyof TickResult["timings"]) => median(measured.map((result) => result.timings[name])).toFixed(0);
    const tickMs = median(totals);
    const rawMs = median(baselines.slice(Math.min(3, baselines.length - 1)));
    console.log("");
    console.log(`pricing tick, ${SECTIONS} on-sale sections (${SECTIONS * ROWS * SEATS_PER_ROW} seats): median ${tickMs.toFixed(0)} ms, max ${Math.max(...totals).toFixed(0)} ms over ${measured.length} ticks (goal < 1000 ms)`);
    console.log(`  PostgreSQL statements per tick: ${[...new Set(measured.map((result) => result.statements))].join(", ")} (BEGIN, CLAIM, APPLY, COMMIT: constant)`);
    console.log(`  median split: claim ${part("claim")} ms, Redis signals ${part("signals")} ms, decisions ${part("decide")} ms, apply + commit ${part("apply")} ms`);
    console.log(`  changed per tick: median ${median(measured.map((result) => result.changed))} of ${SECTIONS}`);
    console.log(`raw baseline (PostgreSQL alone: the same inventory counts + one UPDATE of ${SECTIONS} prices): median ${rawMs.toFixed(0)} ms`);
    console.log(`ratio tick ÷ raw baseline = ${(tickMs / rawMs).toFixed(2)}`);
  } finally {
    const stale = await redis.keys(`${prefix}*`);
    if (stale.length) await redis.del(...stale);
    redis.disconnect();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:pricing failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
