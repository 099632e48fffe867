import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUser, createVenue, setSeatStatus, type VenueFixture } from "../support/factories.js";
import { collect, expectError, expectGraphQLError, expectOk, startTestApi, subscribed, type TestApi } from "../support/test-api.js";
import { createAvailability } from "../../src/hold/hold.availability.js";
import type { HoldRequest } from "../../src/hold/hold.placer.js";
import { holdSeats, type HoldDependencies } from "../../src/hold/hold.service.js";
import { createFastPath } from "../../src/platform/fast-path.js";

const HOLD = `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) {
  hold { id status expiresAt subtotal { amount currency } event { id }
         lines { section { id name } seat { id row number status } price { amount currency } } }
  errors { code message field } } }`;
const RELEASE = `mutation($holdId: ID!) { releaseHold(holdId: $holdId) { ok errors { code message field } } }`;
const SEATS = `query($id: ID!, $sectionId: ID!) { event(id: $id) { seats(sectionId: $sectionId) { id row number status } } }`;
const SECTIONS = `query($id: ID!) { event(id: $id) { sections { section { id } available total } } }`;

let api: TestApi;
let organizationId: string;

beforeAll(async () => {
  // No background sweeper: tests that need one call api.app.sweeper.sweep() and see exactly what it did.
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0" } });
  organizationId = await createOrganization(api.app.db.pool);
});
afterAll(() => api.stop());

async function hold(token: string, input: Record<string, unknown>) {
  const response = await api.query(HOLD, { input }, token);
  expect(response.errors).toBeUndefined();
  return response.data!.holdSeats;
}

async function seatStatuses(eventId: string, sectionId: string): Promise<Record<string, string>> {
  const response = await api.query(SEATS, { id: eventId, sectionId });
  return Object.fromEntries(response.data!.event.seats.map((seat: any) => [seat.id, seat.status]));
}

async function eventWith(venue: VenueFixture, options: Partial<Parameters<typeof createEvent>[2]> = {}) {
  return createEvent(api.app.db.pool, venue, { organizationId, priceMinor: 5000, ...options });
}

describe("holdSeats with explicit seats", () => {
  it("holds every seat at the section's current price, locked per line, and shows them HELD", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 2, seatsPerRow: 6 }] });
    const eventId = await eventWith(venue);
    const fan = await createUser(api);
    const seats = venue.sections[0]!.seatIds.slice(0, 2);

    const payload = expectOk(await hold(fan.token, { eventId, seatIds: seats }));
    expect(payload.hold.lines).toHaveLength(2);
    expect(payload.hold.lines.map((line: any) => line.seat.id).sort()).toEqual([...seats].sort());
    expect(payload.hold.lines.every((line: any) => line.price.amount === 5000 && line.seat.status === "HELD")).toBe(true);
    expect(payload.hold.subtotal).toEqual({ amount: 10000, currency: "USD" });
    const expiresIn = new Date(payload.hold.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(590_000);
    expect(expiresIn).toBeLessThanOrEqual(600_000);

    const statuses = await seatStatuses(eventId, venue.sections[0]!.id);
    expect(seats.map((seat) => statuses[seat])).toEqual(["HELD", "HELD"]);

    // A later price change does not touch the locked lines.
    await api.app.db.pool.query(`UPDATE event_sections SET price_minor = 7000 WHERE event_id = $1`, [eventId]);
    const { rows } = await api.app.db.pool.query(`SELECT price_minor FROM hold_lines WHERE hold_id = $1`, [payload.hold.id]);
    expect(rows.map((row) => row.price_minor)).toEqual([5000, 5000]);
  });

  it("names a just-placed hold's sections and seats from the venue layout, without a query for them", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 2, seatsPerRow: 6 }], generalAdmission: [10] });
    const eventId = await eventWith(venue);
    const [seated, standing] = [venue.sections[0]!, venue.sections[1]!];
    const fans = [await createUser(api), await createUser(api)];
    await hold(fans[0]!.token, { eventId, seatIds: [seated.seatIds[0]!] }); // the layout is cached from here on
    api.statements.length = 0;
    const payload = expectOk(await hold(fans[1]!.token, { eventId, seatIds: seated.seatIds.slice(6, 8) }));
    const reads = api.statements.filter((sql) => /FROM sections WHERE id = ANY|JOIN event_seats es ON es\.event_id = k\.event_id/.test(sql));
    expect(reads).toEqual([]);
    // The same answer the loaders give when the hold is read again.
    const again = await api.query(`query($id: ID!) { hold(id: $id) { lines { section { id name } seat { id row number status } price { amount currency } } } }`, { id: payload.hold.id }, fans[1]!.token);
    expect(payload.hold.lines).toEqual(again.data!.hold.lines);
    const gaFan = await createUser(api);
    const ga = expectOk(await hold(gaFan.token, { eventId, sectionId: standing.id, quantity: 2 }));
    expect(ga.hold.lines.map((line: any) => [line.section.id, line.seat])).toEqual([[standing.id, null], [standing.id, null]]);
    const gaAgain = await api.query(`query($id: ID!) { hold(id: $id) { lines { section { id name } seat { id row number status } price { amount currency } } } }`, { id: ga.hold.id }, gaFan.token);
    expect(ga.hold.lines).toEqual(gaAgain.data!.hold.lines);
  });

  it("is all or nothing: one taken seat refuses the request, names the seat and holds none of the others", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 8 }] });
    const eventId = await eventWith(venue);
    const [first, second] = [await createUser(api), await createUser(api)];
    const seats = venue.sections[0]!.seatIds;
    expectOk(await hold(first.token, { eventId, seatIds: [seats[2]!, seats[3]!] }));

    const refused = await hold(second.token, { eventId, seatIds: [seats[4]!, seats[3]!] });
    expectError(refused, "SEAT_UNAVAILABLE");
    expect(refused.errors[0].message).toContain("S1 row A seat 4");
    const statuses = await seatStatuses(eventId, venue.sections[0]!.id);
    expect(statuses[seats[4]!]).toBe("AVAILABLE");
    const { rows } = await api.app.db.pool.query(`SELECT count(*)::int AS n FROM holds WHERE user_id = $1`, [second.id]);
    expect(rows[0].n).toBe(0);
  });

  it("refuses SOLD and BLOCKED seats with SEAT_UNAVAILABLE", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 8 }] });
    const eventId = await eventWith(venue);
    const seats = venue.sections[0]!.seatIds;
    await setSeatStatus(api.app.db.pool, eventId, [seats[0]!], "SOLD");
    await setSeatStatus(api.app.db.pool, eventId, [seats[7]!], "BLOCKED");
    const fan = await createUser(api);
    expectError(await hold(fan.token, { eventId, seatIds: [seats[0]!, seats[1]!] }), "SEAT_UNAVAILABLE");
    expectError(await hold(fan.token, { eventId, seatIds: [seats[6]!, seats[7]!] }), "SEAT_UNAVAILABLE");
  });

  it("refuses a pick that strands a single seat, unless the event allows single-seat gaps", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 6 }] });
    const strict = await eventWith(venue);
    const relaxed = await eventWith(venue, { allowSingleSeatGaps: true });
    const fan = await createUser(api);
    const seats = venue.sections[0]!.seatIds;
    // Seats 2 and 3 leave seat 1 alone at the row's end.
    const stranding = await hold(fan.token, { eventId: strict, seatIds: [seats[1]!, seats[2]!] });
    expectError(stranding, "VALIDATION");
    expect(stranding.errors[0].message).toContain("S1 row A seat 1");
    expect((await seatStatuses(strict, venue.sections[0]!.id))[seats[1]!]).toBe("AVAILABLE");
    expectOk(await hold(fan.token, { eventId: strict, seatIds: [seats[0]!, seats[1]!] }));
    expectOk(await hold(fan.token, { eventId: relaxed, seatIds: [seats[1]!, seats[2]!] }));
  });

  it("allows one live hold per fan per event and at most the event's seats per fan", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 2, seatsPerRow: 10 }] });
    const eventId = await eventWith(venue, { maxSeatsPerUser: 4 });
    const fan = await createUser(api);
    const seats = venue.sections[0]!.seatIds;
    expectError(await hold(fan.token, { eventId, seatIds: seats.slice(0, 5) }), "LIMIT_EXCEEDED");
    expectError(await hold(fan.token, { eventId, sectionId: venue.sections[0]!.id, quantity: 5 }), "LIMIT_EXCEEDED");
    expectOk(await hold(fan.token, { eventId, seatIds: seats.slice(0, 2) }));
    expectError(await hold(fan.token, { eventId, seatIds: seats.slice(4, 6) }), "LIMIT_EXCEEDED");
    expect((await seatStatuses(eventId, venue.sections[0]!.id))[seats[4]!]).toBe("AVAILABLE");
  });

  it("answers NOT_ON_SALE before the on-sale and after the show, NOT_FOUND for drafts, UNAUTHENTICATED without a token", async () => {
    const venue = await createVenue(api.app.db.pool);
    const seatIds = venue.sections[0]!.seatIds.slice(0, 2);
    const fan = await createUser(api);
    const upcoming = await eventWith(venue, { status: "SCHEDULED", onSaleAt: new Date(Date.now() + 3_600_000) });
    const ended = await eventWith(venue, { status: "ENDED", startsAt: new Date(Date.now() - 86_400_000) });
    const draft = await eventWith(venue, { status: "DRAFT" });
    const early = await hold(fan.token, { eventId: upcoming, seatIds });
    expectError(early, "NOT_ON_SALE");
    expect(early.errors[0].message).toContain("go on sale at");
    expectError(await hold(fan.token, { eventId: ended, seatIds }), "NOT_ON_SALE");
    expectError(await hold(fan.token, { eventId: draft, seatIds }), "NOT_FOUND");
    expectGraphQLError(await api.query(HOLD, { input: { eventId: upcoming, seatIds } }), "UNAUTHENTICATED");

    // A SCHEDULED event whose on-sale time has passed is on sale, whether or not its status was flipped.
    const started = await eventWith(venue, { status: "SCHEDULED", onSaleAt: new Date(Date.now() - 1_000) });
    expectOk(await hold(fan.token, { eventId: started, seatIds }));
  });

  it("turns malformed requests away with VALIDATION and changes nothing", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 6 }], generalAdmission: [10] });
    const eventId = await eventWith(venue);
    const other = await createVenue(api.app.db.pool);
    const fan = await createUser(api);
    const seats = venue.sections[0]!.seatIds;
    const cases: [Record<string, unknown>, string][] = [
      [{ eventId, seatIds: [seats[0]], sectionId: venue.sections[0]!.id, quantity: 1 }, "seatIds"],
      [{ eventId }, "seatIds"],
      [{ eventId, seatIds: [] }, "seatIds"],
      [{ eventId, seatIds: [seats[0], seats[0]] }, "seatIds"],
      [{ eventId, seatIds: ["not-an-id"] }, "seatIds"],
      [{ eventId, seatIds: [other.sections[0]!.seatIds[0]] }, "seatIds"],
      [{ eventId, sectionId: venue.sections[1]!.id, quantity: 0 }, "quantity"],
      [{ eventId, sectionId: venue.sections[1]!.id, quantity: -3 }, "quantity"],
      [{ eventId, sectionId: venue.sections[1]!.id }, "quantity"],
      [{ eventId, sectionId: other.sections[0]!.id, quantity: 1 }, "sectionId"],
      [{ eventId: "nope", seatIds: [seats[0]] }, "eventId"],
      [{ eventId, seatIds: [seats[0]], requestKey: "k".repeat(201) }, "requestKey"],
    ];
    for (const [input, field] of cases) {
      const payload = await hold(fan.token, input);
      expectError(payload, "VALIDATION");
      expect(payload.errors[0].field, JSON.stringify(input)).toBe(field);
    }
    const { rows } = await api.app.db.pool.query(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1`, [eventId]);
    expect(rows[0].n).toBe(0);
  });
});

describe("Redis claims", () => {
  it("claims made in the same turn are decided in order, each all or nothing, and recorded claims replace them", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 3 }] });
    const eventId = await eventWith(venue);
    const [s1, s2, s3] = venue.sections[0]!.seatIds as [string, string, string];
    const { claims } = api.app.holds;
    const ids = ["a", "b", "c"].map((name) => `00000000-0000-4000-8000-00000000000${name}`);
    // One script decides all three: the second wants a seat the first just claimed, so it claims
    // nothing, and the third may then take s3.
    const answers = await Promise.all([
      claims.claim(eventId, [s1, s2], "fan-1", ids[0]!),
      claims.claim(eventId, [s2, s3], "fan-2", ids[1]!),
      claims.claim(eventId, [s3], "fan-3", ids[2]!),
    ]);
    expect(answers).toEqual([[], [{ seatId: s2, userId: "fan-1", holdId: ids[0], pending: true }], []]);
    const value = (seatId: string) => api.app.redis.get(api.app.keys.seatClaim(eventId, seatId));
    expect(await Promise.all([s1, s2, s3].map(value))).toEqual([`fan-1:${ids[0]}:pending`, `fan-1:${ids[0]}:pending`, `fan-3:${ids[2]}:pending`]);

    // Two records in one turn, applied in order: the later value of s3 wins; a past expiry deletes.
    const inAMinute = new Date(Date.now() + 60_000);
    await Promise.all([
      claims.record(eventId, [{ seatId: s3, value: "SOLD:", expiresAt: inAMinute }, { seatId: s1, value: "", expiresAt: new Date(0) }]),
      claims.record(eventId, [{ seatId: s3, value: `fan-3:${ids[2]}`, expiresAt: inAMinute }]),
    ]);
    expect(await Promise.all([s1, s2, s3].map(value))).toEqual([null, `fan-1:${ids[0]}:pending`, `fan-3:${ids[2]}`]);
    expect(await api.app.redis.pttl(api.app.keys.seatClaim(eventId, s3))).toBeGreaterThan(50_000);
    // A confirmed claim is in the way; a pending one is reported as such.
    expect(await claims.claim(eventId, [s2, s3], "fan-4", ids[1]!)).toEqual([
      { seatId: s2, userId: "fan-1", holdId: ids[0], pending: true },
      { seatId: s3, userId: "fan-3", holdId: ids[2], pending: false },
    ]);
  });
});

describe("pending claims of this process", () => {
  /** The API's own hold dependencies, with every request that reaches PostgreSQL's placer recorded. */
  function countingPlacements(): { deps: HoldDependencies; placed: HoldRequest[] } {
    const placed: HoldRequest[] = [];
    const { placer } = api.app.holds;
    return { deps: { ...api.app.holds, placer: { place: (request) => (placed.push(request), placer.place(request)) } }, placed };
  }

  it("turn the other fans away once PostgreSQL has committed the hold: only the first fan goes to PostgreSQL", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 4 }] });
    const eventId = await eventWith(venue);
    const seatId = venue.sections[0]!.seatIds[0]!;
    const fans = await Promise.all(Array.from({ length: 6 }, () => createUser(api)));
    const { deps, placed } = countingPlacements();

    // One turn of the event loop: every claim goes in one Redis script, the first fan's is pending
    // when the other five meet it.
    const results = await Promise.all(fans.map((fan) => holdSeats(deps, fan.id, { eventId, seatIds: [seatId] })));

    expect(results[0]!.ok).toBe(true);
    expect(results.slice(1).map((result) => (result.ok ? "HELD" : result.error.code))).toEqual(Array(5).fill("SEAT_UNAVAILABLE"));
    expect(placed.map((request) => request.userId)).toEqual([fans[0]!.id]);
    const winner = results[0]!.ok ? results[0]!.value.id : "";
    const { rows } = await api.app.db.pool.query(`SELECT hold_id, status FROM event_seats WHERE event_id = $1 AND seat_id = $2`, [eventId, seatId]);
    expect(rows).toEqual([{ hold_id: winner, status: "HELD" }]);
    expect(api.app.holds.pendingHolds.decision(winner)).toBeUndefined(); // forgotten once the request is over
  });

  it("send the other fans to PostgreSQL when the hold is refused there, and the next fan gets the seat", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 4 }] });
    const eventId = await eventWith(venue);
    const [s1, s2] = venue.sections[0]!.seatIds as [string, string];
    const [greedy, next] = [await createUser(api), await createUser(api)];
    const { deps, placed } = countingPlacements();
    expect((await holdSeats(deps, greedy.id, { eventId, seatIds: [s1] })).ok).toBe(true);

    // The greedy fan's second hold claims s2 first (pending), but PostgreSQL refuses it: one live hold
    // per fan per event. The next fan, who met that pending claim, goes to PostgreSQL and gets s2.
    const [second, nexts] = await Promise.all([holdSeats(deps, greedy.id, { eventId, seatIds: [s2] }), holdSeats(deps, next.id, { eventId, seatIds: [s2] })]);

    expect(second.ok ? "HELD" : second.error.code).toBe("LIMIT_EXCEEDED");
    expect(nexts.ok).toBe(true);
    expect(placed.map((request) => request.userId)).toEqual([greedy.id, greedy.id, next.id]);
    const claim = await api.app.redis.get(api.app.keys.seatClaim(eventId, s2));
    expect(claim).toBe(`${next.id}:${nexts.ok ? nexts.value.id : ""}`);
  });
});

describe("best available", () => {
  it("takes contiguous seats in the row nearest the stage, centred, and never strands a single seat", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 3, seatsPerRow: 7 }] });
    const eventId = await eventWith(venue);
    const section = venue.sections[0]!;
    const rowA = section.seatIds.slice(0, 7);
    const fan = await createUser(api);
    const payload = expectOk(await hold(fan.token, { eventId, sectionId: section.id, quantity: 3 }));
    const picked = payload.hold.lines.map((line: any) => `${line.seat.row}${line.seat.number}`).sort();
    expect(picked).toEqual(["A3", "A4", "A5"]);

    // Row A has two free seats on each side: one seat there would strand its neighbour, so a single
    // goes to the centre of row B instead.
    const single = expectOk(await hold((await createUser(api)).token, { eventId, sectionId: section.id, quantity: 1 }));
    expect(single.hold.lines.map((line: any) => `${line.seat.row}${line.seat.number}`)).toEqual(["B4"]);
    const statuses = await seatStatuses(eventId, section.id);
    expect(rowA.filter((seat) => statuses[seat] === "AVAILABLE")).toHaveLength(4);
    // A pair fits a side of row A whole, stranding nothing.
    const pair = expectOk(await hold((await createUser(api)).token, { eventId, sectionId: section.id, quantity: 2 }));
    expect(pair.hold.lines.map((line: any) => line.seat.row)).toEqual(["A", "A"]);
  });

  it("splits only when no row has enough seats together", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 2, seatsPerRow: 3 }] });
    const eventId = await eventWith(venue, { allowSingleSeatGaps: true });
    const section = venue.sections[0]!;
    const payload = expectOk(await hold((await createUser(api)).token, { eventId, sectionId: section.id, quantity: 5 }));
    const rows = payload.hold.lines.map((line: any) => line.seat.row);
    expect(rows.filter((row: string) => row === "A")).toHaveLength(3);
    expect(rows.filter((row: string) => row === "B")).toHaveLength(2);
    expectError(await hold((await createUser(api)).token, { eventId, sectionId: section.id, quantity: 2 }), "SEAT_UNAVAILABLE");
  });
});

describe("general admission", () => {
  it("is a counter that never goes below zero, however many fans race for the last places", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [], generalAdmission: [9] });
    const eventId = await eventWith(venue);
    const sectionId = venue.sections[0]!.id;
    const fans = await Promise.all(Array.from({ length: 12 }, () => createUser(api)));
    const results = await Promise.all(fans.map((fan) => hold(fan.token, { eventId, sectionId, quantity: 2 })));
    const held = results.filter((payload) => payload.errors.length === 0);
    expect(held).toHaveLength(4);
    expect(results.filter((payload) => payload.errors[0]?.code === "SEAT_UNAVAILABLE")).toHaveLength(8);
    expect(held.every((payload) => payload.hold.lines.length === 2 && payload.hold.lines[0].seat === null)).toBe(true);
    const { rows } = await api.app.db.pool.query(`SELECT ga_held, ga_sold FROM event_sections WHERE event_id = $1`, [eventId]);
    expect(rows[0]).toEqual({ ga_held: 8, ga_sold: 0 });
    const counts = await api.query(SECTIONS, { id: eventId });
    expect(counts.data!.event.sections[0]).toMatchObject({ available: 1, total: 9 });
  });
});

describe("expiry and release", () => {
  it("counts an expired hold as available at once, and the sweeper releases and publishes it", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 4 }], generalAdmission: [3] });
    // Holds of 3 s, so the refusal below lands while the GA hold is live even after a stall of the
    // loaded CI machine; then the test sleeps until both holds have ended.
    const eventId = await eventWith(venue, { holdDurationSeconds: 3 });
    const [seated, ga] = venue.sections;
    const [first, second, third] = [await createUser(api), await createUser(api), await createUser(api)];
    const seatIds = seated!.seatIds.slice(0, 2);
    const seatHold = expectOk(await hold(first.token, { eventId, seatIds }));
    const gaHold = expectOk(await hold(third.token, { eventId, sectionId: ga!.id, quantity: 3 }));
    expectError(await hold(second.token, { eventId, sectionId: ga!.id, quantity: 1 }), "SEAT_UNAVAILABLE");
    const lastExpiry = Math.max(...[seatHold, gaHold].map((payload) => Date.parse(payload.hold.expiresAt)));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastExpiry - Date.now()) + 100));

    // Lazily available everywhere: seat map, and another fan's claim on both kinds of section.
    const statuses = await seatStatuses(eventId, seated!.id);
    expect(seatIds.map((seat) => statuses[seat])).toEqual(["AVAILABLE", "AVAILABLE"]);
    const subscriber = api.wsClient();
    const messages = collect<any>(subscriber, `subscription($id: ID!) { seatStatusChanged(eventId: $id) { seatId status available } }`, { id: eventId }, 3, 5_000);
    await subscribed(api, api.app.keys.seatStatusChannel(eventId));
    expectOk(await hold(second.token, { eventId, sectionId: ga!.id, quantity: 2 }));

    const freed = await api.app.sweeper.sweep();
    expect(freed).toBe(2); // the two seats; the GA hold was already ended by the lazy claim
    const received = (await messages.done).map((message) => message.seatStatusChanged);
    expect(received[0]).toEqual({ seatId: null, status: "HELD", available: 1 });
    expect(received.slice(1).map((change) => change.seatId).sort()).toEqual([...seatIds].sort());
    expect(received.slice(1).map((change) => [change.status, change.available])).toEqual([["AVAILABLE", 4], ["AVAILABLE", 4]]);
    const { rows } = await api.app.db.pool.query(`SELECT id, status FROM holds WHERE id = ANY($1::uuid[]) ORDER BY status`, [[seatHold.hold.id, gaHold.hold.id]]);
    expect(rows.map((row) => row.status)).toEqual(["EXPIRED", "EXPIRED"]);
    expect((await api.app.db.pool.query(`SELECT ga_held FROM event_sections WHERE section_id = $1 AND event_id = $2`, [ga!.id, eventId])).rows[0].ga_held).toBe(2);
    expectError(await api.query(RELEASE, { holdId: seatHold.hold.id }, first.token).then((r) => r.data!.releaseHold), "HOLD_EXPIRED");
  });

  it("releaseHold gives seats back at once, only to the holder, and only once", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 4 }] });
    const eventId = await eventWith(venue);
    const [owner, other] = [await createUser(api), await createUser(api)];
    const seatIds = venue.sections[0]!.seatIds.slice(0, 2);
    const placed = expectOk(await hold(owner.token, { eventId, seatIds }));
    const release = async (token: string) => (await api.query(RELEASE, { holdId: placed.hold.id }, token)).data!.releaseHold;

    expectError(await release(other.token), "NOT_FOUND");
    expect(await release(owner.token)).toEqual({ ok: true, errors: [] });
    expectError(await release(owner.token), "HOLD_EXPIRED");
    const statuses = await seatStatuses(eventId, venue.sections[0]!.id);
    expect(seatIds.map((seat) => statuses[seat])).toEqual(["AVAILABLE", "AVAILABLE"]);
    expectOk(await hold(other.token, { eventId, seatIds }));
    expect((await api.query(SECTIONS, { id: eventId })).data!.event.sections[0].available).toBe(2);
  });
});

describe("retried and duplicated requests", () => {
  it("20 identical requests at once make one hold, with or without a request key", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 8 }] });
    const eventId = await eventWith(venue);
    for (const requestKey of ["client-key-1", undefined]) {
      const fan = await createUser(api);
      const seatIds = requestKey ? venue.sections[0]!.seatIds.slice(0, 2) : venue.sections[0]!.seatIds.slice(4, 6);
      const results = await Promise.all(Array.from({ length: 20 }, () => hold(fan.token, { eventId, seatIds, requestKey })));
      const ids = new Set(results.map((payload) => expectOk(payload).hold.id));
      expect(ids.size).toBe(1);
      const { rows } = await api.app.db.pool.query(`SELECT count(*)::int AS n FROM holds WHERE user_id = $1`, [fan.id]);
      expect(rows[0].n).toBe(1);
    }
  });
});

describe("availability counts", () => {
  // Counts live 2 s here, so a hash in use is recounted in its last second. Each round puts the hash into
  // that second by hand (PEXPIRE 900 ms) and uses it as a hold would, then waits for the recount to land.
  // (These tests once used the counts every 100 ms for a few seconds and expected them never to lapse;
  // a stall of the loaded CI machine longer than the refresh window failed that, with nothing wrong.)
  const LIFETIME_MS = 2_000;

  /**
   * Puts the hash into its last second and runs `use` at once. Returns what `use` answered, or
   * "stalled" when the machine paused so long in between (≥ 800 ms) that the hash may have lapsed on
   * its own: such a round proves nothing and is repeated.
   */
  async function inLastSecond<T>(key: string, use: () => Promise<T>): Promise<T | "stalled"> {
    const started = Date.now();
    await api.app.redis.pexpire(key, 900);
    const answer = await use();
    return Date.now() - started >= 800 ? "stalled" : answer;
  }

  /** Waits until the hash was refilled (its lifetime back above a second); at most 10 s. */
  async function refilled(key: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while ((await api.app.redis.pttl(key)) <= 1_000) {
      if (Date.now() > deadline) throw new Error(`${key} was not recounted ahead of its expiry`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("are recounted ahead of their expiry while in use, so holds never wait for a recount", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 6 }] });
    const eventId = await eventWith(venue);
    const sectionId = venue.sections[0]!.id;
    const { app } = api;
    const fastPath = createFastPath(app.logger, 1_000, () => app.redis.status === "ready");
    const availability = createAvailability(app.db.pool, app.redis, app.keys, LIFETIME_MS, fastPath);
    expect((await availability.counts([eventId])).get(eventId)?.get(sectionId)?.available).toBe(6);
    const key = app.keys.availability(eventId);
    let rounds = 0;
    for (let attempt = 0; attempt < 10 && rounds < 3; attempt++) {
      const roundStarted = Date.now();
      // A hold adjusts the counts (a change of 0 here) in their last second: answered from the hash ...
      const answer = await inLastSecond(key, () => availability.adjust(eventId, sectionId, 0));
      if (answer === "stalled") {
        await availability.counts([eventId]);
        await new Promise((resolve) => setTimeout(resolve, LIFETIME_MS / 2 + 100));
        continue;
      }
      expect(answer).toBe(6);
      // ... which is recounted in the background, and keeps a lifetime (a refill that forgot it shows -1).
      await refilled(key);
      const lifetime = await app.redis.pttl(key);
      expect(lifetime).toBeGreaterThan(1_000);
      expect(lifetime).toBeLessThanOrEqual(LIFETIME_MS);
      rounds++;
      // A process recounts an event at most once per half lifetime: the next round waits that out.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, roundStarted + LIFETIME_MS / 2 + 100 - Date.now())));
    }
    expect(rounds).toBe(3);
  });

  it("are recounted ahead of their expiry by one API process of several, not by each", async () => {
    const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 1, seatsPerRow: 6 }] });
    const eventId = await eventWith(venue);
    const sectionId = venue.sections[0]!.id;
    const { app } = api;
    // Two processes' availability over the same Redis; their recounts of this event are counted.
    let recounts = 0;
    const pool = new Proxy(app.db.pool, {
      get(target, property, receiver) {
        if (property !== "query") return Reflect.get(target, property, receiver);
        return (text: unknown, ...rest: unknown[]) => {
          if (typeof text === "string" && text.includes("WITH seated AS")) recounts++;
          return (target.query as (...args: unknown[]) => unknown)(text, ...rest);
        };
      },
    });
    const fastPath = createFastPath(app.logger, 1_000, () => app.redis.status === "ready");
    const processes = [0, 1].map(() => createAvailability(pool, app.redis, app.keys, LIFETIME_MS, fastPath));
    expect((await processes[0]!.counts([eventId])).get(eventId)?.get(sectionId)?.available).toBe(6);
    const key = app.keys.availability(eventId);
    const perRound: number[] = [];
    for (let attempt = 0; attempt < 10 && perRound.length < 3; attempt++) {
      const roundStarted = Date.now();
      recounts = 0;
      // Both processes use the counts in their last second, at once.
      const answers = await inLastSecond(key, () => Promise.all(processes.map((availability) => availability.adjust(eventId, sectionId, 0))));
      if (answers === "stalled") {
        await processes[0]!.counts([eventId]);
        await new Promise((resolve) => setTimeout(resolve, LIFETIME_MS / 2 + 100));
        continue;
      }
      expect(answers).toEqual([6, 6]);
      await refilled(key);
      perRound.push(recounts);
      // The refresh lease and each process's own pause last half a lifetime: the next round waits them out.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, roundStarted + LIFETIME_MS / 2 + 100 - Date.now())));
    }
    // One recount per round: the process that took the lease recounted, the other saw the refilled hash
    // (each process recounting on its own makes 2).
    expect(perRound).toEqual([1, 1, 1]);
  });
});
