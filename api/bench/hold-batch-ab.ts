/**
 * A/B of PostgreSQL's side of a hold batch: two databases (say, copies of boxoffice_bench made with
 * `CREATE DATABASE exp_a TEMPLATE boxoffice_bench`, one of them changed), each on one connection, get
 * batches of single-seat holds from distinct fans in turn (A, B, B, A, A, B, …), and the script prints
 * the CPU each backend used per hold (from /proc, so on Linux and with the database on this machine)
 * and the wall time per hold. Alternating batches keeps the machine's drift out of the comparison: on
 * the shared bench machines two back-to-back runs of one variant differ by up to a third, while an A/A
 * run of this script agrees within a few per cent.
 *
 *   cd api && node --conditions=source --import tsx bench/hold-batch-ab.ts exp_a exp_b [holds per batch = 32] [rounds = 100]
 *
 * Each database needs an on-sale event whose slug starts with "bench-" (the newest is used) with enough
 * free seats, and bench fans without a hold at it: what `npm run bench:holds` leaves behind. The holds
 * placed are kept; drop the copies afterwards.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { toArguments } from "../src/hold/hold.placer.js";

const [databaseA, databaseB] = process.argv.slice(2, 4);
const PER_BATCH = Number(process.argv[4] ?? 32);
const ROUNDS = Number(process.argv[5] ?? 100);
const BASE_URL = process.env.BENCH_AB_URL ?? "postgresql://root@127.0.0.1:5432/";

interface Side {
  name: string;
  pool: pg.Pool;
  eventId: string;
  seatIds: string[];
  userIds: string[];
  pid: number;
  next: number;
  cpuMicros: number;
  wallNanos: bigint;
  holds: number;
}

/** User plus system CPU of a process, in µs (clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function open(name: string): Promise<Side> {
  const pool = new pg.Pool({ connectionString: `${BASE_URL}${name}`, max: 1 });
  const { rows: events } = await pool.query<{ id: string }>(`SELECT id FROM events WHERE slug LIKE 'bench-%' ORDER BY created_at DESC LIMIT 1`);
  if (!events[0]) throw new Error(`${name}: no bench event; run npm run bench:holds first and copy its database`);
  const eventId = events[0].id;
  const needed = PER_BATCH * ROUNDS;
  const { rows: seats } = await pool.query<{ id: string }>(
    `SELECT seat_id AS id FROM event_seats WHERE event_id = $1 AND status = 'AVAILABLE' ORDER BY seat_id LIMIT $2`,
    [eventId, needed],
  );
  const { rows: users } = await pool.query<{ id: string }>(
    `SELECT id FROM users u WHERE email LIKE 'bench-fan-%' AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.user_id = u.id AND h.event_id = $1)
     ORDER BY id LIMIT $2`,
    [eventId, needed],
  );
  if (seats.length < needed || users.length < needed) throw new Error(`${name}: ${seats.length} free seats and ${users.length} fans, ${needed} needed`);
  const { rows: backend } = await pool.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
  return { name, pool, eventId, seatIds: seats.map((row) => row.id), userIds: users.map((row) => row.id), pid: backend[0]!.pid, next: 0, cpuMicros: 0, wallNanos: 0n, holds: 0 };
}

async function batch(side: Side): Promise<void> {
  const requests = Array.from({ length: PER_BATCH }, () => {
    const index = side.next++;
    return toArguments({
      holdId: randomUUID(),
      eventId: side.eventId,
      userId: side.userIds[index]!,
      requestKey: `auto:${randomUUID()}`,
      seatIds: [side.seatIds[index]!],
      sectionId: null,
      quantity: null,
      allowSingleGaps: false,
    });
  });
  const cpuBefore = cpuMicros(side.pid);
  const started = process.hrtime.bigint();
  const { rows } = await side.pool.query<{ results: { outcome: string }[] }>(`SELECT hold_seats_batch($1::jsonb) AS results`, [JSON.stringify(requests)]);
  side.wallNanos += process.hrtime.bigint() - started;
  side.cpuMicros += cpuMicros(side.pid) - cpuBefore;
  side.holds += PER_BATCH;
  const refused = rows[0]!.results.find((result) => result.outcome !== "HELD");
  if (refused) throw new Error(`${side.name}: a hold was refused: ${JSON.stringify(refused)}`);
}

async function main(): Promise<void> {
  if (!databaseA || !databaseB) throw new Error("usage: hold-batch-ab.ts <database A> <database B> [holds per batch] [rounds]");
  const sides = [await open(databaseA), await open(databaseB)];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) await batch(side);
      if (round % 25 === 24) console.log(`hold-batch-ab: ${round + 1} of ${ROUNDS} rounds`);
    }
    for (const side of sides) {
      console.log(
        `${side.name}: backend CPU ${(side.cpuMicros / side.holds).toFixed(1)} µs/hold, wall ${(Number(side.wallNanos) / 1000 / side.holds).toFixed(1)} µs/hold (${side.holds} holds in batches of ${PER_BATCH})`,
      );
    }
  } finally {
    await Promise.all(sides.map((side) => side.pool.end()));
  }
}

main().catch((error: unknown) => {
  console.error(`hold-batch-ab failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
