import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUser, createVenue, setSeatStatus, type VenueFixture } from "../support/factories.js";
import { expectGraphQLError, startTestApi, type GraphQLResponse, type TestApi } from "../support/test-api.js";

let api: TestApi;
let organizationId: string;
let chicago: VenueFixture;
let london: VenueFixture;
const day = 86_400_000;
const base = Date.UTC(2027, 0, 1);

beforeAll(async () => {
  api = await startTestApi();
  organizationId = await createOrganization(api.app.db.pool);
  chicago = await createVenue(api.app.db.pool, { city: "Chicago", seated: [{ rows: 2, seatsPerRow: 4 }], generalAdmission: [50] });
  london = await createVenue(api.app.db.pool, { city: "London", seated: [{ rows: 1, seatsPerRow: 3 }] });
  // 25 public events with distinct on-sale times, alternating venues and categories.
  for (let index = 0; index < 25; index++) {
    await createEvent(api.app.db.pool, index % 2 === 0 ? chicago : london, {
      organizationId,
      name: `Show ${index}`,
      artist: index % 5 === 0 ? "The Fives" : "Someone Else",
      category: index % 3 === 0 ? "SPORTS" : "CONCERT",
      startsAt: new Date(base + index * day),
      onSaleAt: new Date(base - 100 * day + index * 60_000),
    });
  }
  await createEvent(api.app.db.pool, chicago, { organizationId, status: "DRAFT", name: "Secret draft" });
});
afterAll(() => api.stop());

const EVENTS = `query($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`;

describe("events", () => {
  it("pages through every public event exactly once, newest on-sale first, without drafts", async () => {
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response: any = await api.query(EVENTS, { first: 10, after });
      const connection = response.data.events;
      expect(connection.totalCount).toBe(25);
      names.push(...connection.edges.map((edge: { node: { name: string } }) => edge.node.name));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(names).toEqual(Array.from({ length: 25 }, (_, index) => `Show ${24 - index}`));
  });

  it.each([
    [{ category: "SPORTS" }, [0, 3, 6, 9, 12, 15, 18, 21, 24]],
    [{ city: "london" }, [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23]],
    [{ artist: "fives" }, [0, 5, 10, 15, 20]],
    [{ startsAfter: new Date(base + 20 * day).toISOString() }, [20, 21, 22, 23, 24]],
    [{ startsBefore: new Date(base + 2 * day).toISOString() }, [0, 1]],
    [{ category: "SPORTS", city: "Chicago", startsBefore: new Date(base + 13 * day).toISOString() }, [0, 6, 12]],
  ])("filters by %j", async (filter, expected) => {
    const response: any = await api.query(EVENTS, { filter, first: 100 });
    const names = response.data.events.edges.map((edge: { node: { name: string } }) => edge.node.name).sort();
    expect(names).toEqual(expected.map((index) => `Show ${index}`).sort());
    expect(response.data.events.totalCount).toBe(expected.length);
  });

  it("filters by venue id", async () => {
    const response: any = await api.query(EVENTS, { filter: { venueId: london.id }, first: 100 });
    expect(response.data.events.totalCount).toBe(12);
  });
});

describe("event visibility", () => {
  it("hides a draft from the public and other organizations but shows it to its promoters", async () => {
    const draftId = (await api.app.db.pool.query("SELECT id FROM events WHERE name = 'Secret draft'")).rows[0].id;
    const query = `query($id: ID!) { event(id: $id) { name status } }`;
    expect((await api.query(query, { id: draftId })).data).toEqual({ event: null });
    const stranger = await createUser(api, { role: "PROMOTER", organizationId: await createOrganization(api.app.db.pool) });
    expect((await api.query(query, { id: draftId }, stranger.token)).data).toEqual({ event: null });
    const own = await createUser(api, { role: "PROMOTER", organizationId });
    expect((await api.query(query, { id: draftId }, own.token)).data).toEqual({ event: { name: "Secret draft", status: "DRAFT" } });
    const managed: any = await api.query(`{ managedEvents(first: 100) { totalCount } }`, {}, own.token);
    expect(managed.data.managedEvents.totalCount).toBe(26);
    const strangerManaged: any = await api.query(`{ managedEvents { totalCount } }`, {}, stranger.token);
    expect(strangerManaged.data.managedEvents.totalCount).toBe(0);
  });

  it("answers null for an unknown event id", async () => {
    expect((await api.query(`{ event(id: "00000000-0000-4000-8000-000000000000") { id } }`)).data).toEqual({ event: null });
  });
});

describe("sections, availability and seats", () => {
  it("counts available seats with lazy expiry, excludes blocked seats from the total, and shows GA counts", async () => {
    const eventId = await createEvent(api.app.db.pool, chicago, { organizationId, priceMinor: 7250 });
    const [seat1, seat2, seat3, seat4, seat5] = chicago.sections[0]!.seatIds;
    await setSeatStatus(api.app.db.pool, eventId, [seat1!], "HELD", new Date(Date.now() + 600_000));
    await setSeatStatus(api.app.db.pool, eventId, [seat2!], "HELD", new Date(Date.now() - 1_000));
    await setSeatStatus(api.app.db.pool, eventId, [seat3!], "SOLD");
    await setSeatStatus(api.app.db.pool, eventId, [seat4!, seat5!], "BLOCKED");
    await api.app.db.pool.query(`UPDATE event_sections SET ga_held = 7, ga_sold = 3 WHERE event_id = $1 AND section_id = $2`, [
      eventId,
      chicago.sections[1]!.id,
    ]);

    const response: any = await api.query(
      `query($id: ID!, $sectionId: ID!) { event(id: $id) {
         sections { section { name kind capacity } price { amount currency } available total }
         seats(sectionId: $sectionId) { id row number status } } }`,
      { id: eventId, sectionId: chicago.sections[0]!.id },
    );
    expect(response.data.event.sections).toEqual([
      { section: { name: "S1", kind: "SEATED", capacity: 8 }, price: { amount: 7250, currency: "USD" }, available: 4, total: 6 },
      { section: { name: "GA1", kind: "GENERAL_ADMISSION", capacity: 50 }, price: { amount: 7250, currency: "USD" }, available: 40, total: 50 },
    ]);
    const statuses = Object.fromEntries(response.data.event.seats.map((seat: { id: string; status: string }) => [seat.id, seat.status]));
    expect(statuses[seat1!]).toBe("HELD");
    expect(statuses[seat2!]).toBe("AVAILABLE");
    expect(statuses[seat3!]).toBe("SOLD");
    expect(statuses[seat4!]).toBe("BLOCKED");
    expect(response.data.event.seats.map((seat: { row: string; number: number }) => `${seat.row}${seat.number}`)).toEqual([
      "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4",
    ]);
  });

  it("draws the whole venue in one read: every seat with live status, column-wise, plus map and outlines", async () => {
    const eventId = await createEvent(api.app.db.pool, chicago, { organizationId });
    const seats = chicago.sections[0]!.seatIds;
    await setSeatStatus(api.app.db.pool, eventId, [seats[0]!], "HELD", new Date(Date.now() + 600_000));
    await setSeatStatus(api.app.db.pool, eventId, [seats[1]!], "HELD", new Date(Date.now() - 1_000));
    await setSeatStatus(api.app.db.pool, eventId, [seats[2]!], "SOLD");
    await setSeatStatus(api.app.db.pool, eventId, [seats[7]!], "BLOCKED");
    await api.app.db.pool.query(
      `UPDATE venues SET map = '{"origin": {"x": -10, "y": -5}, "width": 100, "height": 50, "stage": {"x": 0, "y": -5, "width": 20, "height": 4}}' WHERE id = $1`,
      [chicago.id],
    );
    await api.app.db.pool.query(`UPDATE sections SET shape = '{"polygon": [[0, 0], [10, 0], [10, 8]], "label": [5, 3]}' WHERE id = $1`, [
      chicago.sections[0]!.id,
    ]);

    const response: any = await api.query(
      `query($id: ID!) { event(id: $id) {
         venue { map { bounds { x y width height } stage { x y width height } } sections { name shape { polygon labelX labelY } } }
         seatMap { sectionId seatIds rows numbers x y statuses } } }`,
      { id: eventId },
    );
    const event = response.data.event;
    expect(event.venue.map).toEqual({ bounds: { x: -10, y: -5, width: 100, height: 50 }, stage: { x: 0, y: -5, width: 20, height: 4 } });
    expect(event.venue.sections).toEqual([
      { name: "S1", shape: { polygon: [0, 0, 10, 0, 10, 8], labelX: 5, labelY: 3 } },
      { name: "GA1", shape: null },
    ]);
    // One entry per seated section (GA has no seats); the lists line up index by index.
    expect(event.seatMap).toHaveLength(1);
    const map = event.seatMap[0];
    expect(map.sectionId).toBe(chicago.sections[0]!.id);
    expect(map.seatIds).toEqual(seats);
    expect(map.rows.map((row: string, index: number) => `${row}${map.numbers[index]}`)).toEqual(["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4"]);
    expect(map.x).toHaveLength(8);
    expect(map.y).toHaveLength(8);
    // Held, expired hold (available again), sold, blocked.
    expect(map.statuses).toBe("HASAAAAB");

    // The compact positions: tenths of a map unit, each the step from the previous seat's, and no seat
    // ids read when none are asked for.
    api.statements.length = 0;
    const compact: any = await api.query(`query($id: ID!) { event(id: $id) { seatMap { sectionId xSteps ySteps } } }`, { id: eventId });
    const [steps] = compact.data.event.seatMap;
    const sum = (values: number[]) => values.map((_, index) => values.slice(0, index + 1).reduce((total, value) => total + value, 0) / 10);
    expect(sum(steps.xSteps)).toEqual(map.x.map((value: number) => Math.round(value * 10) / 10));
    expect(sum(steps.ySteps)).toEqual(map.y.map((value: number) => Math.round(value * 10) / 10));
    expect(steps.xSteps.slice(1)).toEqual(map.x.slice(1).map((value: number, index: number) => Math.round(value * 10) - Math.round(map.x[index] * 10)));
    const reads = api.statements.filter((sql) => /string_agg\(CASE WHEN es\.status/.test(sql));
    expect(reads).toHaveLength(1);
    expect(reads[0]).not.toMatch(/array_agg\(s\.id/);
  });

  it("lists cities with public events, where they are and their time zone", async () => {
    const response: any = await api.query(`{ cities { name country location { lat lon } timezone } }`);
    expect(response.data.cities).toEqual(
      expect.arrayContaining([
        { name: "Chicago", country: "US", location: { lat: 41.88, lon: -87.67 }, timezone: "America/Chicago" },
        expect.objectContaining({ name: "London" }),
      ]),
    );
  });

  it("lists a venue's sections and location", async () => {
    const response: any = await api.query(`query($id: ID!) { venue(id: $id) { city location { lat lon } timezone capacity sections { name kind } } }`, {
      id: chicago.id,
    });
    expect(response.data.venue).toEqual({
      city: "Chicago",
      location: { lat: 41.88, lon: -87.67 },
      timezone: "America/Chicago",
      capacity: 58,
      sections: [
        { name: "S1", kind: "SEATED" },
        { name: "GA1", kind: "GENERAL_ADMISSION" },
      ],
    });
  });
});

describe("bad input gets a typed error and never a stack trace", () => {
  it.each([
    ["malformed id", `{ event(id: "1; DROP TABLE events") { id } }`, "VALIDATION"],
    ["malformed venue id", `{ venue(id: "abc") { id } }`, "VALIDATION"],
    ["malformed section id", `{ events(first: 1) { edges { node { seats(sectionId: "x") { id } } } } }`, "VALIDATION"],
    ["wrong type", `{ events(first: "ten") { totalCount } }`, "VALIDATION"],
    ["oversized page", `{ events(first: 101) { totalCount } }`, "VALIDATION"],
    ["zero page", `{ events(first: 0) { totalCount } }`, "VALIDATION"],
    ["forged cursor", `{ events(after: "bm90LWEtY3Vyc29y") { totalCount } }`, "VALIDATION"],
    ["unknown field", `{ events { nope } }`, "VALIDATION"],
    ["missing argument", `{ event { id } }`, "VALIDATION"],
    ["syntax error", `{ events {`, "VALIDATION"],
    ["inverted date range", `{ events(filter: { startsAfter: "2027-02-01T00:00:00Z", startsBefore: "2027-01-01T00:00:00Z" }) { totalCount } }`, "VALIDATION"],
    ["bad date", `{ events(filter: { startsAfter: "yesterday" }) { totalCount } }`, "VALIDATION"],
    ["bad enum", `{ events(filter: { category: OPERA }) { totalCount } }`, "VALIDATION"],
  ])("%s", async (_name, query, code) => {
    expectGraphQLError(await api.query(query), code);
  });

  it("answers a malformed JSON body with VALIDATION and status 400", async () => {
    const response = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{ not json" });
    expect(response.status).toBe(400);
    expectGraphQLError((await response.json()) as GraphQLResponse, "VALIDATION");
  });
});
