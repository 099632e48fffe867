/**
 * Holds placed in batches (hold.placer.ts, hold_seats_batch): requests in one batch are
 * decided one after another, refusals write nothing, and a batch that fails as a whole fails only the
 * request at fault. Driven through the placer itself so that the requests are sure to share a batch.
 * A batch of independent requests is decided at once by hold_seats_set (migration
 * 20261124000000_set_based_hold_batches): its outcomes are compared with one-at-a-time decisions.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHoldPlacer, toArguments, type HoldOutcome, type HoldRequest } from "../../src/hold/hold.placer.js";
import { uuidv7 } from "../../src/platform/ids.js";
import { createEvent, createOrganization, createUsers, createVenue, type VenueFixture } from "../support/factories.js";
import { waitFor } from "../support/processes.js";
import { startTestApi, type TestApi } from "../support/test-api.js";

let api: TestApi;
let organizationId: string;
let venue: VenueFixture;

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0" } });
  organizationId = await createOrganization(api.app.db.pool);
  venue = await createVenue(api.app.db.pool, { seated: [{ rows: 2, seatsPerRow: 10 }], generalAdmission: [3] });
});
afterAll(() => api.stop());

function request(eventId: string, userId: string, seatIds: string[] | null, extra: Partial<HoldRequest> = {}): HoldRequest {
  return { holdId: uuidv7(), eventId, userId, requestKey: null, seatIds, sectionId: null, quantity: null, allowSingleGaps: true, ...extra };
}

/** Every request is queued in the same turn of the event loop, so they all go in one batch. */
function placeTogether(requests: HoldRequest[]): Promise<HoldOutcome[]> {
  const placer = createHoldPlacer(api.app.db.pool, { maxBatch: 50, concurrency: 1 });
  return Promise.all(requests.map((one) => placer.place(one)));
}

async function liveHolds(eventId: string) {
  const { rows } = await api.app.db.pool.query<{ id: string; user_id: string; seats: string[] }>(
    `SELECT h.id, h.user_id, array_agg(l.seat_id ORDER BY l.seat_id) FILTER (WHERE l.seat_id IS NOT NULL) AS seats
     FROM holds h LEFT JOIN hold_lines l ON l.hold_id = h.id
     WHERE h.event_id = $1 AND h.status = 'ACTIVE' GROUP BY h.id, h.user_id`,
    [eventId],
  );
  return rows;
}

describe("a batch of holds", () => {
  it("decides its requests in order: a seat goes once, a fan gets one hold, a repeated key replays", async () => {
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId, priceMinor: 4000 });
    const [a, b, c] = await createUsers(api, 3);
    const seats = venue.sections[0]!.seatIds;
    const first = request(eventId, a!.id, [seats[0]!, seats[1]!], { requestKey: "key-a" });
    const outcomes = await placeTogether([
      first,
      // Another fan wants one of those seats and a free one: all or nothing, so nothing.
      request(eventId, b!.id, [seats[1]!, seats[2]!]),
      // The same request again (a retry with the same key): the hold it made.
      { ...first, holdId: uuidv7() },
      // The first fan again, other seats: one live hold per fan per event.
      request(eventId, a!.id, [seats[5]!]),
      // A third fan, free seats: held.
      request(eventId, c!.id, [seats[3]!, seats[4]!]),
    ]);

    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(["HELD", "UNAVAILABLE", "REPLAYED", "ACTIVE_HOLD", "HELD"]);
    const held = outcomes[0] as Extract<HoldOutcome, { outcome: "HELD" }>;
    expect(held.subtotalMinor).toBe(8000);
    expect(outcomes[1]).toMatchObject({ outcome: "UNAVAILABLE", seats: [{ seatId: seats[1], status: "HELD", holdId: first.holdId, holderUserId: a!.id }] });
    expect(outcomes[2]).toMatchObject({ holdId: first.holdId });
    const holds = await liveHolds(eventId);
    expect(holds.map((hold) => [hold.user_id, hold.seats]).sort()).toEqual(
      [
        [a!.id, [seats[0], seats[1]].sort()],
        [c!.id, [seats[3], seats[4]].sort()],
      ].sort(),
    );
    // The refused request wrote nothing: seat 2 is still free.
    const { rows } = await api.app.db.pool.query(`SELECT status, hold_id FROM event_seats WHERE event_id = $1 AND seat_id = $2`, [eventId, seats[2]]);
    expect(rows[0]).toEqual({ status: "AVAILABLE", hold_id: null });
  });

  it("refuses a general-admission request beyond what is left, after earlier requests of the batch took places", async () => {
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId, priceMinor: 4000 });
    const ga = venue.sections.find((section) => section.kind === "GENERAL_ADMISSION")!;
    const fans = await createUsers(api, 3);
    const ask = (userId: string, quantity: number) => request(eventId, userId, null, { sectionId: ga.id, quantity });
    const outcomes = await placeTogether([ask(fans[0]!.id, 2), ask(fans[1]!.id, 2), ask(fans[2]!.id, 1)]);
    expect(outcomes).toMatchObject([{ outcome: "HELD", gaAvailable: 1 }, { outcome: "GA_SHORT", available: 1 }, { outcome: "HELD", gaAvailable: 0 }]);
    const { rows } = await api.app.db.pool.query(`SELECT ga_held FROM event_sections WHERE event_id = $1 AND section_id = $2`, [eventId, ga.id]);
    expect(rows[0].ga_held).toBe(3);
  });

  it("fails only the request the database rejects; the rest of its batch is placed", async () => {
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId, priceMinor: 4000 });
    const fans = await createUsers(api, 2);
    const seats = venue.sections[0]!.seatIds;
    const results = await Promise.allSettled(
      (() => {
        const placer = createHoldPlacer(api.app.db.pool, { maxBatch: 50, concurrency: 1 });
        return [
          request(eventId, fans[0]!.id, [seats[10]!]),
          // No such user: the hold's foreign key fails, and with it the whole first attempt.
          request(eventId, randomUUID(), [seats[11]!]),
          request(eventId, fans[1]!.id, [seats[12]!]),
        ].map((one) => placer.place(one));
      })(),
    );
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(results.map((result) => (result.status === "fulfilled" ? result.value.outcome : null))).toEqual(["HELD", null, "HELD"]);
    expect((await liveHolds(eventId)).map((hold) => hold.seats[0]).sort()).toEqual([seats[10], seats[12]].sort());
    const { rows } = await api.app.db.pool.query(`SELECT status FROM event_seats WHERE event_id = $1 AND seat_id = $2`, [eventId, seats[11]]);
    expect(rows[0].status).toBe("AVAILABLE");
  });

  it("sends the next batch to PostgreSQL before the callers of the previous one run", async () => {
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId, priceMinor: 4000 });
    const fans = await createUsers(api, 2);
    const seats = venue.sections[0]!.seatIds;
    // Counts the queries written to PostgreSQL (a client's query() writes to the connection at once).
    let sent = 0;
    const pool = api.app.db.pool;
    const counting = new Proxy(pool, {
      get: (target, property) =>
        property === "connect"
          ? async () => {
              const client = await target.connect();
              return new Proxy(client, {
                get: (inner, name) => (name === "query" ? (...args: unknown[]) => (sent++, (inner.query as (...a: unknown[]) => unknown).apply(inner, args)) : Reflect.get(inner, name)),
              });
            }
          : Reflect.get(target, property),
    });
    const placer = createHoldPlacer(counting, { maxBatch: 50, concurrency: 1 });
    const first = placer.place(request(eventId, fans[0]!.id, [seats[14]!]));
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is on its way
    const second = placer.place(request(eventId, fans[1]!.id, [seats[15]!]));
    const sentWhenFirstAnswered = await first.then(() => sent);
    expect(sentWhenFirstAnswered).toBe(2);
    expect((await second).outcome).toBe("HELD");
  });

  it("fails the batch whose connection breaks, and places the next requests on a new connection", async () => {
    const pool = api.app.db.pool;
    const eventId = await createEvent(pool, venue, { organizationId, priceMinor: 4000 });
    const fans = await createUsers(api, 2);
    const seats = venue.sections[0]!.seatIds;
    const placer = createHoldPlacer(pool, { maxBatch: 50, concurrency: 1 });
    // Another transaction locks the first seat, so the first batch waits in PostgreSQL until its
    // connection is cut; the second request queues behind it meanwhile.
    const blocker = await pool.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query(`SELECT 1 FROM event_seats WHERE event_id = $1 AND seat_id = $2 FOR UPDATE`, [eventId, seats[0]]);
      const first = placer.place(request(eventId, fans[0]!.id, [seats[0]!]));
      let waiting: number | undefined;
      await waitFor("the batch waiting for the seat's lock", async () => {
        const { rows } = await pool.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT hold_seats_batch%'`,
        );
        waiting = rows[0]?.pid;
        return waiting !== undefined;
      }, 5_000);
      const second = placer.place(request(eventId, fans[1]!.id, [seats[2]!]));
      // The expectation is attached before the cut: `first` may reject while the terminate statement
      // is still answering, and a rejection with no handler yet fails the run as unhandled.
      const firstFails = expect(first).rejects.toThrow(/terminat/i);
      await new Promise((resolve) => setImmediate(resolve));
      await pool.query(`SELECT pg_terminate_backend($1)`, [waiting]);
      await firstFails;
      expect((await second).outcome).toBe("HELD");
    } finally {
      await blocker.query("ROLLBACK");
      blocker.release();
    }
    const holds = await liveHolds(eventId);
    expect(holds.map((hold) => [hold.user_id, hold.seats])).toEqual([[fans[1]!.id, [seats[2]]]]);
  });

  it("decides a batch of independent requests at once, with exactly the outcomes one at a time gives", async () => {
    const pool = api.app.db.pool;
    const eventId = await createEvent(pool, venue, { organizationId, priceMinor: 4000, maxSeatsPerUser: 3 });
    const [a, b, c, d, e, f, g] = await createUsers(api, 7);
    const seats = venue.sections[0]!.seatIds; // two rows of ten, in row order
    const earlier = request(eventId, a!.id, [seats[0]!], { requestKey: "key-a" });
    await placeTogether([earlier]);
    await placeTogether([request(eventId, e!.id, [seats[9]!])]);
    const batch = [
      request(eventId, b!.id, [seats[1]!, seats[2]!]), // free: held
      { ...earlier, holdId: uuidv7() }, // the same request again: replayed
      request(eventId, e!.id, [seats[5]!]), // this fan already holds seats: one live hold per fan
      request(eventId, c!.id, [seats[9]!]), // another fan's seat
      request(randomUUID(), d!.id, [seats[6]!]), // no such event
      request(eventId, f!.id, [seats[11]!], { allowSingleGaps: false }), // would leave the row's first seat alone
      request(eventId, g!.id, [seats[3]!, seats[4]!, seats[7]!, seats[8]!]), // four seats where three is the limit
    ];
    const expected = ["HELD", "REPLAYED", "ACTIVE_HOLD", "UNAVAILABLE", "NOT_FOUND", "STRANDED", "SEAT_LIMIT"];
    expect(await independent(batch)).toBe(true);

    // The set-based decision and one hold_seats call per request, each in a transaction rolled back.
    const together = await decideRolledBack(`SELECT hold_seats_set($1::jsonb) AS results`, batch);
    const oneByOne = await decideRolledBack(null, batch);
    expect(together.map((outcome) => outcome.outcome)).toEqual(expected);
    expect(withoutClock(together)).toEqual(withoutClock(oneByOne));

    // Through the placer (committed): the same outcomes, and only the first request wrote anything.
    const outcomes = await placeTogether(batch);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(expected);
    expect(outcomes[0]).toMatchObject({ subtotalMinor: 8000, lines: [{ priceMinor: 4000 }, { priceMinor: 4000 }] });
    expect(outcomes[3]).toMatchObject({ seats: [{ seatId: seats[9], status: "HELD", holderUserId: e!.id }] });
    const holds = await liveHolds(eventId);
    expect(holds.map((hold) => [hold.user_id, hold.seats]).sort()).toEqual(
      [
        [a!.id, [seats[0]]],
        [b!.id, [seats[1], seats[2]].sort()],
        [e!.id, [seats[9]]],
      ].sort(),
    );
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_seats WHERE event_id = $1 AND status = 'HELD'`,
      [eventId],
    );
    expect(rows[0]!.n).toBe(4);
  });

  it("goes one request at a time when requests of a batch could affect each other", async () => {
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId });
    const [a, b] = await createUsers(api, 2);
    const seats = venue.sections[0]!.seatIds;
    const ga = venue.sections.find((section) => section.kind === "GENERAL_ADMISSION")!;
    const apart = [request(eventId, a!.id, [seats[0]!]), request(eventId, b!.id, [seats[5]!])];
    expect(await independent(apart)).toBe(true);
    // The same fan twice, the same seat twice, one fan's request key twice (two events), general admission.
    expect(await independent([apart[0]!, request(eventId, a!.id, [seats[5]!])])).toBe(false);
    expect(await independent([apart[0]!, request(eventId, b!.id, [seats[0]!])])).toBe(false);
    const otherEvent = await createEvent(api.app.db.pool, venue, { organizationId });
    expect(
      await independent([request(eventId, a!.id, [seats[0]!], { requestKey: "k" }), request(otherEvent, a!.id, [seats[5]!], { requestKey: "k" })]),
    ).toBe(false);
    expect(await independent([apart[0]!, request(eventId, b!.id, null, { sectionId: ga.id, quantity: 1 })])).toBe(false);
    // A pick that must not strand a seat, in a row another request also picks from.
    expect(await independent([request(eventId, a!.id, [seats[0]!], { allowSingleGaps: false }), apart[1]!])).toBe(false);
    expect(await independent([request(eventId, a!.id, [seats[0]!], { allowSingleGaps: false }), request(eventId, b!.id, [seats[15]!])])).toBe(true);
    // An event that allows single gaps lets picks share rows, whatever each request says.
    const gapsAllowed = await createEvent(api.app.db.pool, venue, { organizationId, allowSingleSeatGaps: true });
    expect(
      await independent([request(gapsAllowed, a!.id, [seats[0]!], { allowSingleGaps: false }), request(gapsAllowed, b!.id, [seats[2]!], { allowSingleGaps: false })]),
    ).toBe(true);
    // One fan at two events in one batch: decided one request at a time too (no fan twice in a batch).
    expect(await independent([request(eventId, a!.id, [seats[0]!]), request(otherEvent, a!.id, [seats[5]!])])).toBe(false);
  });

  it("holds and releases seats with heap-only updates of event_seats: no index entry written (migration 20261124030000_hot_seat_updates)", async () => {
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId });
    const [a, b] = await createUsers(api, 2);
    const seats = venue.sections[0]!.seatIds;
    const requests = [request(eventId, a!.id, [seats[0]!, seats[1]!]), request(eventId, b!.id, [seats[7]!])];
    const client = await api.app.db.pool.connect();
    // Counts of this connection not yet reported to the statistics collector (this transaction's included).
    const counts = async () =>
      (
        await client.query<{ updated: string; hot: string }>(
          `SELECT pg_stat_get_xact_tuples_updated('event_seats'::regclass) AS updated, pg_stat_get_xact_tuples_hot_updated('event_seats'::regclass) AS hot`,
        )
      ).rows[0]!;
    try {
      await client.query("BEGIN");
      const before = await counts();
      const { rows } = await client.query<{ results: RawOutcome[] }>(`SELECT hold_seats_batch($1::jsonb) AS results`, [JSON.stringify(requests.map(toArguments))]);
      expect(rows[0]!.results.map((outcome) => outcome.outcome)).toEqual(["HELD", "HELD"]);
      await client.query(`SELECT * FROM end_holds($1::uuid[], 'RELEASED')`, [requests.map((one) => one.holdId)]);
      const after = await counts();
      // Three seats held, then the same three freed: six row updates, all heap-only.
      expect([Number(after.updated) - Number(before.updated), Number(after.hot) - Number(before.hot)]).toEqual([6, 6]);
      const { rows: free } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM event_seats WHERE event_id = $1 AND seat_id = ANY($2::uuid[]) AND status = 'AVAILABLE' AND hold_id IS NULL`,
        [eventId, [seats[0], seats[1], seats[7]]],
      );
      expect(free[0]!.n).toBe(3);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});

async function independent(requests: HoldRequest[]): Promise<boolean> {
  const { rows } = await api.app.db.pool.query<{ independent: boolean }>(`SELECT hold_seats_independent($1::jsonb) AS independent`, [
    JSON.stringify(requests.map(toArguments)),
  ]);
  return rows[0]!.independent;
}

type RawOutcome = Record<string, unknown> & { outcome: string };

/** Outcomes of `sql` for the whole batch, or of one hold_seats call per request when null; nothing is kept. */
async function decideRolledBack(sql: string | null, requests: HoldRequest[]): Promise<RawOutcome[]> {
  const client = await api.app.db.pool.connect();
  try {
    await client.query("BEGIN");
    let outcomes: RawOutcome[];
    if (sql) {
      outcomes = (await client.query<{ results: RawOutcome[] }>(sql, [JSON.stringify(requests.map(toArguments))])).rows[0]!.results;
    } else {
      outcomes = [];
      for (const one of requests) {
        const { rows } = await client.query<{ result: RawOutcome }>(
          `SELECT hold_seats($1, $2, $3, $4, $5::uuid[], $6, $7, $8) AS result`,
          [one.holdId, one.eventId, one.userId, one.requestKey, one.seatIds, one.sectionId, one.quantity, one.allowSingleGaps],
        );
        outcomes.push(rows[0]!.result);
      }
    }
    return outcomes;
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

/** A new hold's expiry is the transaction's clock; everything else must match. */
function withoutClock(outcomes: RawOutcome[]): RawOutcome[] {
  return outcomes.map((outcome) => (outcome.outcome === "HELD" ? { ...outcome, expires_at: null } : outcome));
}
