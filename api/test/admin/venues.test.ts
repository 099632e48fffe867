import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUser, setSeatStatus } from "../support/factories.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import {
  auditSince,
  buildVenue,
  CREATE_SECTION,
  CREATE_VENUE,
  DELETE_SEATS,
  DELETE_SECTION,
  DELETE_VENUE,
  expectCapacityConsistent,
  GENERATE,
  lastAuditId,
  ONE_VENUE,
  snapshot,
  UPDATE_SEAT,
  UPDATE_SECTION,
  UPDATE_VENUE,
  venueInput,
  VENUE_SEATS,
  VENUES,
} from "./venues-helpers.js";

let api: TestApi;
let organizationId: string;
let promoter: { id: string; token: string };

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" } });
  organizationId = await createOrganization(api.app.db.pool);
  promoter = await createUser(api, { role: "PROMOTER", organizationId });
});
afterAll(async () => {
  await api.stop();
});

const pool = () => api.app.db.pool;
const run = async (document: string, variables: Record<string, unknown>) => {
  const response = await api.query(document, variables, promoter.token);
  expect(response.errors).toBeUndefined();
  return Object.values(response.data!)[0] as any;
};
/** The mutation fails with `code` on `field`, and no table changed. */
async function expectRefused(document: string, variables: Record<string, unknown>, code: string, field?: string) {
  const before = await snapshot(pool());
  const payload = await run(document, variables);
  expectError(payload, code);
  if (field) expect(payload.errors[0].field).toBe(field);
  expect(await snapshot(pool())).toEqual(before);
  return payload.errors[0].message as string;
}
const seatsOf = async (venueId: string) => (await run(VENUE_SEATS, { venueId })) as { id: string; sectionId: string; row: string; number: number; x: number; y: number; accessible: boolean; restrictedView: boolean }[];
const HOLD = `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id } errors { code message field } } }`;
const eventOn = (venueId: string) => createEvent(pool(), { id: venueId, sections: [] }, { organizationId });

describe("venues", () => {
  it("creates a venue for the promoter's organization with a generated slug and no capacity yet", async () => {
    const venue = expectOk(await run(CREATE_VENUE, { input: venueInput({ country: "gb" }) })).venue;
    expect(venue).toMatchObject({
      organizationId,
      name: "Riverside Hall",
      address: "1 River Road",
      city: "London",
      country: "GB",
      timezone: "Europe/London",
      latitude: 51.5,
      longitude: -0.12,
      capacity: 0,
      sections: [],
    });
    expect(venue.slug).toMatch(/^riverside-hall-[0-9a-f]{6}$/);
  });

  it("refuses a time zone that is not IANA, and coordinates out of range, writing nothing", async () => {
    expect(await expectRefused(CREATE_VENUE, { input: venueInput({ timezone: "Mars/Olympus" }) }, "VALIDATION", "timezone")).toMatch(/IANA/);
    await expectRefused(CREATE_VENUE, { input: venueInput({ timezone: "GMT+25" }) }, "VALIDATION", "timezone");
    await expectRefused(CREATE_VENUE, { input: venueInput({ latitude: 91 }) }, "VALIDATION", "latitude");
    await expectRefused(CREATE_VENUE, { input: venueInput({ country: "GBR" }) }, "VALIDATION", "country");
    const { venueId } = await buildVenue(api, promoter.token);
    await expectRefused(UPDATE_VENUE, { input: { id: venueId, timezone: "Europe/Nowhere" } }, "VALIDATION", "timezone");
  });

  it("updates only the fields given", async () => {
    const { venueId } = await buildVenue(api, promoter.token);
    const venue = expectOk(await run(UPDATE_VENUE, { input: { id: venueId, city: "Manchester", timezone: "europe/dublin" } })).venue;
    expect(venue).toMatchObject({ name: "Riverside Hall", city: "Manchester", timezone: "Europe/Dublin", capacity: 112 });
  });

  it("refuses a new time zone while an upcoming event is scheduled there (its local times would move), and allows it once none is", async () => {
    const { venueId } = await buildVenue(api, promoter.token);
    const eventId = await eventOn(venueId);
    const message = await expectRefused(UPDATE_VENUE, { input: { id: venueId, timezone: "Europe/Berlin" } }, "VALIDATION", "timezone");
    expect(message).toMatch(/1 upcoming event is scheduled here in Europe\/London time/);
    // The same zone again, and other fields, are still fine.
    expectOk(await run(UPDATE_VENUE, { input: { id: venueId, timezone: "Europe/London", address: "3 River Road" } }));
    await pool().query(`UPDATE events SET status = 'CANCELLED' WHERE id = $1`, [eventId]);
    expect(expectOk(await run(UPDATE_VENUE, { input: { id: venueId, timezone: "Europe/Berlin" } })).venue.timezone).toBe("Europe/Berlin");
  });

  it("reindexes the search documents of the venue's events when its name or city changes, not for other edits", async () => {
    const { venueId } = await buildVenue(api, promoter.token);
    const eventId = await eventOn(venueId);
    const searchRows = async () =>
      (await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_events WHERE type = 'EventSearchChanged' AND aggregate_id = $1`, [eventId])).rows[0]!.n;
    const before = await searchRows();
    expectOk(await run(UPDATE_VENUE, { input: { id: venueId, address: "2 River Road" } }));
    expect(await searchRows()).toBe(before);
    expectOk(await run(UPDATE_VENUE, { input: { id: venueId, name: "Riverside Arena", city: "Leeds" } }));
    expect(await searchRows()).toBe(before + 1);
  });

  it("lists pages sorted and filtered, and refuses an unknown sort field", async () => {
    const names = ["Alpha Arena", "Beta Bowl", "Gamma Garden"];
    for (const name of names) expectOk(await run(CREATE_VENUE, { input: venueInput({ name, city: "Zurich", timezone: "Europe/Zurich" }) }));
    const page = await run(VENUES, { filter: { q: "zur" }, sortField: "name", sortOrder: "DESC", perPage: 2, page: 1 });
    expect(page).toEqual({ total: 3, items: [expect.objectContaining({ name: "Gamma Garden" }), expect.objectContaining({ name: "Beta Bowl" })] });
    expect((await run(VENUES, { filter: { q: "zur" }, sortField: "name", sortOrder: "DESC", perPage: 2, page: 2 })).items).toEqual([
      expect.objectContaining({ name: "Alpha Arena" }),
    ]);
    expectGraphQLError(await api.query(VENUES, { sortField: "slug" }, promoter.token), "VALIDATION");
    expectGraphQLError(await api.query(VENUES, { perPage: 101 }, promoter.token), "VALIDATION");
  });

  it("reads a page of venues with their sections in three statements (page, count, sections), however many venues", async () => {
    const organization = await createOrganization(pool());
    const owner = await createUser(api, { role: "PROMOTER", organizationId: organization });
    const read = async () => {
      api.statements.length = 0;
      const response = await api.query(`query { adminVenues(perPage: 100) { items { id sections { id name seats layout { rows } } } total } }`, {}, owner.token);
      // Background workers of the process (sweepers, schedulers) query too: count this read's statements.
      const reads = api.statements.filter((sql) => /FROM (venues|sections) /.test(sql));
      return { count: reads.length, venues: response.data!.adminVenues.items.length };
    };
    await buildVenue(api, owner.token);
    expect(await read()).toEqual({ count: 3, venues: 1 });
    await buildVenue(api, owner.token);
    await buildVenue(api, owner.token);
    expect(await read()).toEqual({ count: 3, venues: 3 });
  });

  it("refuses to delete a venue an event uses, and deletes one no event uses with all its seats", async () => {
    const used = await buildVenue(api, promoter.token);
    await eventOn(used.venueId);
    expect(await expectRefused(DELETE_VENUE, { id: used.venueId }, "VALIDATION", "id")).toMatch(/1 event uses this venue/);
    const unused = await buildVenue(api, promoter.token);
    expect(expectOk(await run(DELETE_VENUE, { id: unused.venueId })).id).toBe(unused.venueId);
    const { rows } = await pool().query(`SELECT 1 FROM seats WHERE id = ANY($1::uuid[]) UNION ALL SELECT 1 FROM sections WHERE venue_id = $2`, [unused.seatIds, unused.venueId]);
    expect(rows).toEqual([]);
  });
});

describe("sections", () => {
  it("keeps the venue's capacity equal to its seats plus its general-admission places after every change", async () => {
    const setup = await buildVenue(api, promoter.token);
    expect(await expectCapacityConsistent(pool(), setup.venueId)).toBe(112);
    expectOk(await run(UPDATE_SECTION, { input: { id: setup.gaId, capacity: 250 } }));
    expect(await expectCapacityConsistent(pool(), setup.venueId)).toBe(262);
    expectOk(await run(GENERATE, { input: { sectionId: setup.seatedId, rows: 5, seatsPerRow: 10 } }));
    expect(await expectCapacityConsistent(pool(), setup.venueId)).toBe(300);
    expectOk(await run(DELETE_SECTION, { id: setup.gaId }));
    expect(await expectCapacityConsistent(pool(), setup.venueId)).toBe(50);
    const venue = await run(ONE_VENUE, { id: setup.venueId });
    expect(venue.sections).toEqual([expect.objectContaining({ id: setup.seatedId, kind: "SEATED", capacity: 50, rows: 5, seats: 50 })]);
  });

  it("refuses a duplicate name, a capacity on a seated section and a GA section without one", async () => {
    const { venueId, seatedId } = await buildVenue(api, promoter.token);
    await expectRefused(CREATE_SECTION, { input: { venueId, name: "Stalls", kind: "GENERAL_ADMISSION", capacity: 5 } }, "VALIDATION", "name");
    await expectRefused(CREATE_SECTION, { input: { venueId, name: "Box", kind: "SEATED", capacity: 5 } }, "VALIDATION", "capacity");
    await expectRefused(CREATE_SECTION, { input: { venueId, name: "Lawn", kind: "GENERAL_ADMISSION" } }, "VALIDATION", "capacity");
    await expectRefused(UPDATE_SECTION, { input: { id: seatedId, capacity: 5 } }, "VALIDATION", "capacity");
    await expectRefused(UPDATE_SECTION, { input: { id: seatedId, name: "Floor" } }, "VALIDATION", "name");
  });

  it("refuses to shrink a general-admission section below the places an event holds or sold", async () => {
    const setup = await buildVenue(api, promoter.token);
    const eventId = await eventOn(setup.venueId);
    await pool().query(`UPDATE event_sections SET ga_sold = 60 WHERE event_id = $1 AND section_id = $2`, [eventId, setup.gaId]);
    await expectRefused(UPDATE_SECTION, { input: { id: setup.gaId, capacity: 59 } }, "VALIDATION", "capacity");
    await expectRefused(DELETE_SECTION, { id: setup.gaId }, "VALIDATION", "id");
    expectOk(await run(UPDATE_SECTION, { input: { id: setup.gaId, capacity: 60 } }));
    const { rows } = await pool().query(`SELECT capacity FROM event_sections WHERE event_id = $1 AND section_id = $2`, [eventId, setup.gaId]);
    expect(rows).toEqual([{ capacity: 60 }]);
  });
});

describe("seat-map builder", () => {
  it("refuses layouts out of bounds, an unknown section and a general-admission section, writing nothing", async () => {
    const { seatedId, gaId } = await buildVenue(api, promoter.token);
    const layout = { sectionId: seatedId, rows: 10, seatsPerRow: 10 };
    await expectRefused(GENERATE, { input: { ...layout, rows: 0 } }, "VALIDATION", "rows");
    await expectRefused(GENERATE, { input: { ...layout, rows: 201 } }, "VALIDATION", "rows");
    await expectRefused(GENERATE, { input: { ...layout, seatsPerRow: 201 } }, "VALIDATION", "seatsPerRow");
    await expectRefused(GENERATE, { input: { ...layout, curvature: 2 } }, "VALIDATION", "curvature");
    await expectRefused(GENERATE, { input: { ...layout, aisles: [10] } }, "VALIDATION", "aisles");
    await expectRefused(GENERATE, { input: { ...layout, accessibleSeats: [{ row: "Z", number: 1 }] } }, "VALIDATION", "accessibleSeats");
    await expectRefused(GENERATE, { input: { ...layout, sectionId: "00000000-0000-4000-8000-000000000000" } }, "NOT_FOUND", "sectionId");
    await expectRefused(GENERATE, { input: { ...layout, sectionId: "not-an-id" } }, "VALIDATION", "sectionId");
    await expectRefused(GENERATE, { input: { ...layout, sectionId: gaId } }, "VALIDATION", "sectionId");
  });

  it("stores the seats the layout describes: numbering, aisles, curvature and the accessible and restricted-view flags", async () => {
    const { venueId, seatedId } = await buildVenue(api, promoter.token);
    const section = expectOk(
      await run(GENERATE, {
        input: {
          sectionId: seatedId,
          rows: 2,
          seatsPerRow: 6,
          curvature: 0.4,
          originX: 100,
          originY: 200,
          seatSpacing: 10,
          rowSpacing: 15,
          aisles: [3],
          numbering: "RIGHT_TO_LEFT",
          firstRowLabel: "1",
          accessibleSeats: [{ row: "1", number: 6 }],
          restrictedViewSeats: [{ row: "2", number: 1 }],
        },
      }),
    ).section;
    expect(section).toMatchObject({ rows: 2, seats: 12, capacity: 12 });
    expect(section.layout).toMatchObject({ rows: 2, seatsPerRow: 6, curvature: 0.4, aisles: [3], numbering: "RIGHT_TO_LEFT", firstRowLabel: "1" });
    const front = (await seatsOf(venueId)).filter((seat) => seat.row === "1").sort((a, b) => a.x - b.x);
    // Numbers run right to left, so the leftmost seat is 6.
    expect(front.map((seat) => seat.number)).toEqual([6, 5, 4, 3, 2, 1]);
    const gaps = front.slice(1).map((seat, index) => Math.hypot(seat.x - front[index]!.x, seat.y - front[index]!.y));
    expect(gaps[2]).toBeGreaterThan(gaps[1]! * 1.8);
    // Curved: the ends are nearer the stage (smaller y) than the middle.
    expect(front[0]!.y).toBeLessThan(front[2]!.y - 1);
    const flagged = (await seatsOf(venueId)).filter((seat) => seat.accessible || seat.restrictedView).map(({ row, number, accessible, restrictedView }) => ({ row, number, accessible, restrictedView }));
    expect(flagged.sort((a, b) => a.row.localeCompare(b.row))).toEqual([
      { row: "1", number: 6, accessible: true, restrictedView: false },
      { row: "2", number: 1, accessible: false, restrictedView: true },
    ]);
  });

  it("regenerating a section an event sells rebuilds that event's seats, all available", async () => {
    const setup = await buildVenue(api, promoter.token);
    const eventId = await eventOn(setup.venueId);
    await setSeatStatus(pool(), eventId, [setup.seatIds[0]!], "BLOCKED");
    await setSeatStatus(pool(), eventId, [setup.seatIds[1]!], "HELD", new Date(Date.now() - 60_000));
    expectOk(await run(GENERATE, { input: { sectionId: setup.seatedId, rows: 4, seatsPerRow: 5 } }));
    const { rows } = await pool().query(
      `SELECT count(*)::int AS seats, count(*) FILTER (WHERE es.status = 'AVAILABLE')::int AS available, bool_and(seat.id IS NOT NULL) AS current,
              (SELECT capacity FROM event_sections WHERE event_id = $1 AND section_id = $2) AS capacity
       FROM event_seats es LEFT JOIN seats seat ON seat.id = es.seat_id WHERE es.event_id = $1 AND es.section_id = $2`,
      [eventId, setup.seatedId],
    );
    expect(rows).toEqual([{ seats: 20, available: 20, current: true, capacity: 20 }]);
  });

  it("refuses to regenerate or delete a section, or remove seats, that an event has sold or held, with a clear message", async () => {
    const setup = await buildVenue(api, promoter.token);
    const eventId = await eventOn(setup.venueId);
    await setSeatStatus(pool(), eventId, [setup.seatIds[0]!], "SOLD");
    await setSeatStatus(pool(), eventId, [setup.seatIds[5]!], "HELD", new Date(Date.now() + 600_000));
    expect(await expectRefused(DELETE_SEATS, { input: { sectionId: setup.seatedId, seatIds: [setup.seatIds[0], setup.seatIds[2]] } }, "VALIDATION", "seatIds")).toBe(
      "1 seat is sold or held for an event (e.g. row A seat 1); they cannot be removed",
    );
    await expectRefused(DELETE_SEATS, { input: { sectionId: setup.seatedId, seatIds: [setup.seatIds[5]] } }, "VALIDATION", "seatIds");
    expect(await expectRefused(GENERATE, { input: { sectionId: setup.seatedId, rows: 2, seatsPerRow: 2 } }, "VALIDATION", "sectionId")).toMatch(
      /^2 seats are sold or held for an event .*cannot be regenerated$/,
    );
    await expectRefused(DELETE_SECTION, { id: setup.seatedId }, "VALIDATION", "id");
    // Seats nobody holds or bought still go, with their event rows.
    expect(expectOk(await run(DELETE_SEATS, { input: { sectionId: setup.seatedId, seatIds: [setup.seatIds[2], setup.seatIds[3]] } })).deleted).toBe(2);
    const { rows } = await pool().query(`SELECT count(*)::int AS n FROM event_seats WHERE event_id = $1 AND section_id = $2`, [eventId, setup.seatedId]);
    expect(rows).toEqual([{ n: 10 }]);
    expect(await expectCapacityConsistent(pool(), setup.venueId)).toBe(110);
  });

  it("removes seats only of the named section", async () => {
    const one = await buildVenue(api, promoter.token);
    const two = await buildVenue(api, promoter.token);
    await expectRefused(DELETE_SEATS, { input: { sectionId: one.seatedId, seatIds: [one.seatIds[0], two.seatIds[0]] } }, "NOT_FOUND", "seatIds");
    await expectRefused(DELETE_SEATS, { input: { sectionId: one.seatedId, seatIds: [] } }, "VALIDATION", "seatIds");
  });

  it("a seat map edited while its event is on sale is what holds see, once the event cache (1 s) has expired", async () => {
    const setup = await buildVenue(api, promoter.token);
    const balcony = expectOk(await run(CREATE_SECTION, { input: { venueId: setup.venueId, name: "Balcony", kind: "SEATED" } })).section;
    expectOk(await run(GENERATE, { input: { sectionId: balcony.id, rows: 1, seatsPerRow: 4 } }));
    const eventId = await eventOn(setup.venueId);
    const hold = async (seatIds: string[]) => api.query(HOLD, { input: { eventId, seatIds } }, (await createUser(api)).token);
    // The first hold loads the venue's layout into the process.
    expectOk((await hold([setup.seatIds[0]!])).data!.holdSeats);
    expectOk(await run(GENERATE, { input: { sectionId: balcony.id, rows: 2, seatsPerRow: 3 } }));
    const fresh = (await seatsOf(setup.venueId)).filter((seat) => seat.sectionId === balcony.id);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expectOk((await hold([fresh[0]!.id])).data!.holdSeats);
  });

  it("edits one seat and records it", async () => {
    const setup = await buildVenue(api, promoter.token);
    const since = await lastAuditId(pool());
    const seat = expectOk(await run(UPDATE_SEAT, { input: { id: setup.seatIds[0], accessible: true, number: 9 } })).seat;
    expect(seat).toMatchObject({ id: setup.seatIds[0], row: "A", number: 9, accessible: true, restrictedView: false });
    expect(await auditSince(pool(), since)).toEqual([
      expect.objectContaining({ action: "seat.update", before: expect.objectContaining({ number: 1, accessible: false }), after: expect.objectContaining({ number: 9, accessible: true }) }),
    ]);
    await expectRefused(UPDATE_SEAT, { input: { id: setup.seatIds[1], number: 9 } }, "VALIDATION", "number");
    const eventId = await eventOn(setup.venueId);
    await setSeatStatus(pool(), eventId, [setup.seatIds[1]!], "SOLD");
    await expectRefused(UPDATE_SEAT, { input: { id: setup.seatIds[1], number: 12 } }, "VALIDATION", "number");
    expect(expectOk(await run(UPDATE_SEAT, { input: { id: setup.seatIds[1], accessible: true } })).seat.accessible).toBe(true);
  });
});
