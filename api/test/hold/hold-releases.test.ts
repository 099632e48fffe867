/**
 * Holds released in batches (hold.releaser.ts → end_holds) and expired in sets by the sweeper: many
 * releases in one statement free exactly their own seats, once; a release racing a checkout or the
 * sweeper ends the hold one way only; nothing is lost or freed twice.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FreedPlace } from "../../src/hold/hold.db.js";
import { createHoldReleaser } from "../../src/hold/hold.releaser.js";
import { checkout, HOLD } from "../checkout/checkout-helpers.js";
import { createEvent, createOrganization, createUsers, createVenue } from "../support/factories.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";

let api: TestApi;
let organizationId: string;

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0" } });
  organizationId = await createOrganization(api.app.db.pool);
});
afterAll(() => api.stop());

const RELEASE = `mutation($holdId: ID!) { releaseHold(holdId: $holdId) { ok errors { code } } }`;

/** `fans` fans each holding `seatsEach` seats of their own (rows of 10), through the API. */
async function heldSale(fans: number, seatsEach: number, options: { holdDurationSeconds?: number; generalAdmission?: number } = {}) {
  const pool = api.app.db.pool;
  const venue = await createVenue(pool, {
    seated: [{ rows: Math.ceil((fans * seatsEach) / 10), seatsPerRow: 10 }],
    generalAdmission: options.generalAdmission ? [options.generalAdmission] : [],
  });
  const eventId = await createEvent(pool, venue, { organizationId, allowSingleSeatGaps: true, maxSeatsPerUser: 4, holdDurationSeconds: options.holdDurationSeconds ?? 600 });
  const users = await createUsers(api, fans);
  const seats = venue.sections[0]!.seatIds;
  const holds = await Promise.all(
    users.map(async (user, index) => {
      const seatIds = seats.slice(index * seatsEach, (index + 1) * seatsEach);
      const answer = await api.query(HOLD, { input: { eventId, seatIds, requestKey: randomUUID() } }, user.token);
      return { user, seatIds, holdId: expectOk(answer.data!.holdSeats).hold.id as string };
    }),
  );
  return { pool, venue, eventId, holds };
}

async function seatRows(pool: pg.Pool, eventId: string) {
  const { rows } = await pool.query<{ seat_id: string; status: string; hold_id: string | null }>(`SELECT seat_id, status, hold_id FROM event_seats WHERE event_id = $1`, [eventId]);
  return rows;
}

async function holdStatuses(pool: pg.Pool, ids: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ id: string; status: string }>(`SELECT id, status FROM holds WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((row) => [row.id, row.status]));
}

describe("releases in batches", () => {
  it("60 releases at once go in one statement and free exactly each hold's own seats, once; repeats and others' releases free nothing", async () => {
    const { pool, eventId, holds } = await heldSale(60, 2);
    // A releaser of its own on a pool that counts statements, so the batch is sure to be one.
    const counting = new pg.Pool({ connectionString: api.database.url, max: 2 });
    let statements = 0;
    counting.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        statements++;
        return query(...args);
      };
    });
    try {
      const releaser = createHoldReleaser(counting, { maxBatch: 100, concurrency: 1, synchronousCommit: "off" });
      const stranger = holds[0]!.user;
      const answers = await Promise.all([
        ...holds.map((hold) => releaser.release(hold.holdId, hold.user.id)),
        // The same releases again in the same batch (double clicks), and releases by someone else.
        ...holds.slice(0, 10).map((hold) => releaser.release(hold.holdId, hold.user.id)),
        ...holds.slice(1, 11).map((hold) => releaser.release(hold.holdId, stranger.id)),
      ]);
      expect(statements).toBe(1);
      const own = answers.slice(0, holds.length);
      own.forEach((freed, index) => {
        const hold = holds[index]!;
        expect(freed.map((place: FreedPlace) => [place.holdId, place.userId, place.seatId, place.quantity]).sort()).toEqual(
          hold.seatIds.map((seatId) => [hold.holdId, hold.user.id, seatId, 1]).sort(),
        );
      });
      expect(answers.slice(holds.length)).toEqual(Array.from({ length: 20 }, () => []));
    } finally {
      await counting.end();
    }
    const rows = await seatRows(pool, eventId);
    expect(rows.filter((row) => row.status !== "AVAILABLE" || row.hold_id !== null)).toEqual([]);
    expect([...(await holdStatuses(pool, holds.map((hold) => hold.holdId))).values()]).toEqual(holds.map(() => "RELEASED"));
  });

  it("releases through the API at once answer each fan for their own hold, and the seats go back on sale and to Redis", async () => {
    const { pool, eventId, holds } = await heldSale(40, 1);
    const answers = await Promise.all(holds.map((hold) => api.query(RELEASE, { holdId: hold.holdId }, hold.user.token)));
    expect(answers.map((answer) => answer.data!.releaseHold)).toEqual(holds.map(() => ({ ok: true, errors: [] })));
    // Asked again: each finds it ended.
    const again = await Promise.all(holds.map((hold) => api.query(RELEASE, { holdId: hold.holdId }, hold.user.token)));
    expect(again.map((answer) => answer.data!.releaseHold.errors[0]?.code)).toEqual(holds.map(() => "HOLD_EXPIRED"));
    expect((await seatRows(pool, eventId)).filter((row) => row.status !== "AVAILABLE")).toEqual([]);
    const claims = await api.app.redis.mget(...holds.map((hold) => api.app.keys.seatClaim(eventId, hold.seatIds[0]!)));
    expect(claims).toEqual(holds.map(() => null));
  });

  it("a release racing a checkout of the same hold: the seats end sold under one order or free, never both, never neither", { timeout: 60_000 }, async () => {
    const { pool, eventId, holds } = await heldSale(16, 2);
    const outcomes = await Promise.all(
      holds.map(async (hold) => {
        const [released, paid] = await Promise.all([
          api.query(RELEASE, { holdId: hold.holdId }, hold.user.token).then((answer) => answer.data!.releaseHold as { ok: boolean; errors: { code: string }[] }),
          checkout(api, hold.user.token, { holdId: hold.holdId }),
        ]);
        return { hold, released: released.errors.length === 0, paid: Boolean(paid.order) };
      }),
    );
    const statuses = await holdStatuses(pool, holds.map((hold) => hold.holdId));
    const rows = new Map((await seatRows(pool, eventId)).map((row) => [row.seat_id, row.status]));
    for (const { hold, released, paid } of outcomes) {
      // Both may succeed: a release answered while the payment ran frees the seats, and the checkout
      // then sells them if they are still free (as after an expiry). Neither may fail.
      expect(released || paid, `hold ${hold.holdId}: neither released nor paid`).toBe(true);
      expect(hold.seatIds.map((seatId) => rows.get(seatId))).toEqual(hold.seatIds.map(() => (paid ? "SOLD" : "AVAILABLE")));
      if (!paid) expect(statuses.get(hold.holdId)).toBe("RELEASED");
      if (!released) expect(statuses.get(hold.holdId)).toBe("CONVERTED");
    }
    const { rows: tickets } = await pool.query<{ n: number; seats: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT seat_id)::int AS seats FROM tickets WHERE event_id = $1`,
      [eventId],
    );
    const sold = outcomes.filter((outcome) => outcome.paid).length * 2;
    expect(tickets[0]).toEqual({ n: sold, seats: sold });
    const { rows: orders } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE event_id = $1 AND status = 'CONFIRMED'`, [eventId]);
    expect(orders[0]!.n).toBe(outcomes.filter((outcome) => outcome.paid).length);
  });

  it("releases racing the sweeper at expiry: every hold ends exactly once, as RELEASED or EXPIRED, and every seat is freed once", { timeout: 60_000 }, async () => {
    const { pool, eventId, holds } = await heldSale(40, 2, { holdDurationSeconds: 2 });
    const { rows: due } = await pool.query<{ at: Date }>(`SELECT max(expires_at) AS at FROM holds WHERE event_id = $1`, [eventId]);
    // Fire the releases from a little before the last expiry to a little after, with sweeper passes among them.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due[0]!.at.getTime() - Date.now() - 150)));
    const releaser = api.app.holds.releaser;
    const released: FreedPlace[][] = [];
    const swept: FreedPlace[] = [];
    const sweeps: Promise<void>[] = [];
    const releases = holds.map(async (hold, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * 8));
      if (index % 10 === 0) sweeps.push(api.app.sweeper.sweep().then(() => undefined));
      released.push(await releaser.release(hold.holdId, hold.user.id));
    });
    // The sweeper's own freed places: read from what PostgreSQL marked EXPIRED after everything ran.
    await Promise.all(releases);
    await Promise.all(sweeps);
    await api.app.sweeper.sweep();
    const statuses = await holdStatuses(pool, holds.map((hold) => hold.holdId));
    const releasedSeats = released.flat().map((place) => place.seatId!);
    expect(new Set(releasedSeats).size, "a seat freed twice by releases").toBe(releasedSeats.length);
    for (const hold of holds) {
      const status = statuses.get(hold.holdId);
      const byRelease = releasedSeats.filter((seatId) => hold.seatIds.includes(seatId));
      // RELEASED exactly when a release freed its seats; otherwise the sweeper expired it.
      expect([status, byRelease.length]).toEqual(byRelease.length > 0 ? ["RELEASED", hold.seatIds.length] : ["EXPIRED", 0]);
      if (status === "EXPIRED") swept.push(...hold.seatIds.map((seatId) => ({ seatId }) as FreedPlace));
    }
    expect(releasedSeats.length + swept.length).toBe(holds.length * 2);
    expect((await seatRows(pool, eventId)).filter((row) => row.status !== "AVAILABLE" || row.hold_id !== null)).toEqual([]);
    const { rows: ended } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1 AND status = 'ACTIVE'`, [eventId]);
    expect(ended[0]!.n).toBe(0);
  });

  it("general-admission places released in one batch come back exactly once", async () => {
    const pool = api.app.db.pool;
    const venue = await createVenue(pool, { seated: [], generalAdmission: [30] });
    const eventId = await createEvent(pool, venue, { organizationId, maxSeatsPerUser: 4 });
    const sectionId = venue.sections[0]!.id;
    const users = await createUsers(api, 10);
    const holds = await Promise.all(
      users.map(async (user) => {
        const answer = await api.query(HOLD, { input: { eventId, sectionId, quantity: 3 } }, user.token);
        return { user, holdId: expectOk(answer.data!.holdSeats).hold.id as string };
      }),
    );
    const held = async () => (await pool.query<{ ga_held: number }>(`SELECT ga_held FROM event_sections WHERE event_id = $1 AND section_id = $2`, [eventId, sectionId])).rows[0]!.ga_held;
    expect(await held()).toBe(30);
    const releaser = createHoldReleaser(pool, { maxBatch: 50, concurrency: 2, synchronousCommit: "off" });
    const answers = await Promise.all([...holds, ...holds].map((hold) => releaser.release(hold.holdId, hold.user.id)));
    expect(answers.flat().reduce((sum, place) => sum + place.quantity, 0)).toBe(30);
    expect(await held()).toBe(0);
  });
});
