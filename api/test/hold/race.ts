/**
 * Many fans racing for the same seats, and the checks that prove the invariant held: no seat in two
 * live holds at any sampled moment, successful holds pairwise disjoint, held + available = inventory,
 * and Redis claims agreeing with PostgreSQL.
 */
import type pg from "pg";
import { expect } from "vitest";
import type { Redis } from "../../src/platform/redis.js";
import type { RedisKeys } from "../../src/platform/redis-keys.js";

export interface RaceResult {
  userId: string;
  seatIds: string[];
  holdId: string | null;
  code: string | null;
  /** From sending the request to reading its answer. */
  elapsedMs: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing race can be replayed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 1–4 adjacent seats of a random row for each fan: requests overlap heavily. */
export function overlappingRequests(rows: string[][], count: number, seed: number): string[][] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const row = rows[Math.floor(next() * rows.length)]!;
    const size = 1 + Math.floor(next() * 4);
    const start = Math.floor(next() * (row.length - size + 1));
    return row.slice(start, start + size);
  });
}

export const HOLD_SEATS = `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id lines { seat { id } } } errors { code message } } }`;

/**
 * Sends every request at once (fetch opens a connection per request in flight), spread over the given
 * API URLs; with `arrivalMs`, the requests leave one after another at an even pace over that long
 * instead (fans arriving through a burst rather than in one instant).
 */
export async function race(
  urls: readonly string[],
  fans: readonly { id: string; token: string }[],
  eventId: string,
  requests: readonly string[][],
  options: { arrivalMs?: number } = {},
): Promise<RaceResult[]> {
  const start = performance.now();
  const arrivalMs = options.arrivalMs ?? 0;
  return Promise.all(
      requests.map(async (seatIds, index) => {
        const fan = fans[index]!;
        const due = start + (arrivalMs * index) / requests.length;
        if (arrivalMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        const sentAt = performance.now();
        const response = await fetch(urls[index % urls.length]!, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${fan.token}` },
          body: JSON.stringify({ query: HOLD_SEATS, variables: { input: { eventId, seatIds } } }),
        });
        const body = (await response.json()) as any;
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        const elapsedMs = performance.now() - sentAt;
        const payload = body.data.holdSeats;
        if (payload.hold) {
          expect(payload.hold.lines.map((line: any) => line.seat.id).sort()).toEqual([...seatIds].sort());
          return { userId: fan.id, seatIds, holdId: payload.hold.id as string, code: null, elapsedMs };
        }
        return { userId: fan.id, seatIds, holdId: null, code: payload.errors[0].code as string, elapsedMs };
      }),
  );
}

/** Seats that are in two live holds right now, or HELD by a hold that does not list them. */
export async function invariantViolations(pool: pg.Pool, eventId: string): Promise<string[]> {
  const { rows } = await pool.query<{ problem: string }>(
    `SELECT 'seat ' || l.seat_id || ' in ' || count(*) || ' live holds' AS problem
     FROM hold_lines l JOIN holds h ON h.id = l.hold_id
     WHERE h.event_id = $1 AND h.status = 'ACTIVE' AND h.expires_at > now() AND l.seat_id IS NOT NULL
     GROUP BY l.seat_id HAVING count(*) > 1
     UNION ALL
     SELECT 'seat ' || es.seat_id || ' HELD by a hold without it' FROM event_seats es
     WHERE es.event_id = $1 AND es.status = 'HELD'
       AND NOT EXISTS (SELECT 1 FROM hold_lines l WHERE l.hold_id = es.hold_id AND l.seat_id = es.seat_id)`,
    [eventId],
  );
  return rows.map((row) => row.problem);
}

/** Samples the invariant every few milliseconds until stopped; returns every violation seen. */
export function watchInvariant(pool: pg.Pool, eventId: string): { stop(): Promise<{ samples: number; violations: string[] }> } {
  let running = true;
  let samples = 0;
  const violations: string[] = [];
  const loop = (async () => {
    while (running) {
      violations.push(...(await invariantViolations(pool, eventId)));
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { samples, violations };
    },
  };
}

/** The end state: successes disjoint and exactly what PostgreSQL holds; Redis agrees with PostgreSQL. */
export async function expectConsistentEnd(
  pool: pg.Pool,
  redis: Redis,
  keys: RedisKeys,
  eventId: string,
  inventory: readonly string[],
  results: readonly RaceResult[],
  options: { redisMustKnowEveryHold: boolean; refusals?: readonly string[] },
): Promise<void> {
  const won = results.filter((result) => result.holdId);
  const wonSeats = won.flatMap((result) => result.seatIds);
  expect(new Set(wonSeats).size, "a seat was won twice").toBe(wonSeats.length);
  const refusals = options.refusals ?? ["SEAT_UNAVAILABLE"];
  expect(results.filter((result) => result.code && !refusals.includes(result.code))).toEqual([]);

  const { rows } = await pool.query<{ seatId: string; status: string; holdId: string | null; holderUserId: string | null }>(
    `SELECT seat_id AS "seatId", status, hold_id AS "holdId", holder_user_id AS "holderUserId" FROM event_seats WHERE event_id = $1`,
    [eventId],
  );
  const held = rows.filter((row) => row.status === "HELD");
  const available = rows.filter((row) => row.status === "AVAILABLE");
  expect(held.length + available.length).toBe(inventory.length);
  expect(held.map((row) => row.seatId).sort()).toEqual([...wonSeats].sort());
  const holdOf = new Map(won.flatMap((result) => result.seatIds.map((seatId) => [seatId, result.holdId] as const)));
  for (const row of held) expect(row.holdId).toBe(holdOf.get(row.seatId));
  const { rows: holds } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1 AND status = 'ACTIVE'`, [eventId]);
  expect(holds[0]!.n).toBe(won.length);

  // Redis: never a claim that contradicts PostgreSQL; and (unless Redis lost data) a claim for every held seat.
  const claims = await redis.mget(...inventory.map((seatId) => keys.seatClaim(eventId, seatId)));
  const bySeat = new Map(rows.map((row) => [row.seatId, row]));
  inventory.forEach((seatId, index) => {
    const claim = claims[index];
    const row = bySeat.get(seatId)!;
    if (row.status === "HELD") {
      if (claim !== null || options.redisMustKnowEveryHold) expect(claim, `claim of held seat ${seatId}`).toBe(`${row.holderUserId}:${row.holdId}`);
    } else {
      expect(claim, `claim of free seat ${seatId}`).toBeNull();
    }
  });
}

/**
 * The same requests decided one at a time in the given order, as PostgreSQL's rules decide them: a
 * request gets its seats when all are free and taking them leaves no free seat alone between taken
 * seats (or a taken seat and the row's end) next to a seat it takes. Returns the seats given.
 */
export function serialAllocation(rows: readonly (readonly string[])[], requests: readonly (readonly string[])[]): number {
  const taken = new Set<string>();
  const rowOf = new Map(rows.flatMap((row) => row.map((seatId, index) => [seatId, { row, index }] as const)));
  let given = 0;
  for (const seatIds of requests) {
    if (seatIds.some((seatId) => taken.has(seatId))) continue;
    const picked = new Set(seatIds);
    const freeAfter = (row: readonly string[], index: number) => index >= 0 && index < row.length && !taken.has(row[index]!) && !picked.has(row[index]!);
    const strands = seatIds.some((seatId) => {
      const { row, index } = rowOf.get(seatId)!;
      return [index - 1, index + 1].some((x) => freeAfter(row, x) && !freeAfter(row, x - 1) && !freeAfter(row, x + 1));
    });
    if (strands) continue;
    for (const seatId of seatIds) taken.add(seatId);
    given += seatIds.length;
  }
  return given;
}
