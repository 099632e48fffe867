import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUser, createVenue, setSeatStatus } from "../support/factories.js";
import { collect, expectError, expectOk, startTestApi, subscribed, type TestApi } from "../support/test-api.js";

/**
 * The compact seat map names seats by section, row and number (no seat ids on the wire): holdSeats takes
 * seats that way, live changes carry row and number, and best available also runs across the whole
 * venue within an all-in price range.
 */
const HOLD = `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) {
  hold { id lines { section { id } seat { id row number } price { amount } } }
  errors { code message field } } }`;
const SEAT_MAP = `query($id: ID!) { event(id: $id) { seatMap { sectionId rows numbers statuses features } } }`;

let api: TestApi;
let organizationId: string;

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0" } });
  organizationId = await createOrganization(api.app.db.pool);
});
afterAll(() => api.stop());

async function hold(token: string, input: Record<string, unknown>) {
  const response = await api.query(HOLD, { input }, token);
  expect(response.errors).toBeUndefined();
  return response.data!.holdSeats;
}

async function heldSeatCount(eventId: string): Promise<number> {
  const { rows } = await api.app.db.pool.query(`SELECT count(*)::int AS n FROM event_seats WHERE event_id = $1 AND status = 'HELD'`, [eventId]);
  return rows[0].n;
}

/** "S2 B3"-style names of a hold's seats, sorted. */
function names(payload: any, sectionNames: Record<string, string>): string[] {
  return payload.hold.lines.map((line: any) => `${sectionNames[line.section.id]} ${line.seat.row}${line.seat.number}`).sort();
}

describe("seats named by section, row and number", () => {
  it("serves the map without seat ids, with one feature digit per seat, and holds the seats it names", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 2, seatsPerRow: 4 }] });
    const section = venue.sections[0]!;
    // Seat A1: aisle + wheelchair space (1 + 2); A2: companion (4); B4: aisle + restricted view (1 + 8).
    await api.app.db.pool.query(`UPDATE seats SET aisle = true, accessible = true WHERE id = $1`, [section.seatIds[0]]);
    await api.app.db.pool.query(`UPDATE seats SET companion = true WHERE id = $1`, [section.seatIds[1]]);
    await api.app.db.pool.query(`UPDATE seats SET aisle = true, restricted_view = true WHERE id = $1`, [section.seatIds[7]]);
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId, priceMinor: 5000 });

    const map = (await api.query(SEAT_MAP, { id: eventId })).data!.event.seatMap;
    expect(map).toEqual([{ sectionId: section.id, rows: ["A", "A", "A", "A", "B", "B", "B", "B"], numbers: [1, 2, 3, 4, 1, 2, 3, 4], statuses: "AAAAAAAA", features: "34000009" }]);

    const fan = await createUser(api);
    const payload = expectOk(await hold(fan.token, { eventId, seats: [{ sectionId: section.id, row: "B", number: 3 }, { sectionId: section.id, row: "B", number: 4 }] }));
    expect(payload.hold.lines.map((line: any) => line.seat.id).sort()).toEqual([section.seatIds[6], section.seatIds[7]].sort());
    expect((await api.query(SEAT_MAP, { id: eventId })).data!.event.seatMap[0].statuses).toBe("AAAAAAHH");
  });

  it("refuses an unknown seat, a seat named twice, and seatIds with seats, holding nothing", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 4 }] });
    const sectionId = venue.sections[0]!.id;
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId });
    const fan = await createUser(api);

    const unknown = await hold(fan.token, { eventId, seats: [{ sectionId, row: "A", number: 1 }, { sectionId, row: "Z", number: 1 }] });
    expectError(unknown, "VALIDATION");
    expect(unknown.errors[0]).toMatchObject({ field: "seats", message: `not seats of this event's venue: row Z seat 1 of section ${sectionId}` });
    const twice = await hold(fan.token, { eventId, seats: [{ sectionId, row: "A", number: 1 }, { sectionId, row: "A", number: 1 }] });
    expect(twice.errors).toEqual([{ code: "VALIDATION", field: "seats", message: "the same seat is named twice" }]);
    const both = await hold(fan.token, { eventId, seatIds: [venue.sections[0]!.seatIds[0]], seats: [{ sectionId, row: "A", number: 2 }] });
    expect(both.errors).toEqual([{ code: "VALIDATION", field: "seats", message: "give seatIds or seats, not both" }]);
    expect(await heldSeatCount(eventId)).toBe(0);
  });

  it("tells subscribers the row and number of every seat that changes", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 2, seatsPerRow: 2 }] });
    const sectionId = venue.sections[0]!.id;
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId });
    const subscription = collect<{ seatStatusChanged: { sectionId: string; row: string; number: number; status: string } }>(
      api.wsClient(),
      `subscription($eventId: ID!) { seatStatusChanged(eventId: $eventId) { sectionId row number status } }`,
      { eventId },
      2,
    );
    await subscribed(api, api.app.keys.seatStatusChannel(eventId));
    const fan = await createUser(api);
    expectOk(await hold(fan.token, { eventId, seats: [{ sectionId, row: "B", number: 1 }, { sectionId, row: "B", number: 2 }] }));
    const changes = (await subscription.done).map((message) => message.seatStatusChanged);
    expect(changes.sort((a, b) => a.number - b.number)).toEqual([
      { sectionId, row: "B", number: 1, status: "HELD" },
      { sectionId, row: "B", number: 2, status: "HELD" },
    ]);
  });
});

describe("best available across the venue", () => {
  async function pricedVenue() {
    // Two seated sections laid out alike (same stage distances) and a standing floor; S1 costs
    // $55.00 all-in (5000 + 10% service fee), S2 $22.00 (2000 + 200), the floor $11.00.
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 2, seatsPerRow: 5 }, { rows: 2, seatsPerRow: 5 }], generalAdmission: [100] });
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId, priceMinor: 5000 });
    const [s1, s2, floor] = venue.sections;
    await api.app.db.pool.query(`UPDATE event_sections SET price_minor = 2000, price_floor_minor = 1000 WHERE event_id = $1 AND section_id = $2`, [eventId, s2!.id]);
    await api.app.db.pool.query(`UPDATE event_sections SET price_minor = 1000, price_floor_minor = 500 WHERE event_id = $1 AND section_id = $2`, [eventId, floor!.id]);
    return { venue, eventId, sectionNames: { [s1!.id]: "S1", [s2!.id]: "S2", [floor!.id]: "GA1" } };
  }

  it("takes the best seats of any seated section for a quantity alone, never the standing floor", async () => {
    const { venue, eventId, sectionNames } = await pricedVenue();
    // S1's front row is sold but for its ends: the best block of three is in S2's front row, at one end
    // rather than the centre (which would strand a seat on each side).
    await setSeatStatus(api.app.db.pool, eventId, venue.sections[0]!.seatIds.slice(1, 4), "SOLD");
    const fan = await createUser(api);
    const payload = expectOk(await hold(fan.token, { eventId, quantity: 3 }));
    expect(names(payload, sectionNames)).toEqual(["S2 A1", "S2 A2", "S2 A3"]);
  });

  it("keeps to the all-in price range and says so when it holds no seats", async () => {
    const { eventId, sectionNames } = await pricedVenue();
    const fan = await createUser(api);
    const cheap = expectOk(await hold(fan.token, { eventId, quantity: 2, maxAllInPrice: 2200 }));
    expect(names(cheap, sectionNames).every((name) => name.startsWith("S2 A"))).toBe(true);
    expect(cheap.hold.lines.map((line: any) => line.price.amount)).toEqual([2000, 2000]);

    const other = await createUser(api);
    const dear = expectOk(await hold(other.token, { eventId, quantity: 2, minAllInPrice: 3000, maxAllInPrice: 6000 }));
    expect(names(dear, sectionNames).every((name) => name.startsWith("S1 A"))).toBe(true);

    const third = await createUser(api);
    const none = await hold(third.token, { eventId, quantity: 2, maxAllInPrice: 2199 });
    expect(none.errors).toEqual([{ code: "SEAT_UNAVAILABLE", field: "quantity", message: "only 0 seats left in your price range" }]);
    expect(await heldSeatCount(eventId)).toBe(4);
  });

  it("refuses a price range together with a section or seats", async () => {
    const { venue, eventId } = await pricedVenue();
    const fan = await createUser(api);
    const withSection = await hold(fan.token, { eventId, sectionId: venue.sections[0]!.id, quantity: 2, maxAllInPrice: 9000 });
    expect(withSection.errors[0]).toMatchObject({ code: "VALIDATION", field: "maxAllInPrice" });
    const negative = await hold(fan.token, { eventId, quantity: 2, minAllInPrice: -1 });
    expect(negative.errors[0]).toMatchObject({ code: "VALIDATION", field: "minAllInPrice" });
    expect(await heldSeatCount(eventId)).toBe(0);
  });
});
