/**
 * Holds commit asynchronously by default (HOLD_SYNCHRONOUS_COMMIT=off): a crash of PostgreSQL can lose
 * the holds answered in its last moments. These tests crash a private PostgreSQL server right after a
 * hold is answered and check what the fans see afterwards: with asynchronous commits the lost hold's
 * seats are free for the next fan within a few sweeper passes (its Redis claims are dropped when the
 * restart is noticed, hold.restart.ts); with synchronous commits the hold survives and its seats stay
 * taken. The server runs with a 10 s WAL-writer delay so an asynchronous commit is still in
 * PostgreSQL's buffers when the crash comes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUser, createVenue } from "../support/factories.js";
import { migratedDatabaseOn, privatePostgres, waitFor, type PrivatePostgres } from "../support/processes.js";
import { HOLD_SEATS as HOLD } from "./race.js";
import { expectError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";

let server: PrivatePostgres;
beforeAll(async () => {
  server = await privatePostgres({ wal_writer_delay: "10000", autovacuum: "off" });
}, 120_000);
afterAll(async () => {
  await server?.remove();
});

/** A migrated database of its own on the private server, an API on it and an event with one row of 10 seats. */
async function saleOnPrivateServer(holdSynchronousCommit: "on" | "off") {
  const api = await startTestApi({
    database: await migratedDatabaseOn(server, "crash"),
    // No other synchronous commit between the hold and the crash: the process lease's renewal (every
    // third of PROCESS_LEASE_MS) flushes all WAL, the hold's too, and on a loaded machine the crash came
    // after one. The hold sweeper's empty passes write no WAL.
    env: {
      HOLD_SYNCHRONOUS_COMMIT: holdSynchronousCommit,
      HOLD_SWEEP_INTERVAL_MS: "200",
      HOLD_BATCH_CONCURRENCY: "1",
      PROCESS_LEASE_MS: "600000",
      RECONCILE_INTERVAL_MS: "0",
    },
  });
  // The API notes PostgreSQL's start time in Redis when it starts (what a restart is told apart by).
  await waitFor("the API's note of PostgreSQL's start", async () => (await api.app.redis.exists(api.app.keys.postgresStarted)) === 1, 10_000);
  const pool = api.app.db.pool;
  const venue = await createVenue(pool, { seated: [{ rows: 1, seatsPerRow: 10 }] });
  const eventId = await createEvent(pool, venue, { organizationId: await createOrganization(pool), allowSingleSeatGaps: true, maxSeatsPerUser: 4 });
  return { api, eventId, seatIds: venue.sections[0]!.seatIds.slice(0, 2) };
}

async function hold(api: TestApi, eventId: string, seatIds: string[], token: string) {
  return (await api.query<{ holdSeats: { hold: { id: string } | null; errors: { code: string }[] } }>(HOLD, { input: { eventId, seatIds } }, token)).data!.holdSeats;
}

/** Crashes the server and starts it again; returns once the API's pool reaches it. */
async function crashAndRestart(api: TestApi): Promise<void> {
  await server.crash();
  await server.start();
  await waitFor("the API's connection to the restarted server", async () => (await api.app.db.pool.query("SELECT 1")).rowCount === 1, 30_000);
}

async function heldSeats(api: TestApi, seatIds: string[]): Promise<{ seat_id: string; status: string; hold_id: string | null }[]> {
  const { rows } = await api.app.db.pool.query(`SELECT seat_id, status, hold_id FROM event_seats WHERE seat_id = ANY($1::uuid[]) ORDER BY seat_id`, [seatIds]);
  return rows;
}

describe("a PostgreSQL crash right after a hold is answered", () => {
  it("asynchronous commits: the hold may be lost, and then its seats go to the next fan within seconds", { timeout: 120_000 }, async () => {
    const { api, eventId, seatIds } = await saleOnPrivateServer("off");
    try {
      const [first, next] = [await createUser(api), await createUser(api)];
      const answered = expectOk(await hold(api, eventId, seatIds, first.token));
      const lostHoldId = answered.hold!.id;
      const claims = seatIds.map((seatId) => api.app.keys.seatClaim(eventId, seatId));
      expect(await api.app.redis.mget(...claims)).toEqual(seatIds.map(() => `${first.id}:${lostHoldId}`));

      await crashAndRestart(api);

      // The commit was still in PostgreSQL's WAL buffers: the hold is gone, its seats free in PostgreSQL.
      const { rows } = await api.app.db.pool.query(`SELECT count(*)::int AS n FROM holds WHERE id = $1`, [lostHoldId]);
      expect(rows[0].n).toBe(0);
      expect((await heldSeats(api, seatIds)).map((seat) => seat.status)).toEqual(["AVAILABLE", "AVAILABLE"]);

      // Redis claimed them for the lost hold (for its full 10 minutes); the sweeper notices the restart
      // and drops the claims, so the next fan gets the seats instead of SEAT_UNAVAILABLE.
      let taken: Awaited<ReturnType<typeof hold>> | null = null;
      await waitFor(
        "the next fan's hold",
        async () => {
          taken = await hold(api, eventId, seatIds, next.token);
          return taken.errors.length === 0;
        },
        10_000,
      );
      const newHoldId = taken!.hold!.id;
      expect((await heldSeats(api, seatIds)).map((seat) => [seat.status, seat.hold_id])).toEqual(seatIds.map(() => ["HELD", newHoldId]));
      expect(await api.app.redis.mget(...claims)).toEqual(seatIds.map(() => `${next.id}:${newHoldId}`));
    } finally {
      await api.stop();
    }
  });

  it("synchronous commits (HOLD_SYNCHRONOUS_COMMIT=on): the answered hold survives and its seats stay taken", { timeout: 120_000 }, async () => {
    const { api, eventId, seatIds } = await saleOnPrivateServer("on");
    try {
      const [first, next] = [await createUser(api), await createUser(api)];
      const answered = expectOk(await hold(api, eventId, seatIds, first.token));
      await crashAndRestart(api);
      expect((await heldSeats(api, seatIds)).map((seat) => [seat.status, seat.hold_id])).toEqual(seatIds.map(() => ["HELD", answered.hold!.id]));
      // After the restart is noticed the claims are dropped; PostgreSQL turns the next fan away itself.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expectError(await hold(api, eventId, seatIds, next.token), "SEAT_UNAVAILABLE");
    } finally {
      await api.stop();
    }
  });
});
