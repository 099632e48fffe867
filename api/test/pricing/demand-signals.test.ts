/**
 * The API writes the pricing engine's demand signals: per section per minute, seat-map views, seats
 * held, released and sold; per event, waiting-room joins. Asserted on the Redis hashes the engine reads
 * (pricing-engine/src/redis-contract.ts), after a flush.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demandField, demandMinute, QUEUE_JOINS_FIELD } from "@boxoffice/pricing-engine/redis-contract";
import { checkout, hold, sale } from "../checkout/checkout-helpers.js";
import { createUser } from "../support/factories.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";

const RELEASE = `mutation($holdId: ID!) { releaseHold(holdId: $holdId) { ok errors { code message field } } }`;
const SEATS = `query($id: ID!, $sectionId: ID!) { event(id: $id) { seats(sectionId: $sectionId) { id } } }`;
const JOIN = `mutation($eventId: ID!) { joinWaitingRoom(eventId: $eventId) { ticket { queueToken } errors { code message } } }`;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

/** The counts of this minute's (and, across a minute boundary, the previous minute's) bucket. */
async function counts(eventId: string): Promise<Record<string, number>> {
  await api.app.demand.flush();
  const minute = demandMinute(Date.now());
  const totals: Record<string, number> = {};
  for (const bucket of [minute - 1, minute]) {
    for (const [field, value] of Object.entries(await api.app.redis.hgetall(api.app.keys.demandBucket(eventId, bucket)))) {
      totals[field] = (totals[field] ?? 0) + Number(value);
    }
  }
  return totals;
}

describe("demand signals", () => {
  it("counts views, seats held, released and sold per section, and places of general admission", async () => {
    const { eventId, seatIds, gaSectionId } = await sale(api);
    const { rows } = await api.app.db.pool.query<{ section_id: string }>(`SELECT section_id FROM event_seats WHERE event_id = $1 AND seat_id = $2`, [eventId, seatIds[0]]);
    const seated = rows[0]!.section_id;
    const fan = await createUser(api);
    const other = await createUser(api);

    const view = await api.query(SEATS, { id: eventId, sectionId: seated }, fan.token);
    expect(view.data!.event.seats).toHaveLength(10);
    const first = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(0, 3) });
    expectOk((await api.query(RELEASE, { holdId: first.id }, fan.token)).data!.releaseHold);
    const second = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(4, 6) });
    const paid = expectOk(await checkout(api, fan.token, { holdId: second.id }));
    expect(paid.order.status).toBe("CONFIRMED");
    const places = await hold(api, other.token, { eventId, sectionId: gaSectionId, quantity: 4 });
    expect(places.id).toBeTruthy();

    const totals = await counts(eventId);
    expect(totals[demandField(seated, "views")]).toBe(1);
    expect(totals[demandField(seated, "holdsPlaced")]).toBe(5);
    expect(totals[demandField(seated, "holdsReleased")]).toBe(3);
    expect(totals[demandField(seated, "seatsSold")]).toBe(2);
    expect(totals[demandField(gaSectionId, "holdsPlaced")]).toBe(4);
    expect(totals[demandField(gaSectionId, "seatsSold")]).toBeUndefined();
    const ttl = await api.app.redis.ttl(api.app.keys.demandBucket(eventId, demandMinute(Date.now())));
    expect(ttl).toBeGreaterThan(60);
    expect(ttl).toBeLessThanOrEqual(15 * 60);
  });

  it("counts waiting-room joins once per fan", async () => {
    const { eventId, pool } = await sale(api);
    await pool.query(`UPDATE events SET waiting_room_enabled = true WHERE id = $1`, [eventId]);
    const fans = await Promise.all([createUser(api), createUser(api), createUser(api)]);
    for (const fan of fans) expectOk((await api.query(JOIN, { eventId }, fan.token)).data!.joinWaitingRoom);
    expectOk((await api.query(JOIN, { eventId }, fans[0]!.token)).data!.joinWaitingRoom);
    expect((await counts(eventId))[QUEUE_JOINS_FIELD]).toBe(3);
  });

  it("with DEMAND_SIGNALS=off nothing is written", async () => {
    const quiet = await startTestApi({ env: { DEMAND_SIGNALS: "off" } });
    try {
      const { eventId, seatIds } = await sale(quiet);
      const fan = await createUser(quiet);
      await hold(quiet, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
      await quiet.app.demand.flush();
      const keys = await quiet.app.redis.keys(`${quiet.app.keys.prefix}*demand*`);
      expect(keys).toEqual([]);
    } finally {
      await quiet.stop();
    }
  });
});
