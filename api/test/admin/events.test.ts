import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_TRANSITIONS } from "../../src/admin/admin.events.rules.js";
import { EVENT_STATUSES, type EventStatus } from "../../src/catalogue/catalogue.types.js";
import { createOrganization, createUser, createVenue, setSeatStatus } from "../support/factories.js";
import { collect, expectError, expectOk, startTestApi, subscribed, type TestApi } from "../support/test-api.js";
import {
  ADMIN_EVENT,
  ADMIN_EVENTS,
  auditRows,
  cast,
  CREATE_EVENT,
  databaseState,
  organizationEvent,
  SEATS_BLOCKED,
  SECTION_PRICES,
  TRANSITION,
  UPDATE_EVENT,
  type Cast,
} from "./events-helpers.js";

let api: TestApi;
let people: Cast;
beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" } });
  people = await cast(api);
});
afterAll(async () => {
  await api.stop();
});

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A venue built set-based: `sections` seated sections of rows × seats, section i priced at factor 1 + i/10. */
async function bigVenue(organizationId: string, sections: number, rows: number, seatsPerRow: number): Promise<string> {
  const pool = api.app.db.pool;
  const { rows: venue } = await pool.query<{ id: string }>(
    `INSERT INTO venues (slug, name, city, country, latitude, longitude, timezone, capacity, organization_id)
     VALUES ($1, 'Arena', 'Chicago', 'US', 41.88, -87.67, 'America/Chicago', $2, $3) RETURNING id`,
    [`arena-${randomBytes(4).toString("hex")}`, sections * rows * seatsPerRow, organizationId],
  );
  const venueId = venue[0]!.id;
  await pool.query(
    `INSERT INTO sections (venue_id, name, kind, capacity, sort_order, shape)
     SELECT $1, 'S' || i, 'SEATED', $3::int * $4::int, i, jsonb_build_object('priceFactor', 1 + i / 10.0)
     FROM generate_series(0, $2::int - 1) AS i`,
    [venueId, sections, rows, seatsPerRow],
  );
  await pool.query(
    `INSERT INTO seat_rows (section_id, label, sort_order)
     SELECT s.id, 'R' || r, r FROM sections s, generate_series(0, $2::int - 1) AS r WHERE s.venue_id = $1`,
    [venueId, rows],
  );
  await pool.query(
    `INSERT INTO seats (section_id, row_id, number, x, y)
     SELECT r.section_id, r.id, n, n, r.sort_order FROM seat_rows r JOIN sections s ON s.id = r.section_id, generate_series(1, $2::int) AS n
     WHERE s.venue_id = $1`,
    [venueId, seatsPerRow],
  );
  return venueId;
}

const createInput = (venueId: string, overrides: Record<string, unknown> = {}) => ({
  venueId,
  name: "Summer Night",
  artist: "The Admins",
  category: "CONCERT",
  startsAt: new Date(Date.now() + 20 * DAY).toISOString(),
  onSaleAt: new Date(Date.now() + 5 * DAY).toISOString(),
  currency: "EUR",
  basePriceMinor: 5000,
  ...overrides,
});

async function statusOf(eventId: string): Promise<{ status: EventStatus; onSaleAt: Date }> {
  const { rows } = await api.app.db.pool.query(`SELECT status, on_sale_at AS "onSaleAt" FROM events WHERE id = $1`, [eventId]);
  return rows[0];
}

describe("createEvent", () => {
  it("creates a DRAFT event with every section priced from the base price and every seat of the venue, and audits it", async () => {
    const venue = await createVenue(api.app.db.pool, { organizationId: people.organizationId, seated: [{ rows: 2, seatsPerRow: 5 }], generalAdmission: [30] });
    const response = await api.query(CREATE_EVENT, { input: createInput(venue.id, { waitingRoomEnabled: true, waitingRoomMaxActiveShoppers: 200, proofOfWorkEnabled: true }) }, people.promoter.token);
    const event = expectOk(response.data!.createEvent).event;
    expect(event).toMatchObject({
      organizationId: people.organizationId,
      slug: "summer-night",
      status: "DRAFT",
      currency: "EUR",
      allowedTransitions: ["SCHEDULED", "CANCELLED"],
      waitingRoomEnabled: true,
      waitingRoomMaxActiveShoppers: 200,
      proofOfWorkEnabled: true,
      holdDurationSeconds: 600,
      maxSeatsPerUser: 8,
      venue: { id: venue.id, city: "Chicago", timezone: "America/Chicago" },
    });
    expect(event.sections.map((section: any) => [section.section.name, section.price.amount, section.floor.amount, section.ceiling.amount, section.price.currency])).toEqual([
      ["S1", 5000, 3000, 7000, "EUR"],
      ["GA1", 5000, 3000, 7000, "EUR"],
    ]);
    const pool = api.app.db.pool;
    const { rows: seats } = await pool.query(`SELECT status, count(*)::int AS n FROM event_seats WHERE event_id = $1 GROUP BY status`, [event.id]);
    expect(seats).toEqual([{ status: "AVAILABLE", n: 10 }]);
    const { rows: history } = await pool.query(`SELECT reason, count(*)::int AS n FROM price_history WHERE event_id = $1 GROUP BY reason`, [event.id]);
    expect(history).toEqual([{ reason: "initial", n: 2 }]);
    const audit = await auditRows(pool, event.id);
    expect(audit.map((row) => [row.action, row.actorUserId, row.before])).toEqual([["event.create", people.promoter.id, null]]);
    expect(audit[0]!.after).toMatchObject({ name: "Summer Night", status: "DRAFT", basePriceMinor: 5000, sections: 2, seats: 10 });

    const again = expectOk((await api.query(CREATE_EVENT, { input: createInput(venue.id) }, people.promoter.token)).data!.createEvent).event;
    expect(again.slug).toMatch(/^summer-night-[0-9a-f]{6}$/);
  });

  it("builds an 18,970-seat arena's inventory in one short transaction, pricing each section by its factor", async () => {
    const venueId = await bigVenue(people.organizationId, 10, 7, 271);
    const started = Date.now();
    const response = await api.query(CREATE_EVENT, { input: createInput(venueId, { basePriceMinor: 8000 }) }, people.promoter.token);
    const elapsed = Date.now() - started;
    const event = expectOk(response.data!.createEvent).event;
    expect(elapsed).toBeLessThan(3000);
    const { rows } = await api.app.db.pool.query(`SELECT count(*)::int AS n FROM event_seats WHERE event_id = $1`, [event.id]);
    expect(rows[0].n).toBe(18_970);
    expect(event.sections.map((section: any) => section.price.amount)).toEqual([8000, 8800, 9600, 10_400, 11_200, 12_000, 12_800, 13_600, 14_400, 15_200]);
  });

  it.each([
    [{ onSaleAt: new Date(Date.now() + 30 * DAY).toISOString() }, "onSaleAt", "onSaleAt must be before startsAt: tickets go on sale before the event starts"],
    [{ endsAt: new Date(Date.now() + 19 * DAY).toISOString() }, "endsAt", "endsAt must be after startsAt"],
    [{ currency: "EURO" }, "currency", "currency must be a 3-letter ISO 4217 code in capitals, e.g. USD"],
    [{ basePriceMinor: 99 }, "basePriceMinor", "basePriceMinor must be a whole number from 100 to 2147483647"],
    [{ maxSeatsPerUser: 0 }, "maxSeatsPerUser", "maxSeatsPerUser must be a whole number from 1 to 50"],
    [{ name: " " }, "name", "name must not be empty"],
    [{ venueId: "00000000-0000-0000-0000-000000000000" }, "venueId", "no such venue"],
  ])("refuses %o with a clear message and creates nothing", async (overrides, field, message) => {
    const venue = await createVenue(api.app.db.pool, { organizationId: people.organizationId });
    const { rows: before } = await api.app.db.pool.query(`SELECT count(*)::int AS n FROM events`);
    const payload = (await api.query(CREATE_EVENT, { input: createInput(venue.id, overrides) }, people.promoter.token)).data!.createEvent;
    expect(payload.event).toBeNull();
    expect(payload.errors).toEqual([{ code: field === "venueId" ? "NOT_FOUND" : "VALIDATION", field, message }]);
    const { rows: after } = await api.app.db.pool.query(`SELECT count(*)::int AS n FROM events`);
    expect(after[0].n).toBe(before[0].n);
  });

  it("lets an admin create an event for the venue's organization, and a promoter use a shared venue", async () => {
    const venue = await createVenue(api.app.db.pool, { organizationId: people.organizationId });
    const byAdmin = expectOk((await api.query(CREATE_EVENT, { input: createInput(venue.id) }, people.admin.token)).data!.createEvent).event;
    expect(byAdmin.organizationId).toBe(people.organizationId);
    const shared = await createVenue(api.app.db.pool, { organizationId: null });
    const onShared = expectOk((await api.query(CREATE_EVENT, { input: createInput(shared.id) }, people.otherPromoter.token)).data!.createEvent).event;
    expect(onShared.organizationId).not.toBe(people.organizationId);
    expectError((await api.query(CREATE_EVENT, { input: createInput(shared.id) }, people.admin.token)).data!.createEvent, "VALIDATION");
  });
});

describe("updateEvent", () => {
  it("changes settings, keeps the rest, and audits before and after", async () => {
    const { eventId } = await organizationEvent(api, people.organizationId);
    const payload = (await api.query(UPDATE_EVENT, { input: { id: eventId, name: "New Name", holdDurationSeconds: 300, allowSingleSeatGaps: true } }, people.promoter.token)).data!.updateEvent;
    expect(expectOk(payload).event).toMatchObject({ name: "New Name", artist: "Test Artist", holdDurationSeconds: 300, allowSingleSeatGaps: true });
    const [row] = await auditRows(api.app.db.pool, eventId);
    expect(row!.before.name).toMatch(/^Event [0-9a-f]{8}$/);
    expect([row!.after.name, row!.before.holdDurationSeconds, row!.after.holdDurationSeconds, row!.after.artist]).toEqual(["New Name", 600, 300, "Test Artist"]);
  });

  it.each([
    [{ startsAt: new Date(Date.now() + 40 * DAY).toISOString() }, "startsAt"],
    [{ onSaleAt: new Date(Date.now() - DAY).toISOString() }, "onSaleAt"],
    [{ serviceFeeBasisPoints: 500 }, "serviceFeeBasisPoints"],
    [{ facilityFeeMinor: 100 }, "facilityFeeMinor"],
    [{ currency: "EUR" }, "currency"],
  ])("refuses %o once the event is on sale, saying why, and changes nothing", async (change, field) => {
    const { eventId } = await organizationEvent(api, people.organizationId, { status: "ON_SALE", onSaleAt: new Date(Date.now() - HOUR) });
    const before = await databaseState(api.app.db.pool, eventId);
    const payload = (await api.query(UPDATE_EVENT, { input: { id: eventId, ...change } }, people.promoter.token)).data!.updateEvent;
    expect(payload.errors).toEqual([
      { code: "VALIDATION", field, message: `${field} cannot change once the sale has begun: fans have bought tickets at these times, fees and currency` },
    ]);
    expect(await databaseState(api.app.db.pool, eventId)).toEqual(before);
  });

  it("still changes the other settings of an on-sale event", async () => {
    const { eventId } = await organizationEvent(api, people.organizationId, { status: "ON_SALE", onSaleAt: new Date(Date.now() - HOUR) });
    const payload = (await api.query(UPDATE_EVENT, { input: { id: eventId, maxSeatsPerUser: 4, waitingRoomEnabled: true } }, people.promoter.token)).data!.updateEvent;
    expect(expectOk(payload).event).toMatchObject({ maxSeatsPerUser: 4, waitingRoomEnabled: true });
  });

  it("refuses a start before the on-sale, and any change to a CANCELLED event", async () => {
    const { eventId } = await organizationEvent(api, people.organizationId);
    const early = (await api.query(UPDATE_EVENT, { input: { id: eventId, startsAt: new Date(Date.now() + DAY).toISOString() } }, people.promoter.token)).data!.updateEvent;
    expect(early.errors).toEqual([{ code: "VALIDATION", field: "onSaleAt", message: "onSaleAt must be before startsAt: tickets go on sale before the event starts" }]);
    const cancelled = await organizationEvent(api, people.organizationId, { status: "CANCELLED" });
    const payload = (await api.query(UPDATE_EVENT, { input: { id: cancelled.eventId, name: "x" } }, people.promoter.token)).data!.updateEvent;
    expect(payload.errors).toEqual([{ code: "VALIDATION", field: "id", message: "the event is CANCELLED; it can no longer be changed" }]);
  });
});

describe("updateEventSectionPrices", () => {
  it("sets base prices before the on-sale with a promoter price_history row each", async () => {
    const { eventId, venue } = await organizationEvent(api, people.organizationId, { priceMinor: 5000 });
    const [seated, ga] = venue.sections;
    const payload = (
      await api.query(SECTION_PRICES, { input: { eventId, sections: [{ sectionId: seated!.id, priceMinor: 6500 }, { sectionId: ga!.id, priceMinor: 5000 }] } }, people.promoter.token)
    ).data!.updateEventSectionPrices;
    expect(expectOk(payload).event.sections.map((section: any) => section.price.amount)).toEqual([6500, 5000]);
    const { rows } = await api.app.db.pool.query(
      `SELECT section_id AS "sectionId", price_minor AS "priceMinor", previous_price_minor AS "previousPriceMinor", reason, actor_user_id AS actor FROM price_history WHERE event_id = $1`,
      [eventId],
    );
    expect(rows).toEqual([{ sectionId: seated!.id, priceMinor: 6500, previousPriceMinor: 5000, reason: "promoter", actor: people.promoter.id }]);
    const [audit] = await auditRows(api.app.db.pool, eventId);
    expect(audit).toMatchObject({
      action: "event.section_prices",
      before: { sections: [{ sectionId: seated!.id, priceMinor: 5000 }] },
      after: { sections: [{ sectionId: seated!.id, priceMinor: 6500 }] },
    });
  });

  it.each([
    ["a price above the ceiling", { status: "DRAFT" }, 10_001, "VALIDATION"],
    ["an event on sale", { status: "ON_SALE", onSaleAt: new Date(Date.now() - HOUR) }, 6000, "VALIDATION"],
    ["a SCHEDULED event past its on-sale time", { status: "SCHEDULED", onSaleAt: new Date(Date.now() - HOUR) }, 6000, "VALIDATION"],
  ] as const)("refuses %s and changes nothing", async (_name, options, priceMinor, code) => {
    const { eventId, venue } = await organizationEvent(api, people.organizationId, { priceMinor: 5000, ...options });
    const before = await databaseState(api.app.db.pool, eventId);
    const payload = (await api.query(SECTION_PRICES, { input: { eventId, sections: [{ sectionId: venue.sections[0]!.id, priceMinor }] } }, people.promoter.token)).data!
      .updateEventSectionPrices;
    expectError(payload, code);
    expect(await databaseState(api.app.db.pool, eventId)).toEqual(before);
  });

  it("says which section is out of its range", async () => {
    const { eventId, venue } = await organizationEvent(api, people.organizationId, { priceMinor: 5000 });
    const sectionId = venue.sections[0]!.id;
    const payload = (await api.query(SECTION_PRICES, { input: { eventId, sections: [{ sectionId, priceMinor: 2000 }] } }, people.promoter.token)).data!.updateEventSectionPrices;
    expect(payload.errors[0].message).toBe(
      `priceMinor 2000 of section ${sectionId} is outside its range 2500..10000; change the floor or ceiling first (updateSectionPricing)`,
    );
  });
});

describe("transitionEvent", () => {
  const ALL = EVENT_STATUSES.flatMap((from) => EVENT_STATUSES.map((to) => [from, to] as const));

  it.each(ALL)("%s → %s follows the transition table", async (from, to) => {
    const { eventId } = await organizationEvent(api, people.organizationId, { status: from, onSaleAt: new Date(Date.now() + DAY) });
    const before = await databaseState(api.app.db.pool, eventId);
    const payload = (await api.query(TRANSITION, { input: { id: eventId, to } }, people.promoter.token)).data!.transitionEvent;
    const allowed = EVENT_TRANSITIONS[from];
    if (allowed.includes(to)) {
      expect(expectOk(payload).event).toMatchObject({ status: to, allowedTransitions: [...EVENT_TRANSITIONS[to]] });
      expect((await statusOf(eventId)).status).toBe(to);
      expect((await auditRows(api.app.db.pool, eventId)).map((row) => [row.action, row.before.status, row.after.status])).toEqual([["event.transition", from, to]]);
    } else {
      const list = allowed.length === 0 ? `none: ${from} is final` : allowed.join(", ");
      expect(payload.errors).toEqual([{ code: "VALIDATION", field: "to", message: `an event cannot go from ${from} to ${to}; allowed from ${from}: ${list}` }]);
      expect(await databaseState(api.app.db.pool, eventId)).toEqual(before);
    }
  });

  it("decides racing transitions one at a time: each applied one starts where the previous left the event, the others are refused", async () => {
    const { eventId } = await organizationEvent(api, people.organizationId, { status: "ON_SALE", onSaleAt: new Date(Date.now() - HOUR) });
    const results = await Promise.all(
      (["SOLD_OUT", "ENDED", "CANCELLED"] as const).map(async (to) => (await api.query(TRANSITION, { input: { id: eventId, to } }, people.promoter.token)).data!.transitionEvent),
    );
    const audit = await auditRows(api.app.db.pool, eventId);
    // Each success moved from the status the one before it left; the refused ones changed nothing.
    const applied = audit.map((row) => [row.before.status, row.after.status]);
    for (let index = 1; index < applied.length; index++) expect(applied[index]![0]).toBe(applied[index - 1]![1]);
    expect(applied.length).toBe(results.filter((payload) => payload.errors.length === 0).length);
    expect((await statusOf(eventId)).status).toBe(applied.at(-1)![1]);
    for (const payload of results.filter((candidate) => candidate.errors.length > 0)) expect(payload.errors[0].code).toBe("VALIDATION");
  });

  it("refuses SCHEDULED for an event without sections", async () => {
    const { eventId } = await organizationEvent(api, people.organizationId);
    await api.app.db.pool.query(`DELETE FROM event_seats WHERE event_id = $1`, [eventId]);
    await api.app.db.pool.query(`DELETE FROM event_sections WHERE event_id = $1`, [eventId]);
    const payload = (await api.query(TRANSITION, { input: { id: eventId, to: "SCHEDULED" } }, people.promoter.token)).data!.transitionEvent;
    expect(payload.errors).toEqual([{ code: "VALIDATION", field: "to", message: "an event needs sections with prices above 0 before it is SCHEDULED" }]);
    expect((await statusOf(eventId)).status).toBe("DRAFT");
  });

  it("an early ON_SALE brings the on-sale time forward to now, so holds open at once", async () => {
    const { eventId } = await organizationEvent(api, people.organizationId, { status: "SCHEDULED", onSaleAt: new Date(Date.now() + 3 * DAY) });
    expectOk((await api.query(TRANSITION, { input: { id: eventId, to: "ON_SALE" } }, people.promoter.token)).data!.transitionEvent);
    const { onSaleAt } = await statusOf(eventId);
    expect(onSaleAt.getTime()).toBeLessThanOrEqual(Date.now());
    const { rows } = await api.app.db.pool.query(`SELECT event_on_sale(status, on_sale_at, starts_at) AS selling FROM events WHERE id = $1`, [eventId]);
    expect(rows[0].selling).toBe(true);
  });
});

describe("the automatic on-sale", () => {
  it("a SCHEDULED event sells from its on-sale time by itself; recording ON_SALE then keeps that time", async () => {
    const onSaleAt = new Date(Date.now() - HOUR);
    const { eventId } = await organizationEvent(api, people.organizationId, { status: "SCHEDULED", onSaleAt });
    const future = await organizationEvent(api, people.organizationId, { status: "SCHEDULED", onSaleAt: new Date(Date.now() + HOUR) });
    const selling = `query($id: ID!) { adminEvent(id: $id) { status sellingNow } }`;
    expect((await api.query(selling, { id: eventId }, people.promoter.token)).data!.adminEvent).toEqual({ status: "SCHEDULED", sellingNow: true });
    expect((await api.query(selling, { id: future.eventId }, people.promoter.token)).data!.adminEvent).toEqual({ status: "SCHEDULED", sellingNow: false });
    expectOk((await api.query(TRANSITION, { input: { id: eventId, to: "ON_SALE" } }, people.promoter.token)).data!.transitionEvent);
    expect(await statusOf(eventId)).toEqual({ status: "ON_SALE", onSaleAt });
    expect((await api.query(ADMIN_EVENT, { id: eventId }, people.promoter.token)).data!.adminEvent.allowedTransitions).toEqual(["SOLD_OUT", "ENDED", "CANCELLED"]);
  });
});

describe("setSeatsBlocked (house seats)", () => {
  it("blocks AVAILABLE seats, counts only real changes, and unblocks them", async () => {
    const { eventId, venue } = await organizationEvent(api, people.organizationId, { status: "ON_SALE", onSaleAt: new Date(Date.now() - HOUR) });
    const seatIds = venue.sections[0]!.seatIds.slice(0, 3);
    const block = (await api.query(SEATS_BLOCKED, { input: { eventId, seatIds, blocked: true } }, people.promoter.token)).data!.setSeatsBlocked;
    expect(block).toEqual({ changed: 3, refusedSeatIds: [], errors: [] });
    const again = (await api.query(SEATS_BLOCKED, { input: { eventId, seatIds, blocked: true } }, people.promoter.token)).data!.setSeatsBlocked;
    expect(again).toEqual({ changed: 0, refusedSeatIds: [], errors: [] });
    const { rows } = await api.app.db.pool.query(`SELECT status::text, count(*)::int AS n FROM event_seats WHERE event_id = $1 AND seat_id = ANY($2) GROUP BY status`, [eventId, seatIds]);
    expect(rows).toEqual([{ status: "BLOCKED", n: 3 }]);
    const unblock = (await api.query(SEATS_BLOCKED, { input: { eventId, seatIds: seatIds.slice(0, 2), blocked: false } }, people.promoter.token)).data!.setSeatsBlocked;
    expect(unblock).toEqual({ changed: 2, refusedSeatIds: [], errors: [] });
    expect((await auditRows(api.app.db.pool, eventId)).map((row) => [row.action, row.after.seatIds.length])).toEqual([
      ["event.seats_block", 3],
      ["event.seats_unblock", 2],
    ]);
  });

  it("refuses the whole request when a seat is held or sold, naming them, and changes nothing", async () => {
    const { eventId, venue } = await organizationEvent(api, people.organizationId, { status: "ON_SALE", onSaleAt: new Date(Date.now() - HOUR) });
    const [free, held, sold] = venue.sections[0]!.seatIds;
    await setSeatStatus(api.app.db.pool, eventId, [held!], "HELD", new Date(Date.now() + HOUR));
    await setSeatStatus(api.app.db.pool, eventId, [sold!], "SOLD");
    const before = await databaseState(api.app.db.pool, eventId);
    const payload = (await api.query(SEATS_BLOCKED, { input: { eventId, seatIds: [free, held, sold], blocked: true } }, people.promoter.token)).data!.setSeatsBlocked;
    expect(payload.changed).toBe(0);
    expect([...payload.refusedSeatIds].sort()).toEqual([held, sold].sort());
    expectError(payload, "SEAT_UNAVAILABLE");
    expect(await databaseState(api.app.db.pool, eventId)).toEqual(before);
  });

  it("a draft event's seat map shows each seat's status for the house-seats picker", async () => {
    const { eventId, venue } = await organizationEvent(api, people.organizationId);
    const [blocked, sold] = venue.sections[0]!.seatIds;
    expectOk((await api.query(SEATS_BLOCKED, { input: { eventId, seatIds: [blocked], blocked: true } }, people.promoter.token)).data!.setSeatsBlocked);
    await setSeatStatus(api.app.db.pool, eventId, [sold!], "SOLD");
    const query = `query($id: ID!) { adminEvent(id: $id) { status seatMap { sectionId seatIds statuses } } }`;
    const event = (await api.query(query, { id: eventId }, people.promoter.token)).data!.adminEvent;
    expect(event.status).toBe("DRAFT");
    const map = event.seatMap.find((section: { sectionId: string }) => section.sectionId === venue.sections[0]!.id);
    expect(map.seatIds).toEqual(venue.sections[0]!.seatIds);
    expect(map.statuses).toBe("BS" + "A".repeat(venue.sections[0]!.seatIds.length - 2));
  });

  it("refuses seats of another venue as NOT_FOUND", async () => {
    const { eventId } = await organizationEvent(api, people.organizationId);
    const other = await createVenue(api.app.db.pool);
    const payload = (await api.query(SEATS_BLOCKED, { input: { eventId, seatIds: [other.sections[0]!.seatIds[0]], blocked: true } }, people.promoter.token)).data!.setSeatsBlocked;
    expectError(payload, "NOT_FOUND");
    expect(payload.refusedSeatIds).toEqual([other.sections[0]!.seatIds[0]]);
  });

  it("announces blocked and unblocked seats on seatStatusChanged with the section's count", async () => {
    const { eventId, venue } = await organizationEvent(api, people.organizationId, { status: "ON_SALE", onSaleAt: new Date(Date.now() - HOUR) });
    const section = venue.sections[0]!;
    const subscription = collect<{ seatStatusChanged: unknown }>(
      api.wsClient(),
      `subscription($eventId: ID!) { seatStatusChanged(eventId: $eventId) { seatId status available } }`,
      { eventId },
      2,
    );
    await subscribed(api, api.app.keys.seatStatusChannel(eventId));
    expectOk((await api.query(SEATS_BLOCKED, { input: { eventId, seatIds: [section.seatIds[0]], blocked: true } }, people.promoter.token)).data!.setSeatsBlocked);
    expectOk((await api.query(SEATS_BLOCKED, { input: { eventId, seatIds: [section.seatIds[0]], blocked: false } }, people.promoter.token)).data!.setSeatsBlocked);
    expect(await subscription.done).toEqual([
      { seatStatusChanged: { seatId: section.seatIds[0], status: "BLOCKED", available: 9 } },
      { seatStatusChanged: { seatId: section.seatIds[0], status: "AVAILABLE", available: 10 } },
    ]);
  });

  it("keeps holds off a blocked seat (Redis learns of the block) and lets them on once it is unblocked", async () => {
    const { eventId, venue } = await organizationEvent(api, people.organizationId, { status: "ON_SALE", onSaleAt: new Date(Date.now() - HOUR) });
    const seatId = venue.sections[0]!.seatIds[4]!;
    expectOk((await api.query(SEATS_BLOCKED, { input: { eventId, seatIds: [seatId], blocked: true } }, people.promoter.token)).data!.setSeatsBlocked);
    const fan = await createUser(api);
    const hold = await api.query(`mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { errors { code } } }`, { input: { eventId, seatIds: [seatId] } }, fan.token);
    expectError(hold.data!.holdSeats, "SEAT_UNAVAILABLE");
    expectOk((await api.query(SEATS_BLOCKED, { input: { eventId, seatIds: [seatId], blocked: false } }, people.promoter.token)).data!.setSeatsBlocked);
    const held = await api.query(`mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { errors { code } } }`, { input: { eventId, seatIds: [seatId] } }, fan.token);
    expectOk(held.data!.holdSeats);
  });
});

describe("adminEvents", () => {
  it("pages, sorts and filters, and refuses an unknown sort field", async () => {
    const organizationId = await createOrganization(api.app.db.pool);
    const promoter = await createUser(api, { role: "PROMOTER", organizationId });
    for (const name of ["Charlie", "Alpha", "Bravo"]) await organizationEvent(api, organizationId, { name, status: name === "Alpha" ? "ON_SALE" : "DRAFT" });
    const page = (await api.query(ADMIN_EVENTS, { sortField: "name", sortOrder: "DESC", perPage: 2 }, promoter.token)).data!.adminEvents;
    expect([page.items.map((item: any) => item.name), page.total]).toEqual([["Charlie", "Bravo"], 3]);
    const second = (await api.query(ADMIN_EVENTS, { sortField: "name", sortOrder: "DESC", perPage: 2, page: 2 }, promoter.token)).data!.adminEvents;
    expect(second.items.map((item: any) => item.name)).toEqual(["Alpha"]);
    const onSale = (await api.query(ADMIN_EVENTS, { filter: { status: "ON_SALE" } }, promoter.token)).data!.adminEvents;
    expect(onSale.items.map((item: any) => item.name)).toEqual(["Alpha"]);
    const q = (await api.query(ADMIN_EVENTS, { filter: { q: "rav" } }, promoter.token)).data!.adminEvents;
    expect(q.items.map((item: any) => item.name)).toEqual(["Bravo"]);
    const bad = await api.query(ADMIN_EVENTS, { sortField: "price" }, promoter.token);
    expect(bad.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([["VALIDATION", "sortField must be one of name, startsAt, onSaleAt, status, createdAt"]]);
  });
});
