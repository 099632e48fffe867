/**
 * The authorization matrix of every admin event operation and of the five pricing controls: the
 * promoter of the event's organization and an admin succeed (and write one audit row); the promoter of
 * another organization gets FORBIDDEN (or sees nothing) and a fan FORBIDDEN, anonymous UNAUTHENTICATED,
 * with nothing changed in the database, audit log included.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEAR_OVERRIDE, OVERRIDE, PAUSE, UPDATE_EVENT_PRICING, UPDATE_SECTION_PRICING } from "../pricing/pricing-helpers.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import type { VenueFixture } from "../support/factories.js";
import {
  ADMIN_EVENT,
  ADMIN_EVENTS,
  AUDIT_LOG,
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
  type User,
} from "./events-helpers.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" } });
});
afterAll(async () => {
  await api.stop();
});

interface Operation {
  name: string;
  document: string;
  /** The audit action a success writes. */
  action: string;
  variables: (fixture: { eventId: string; venue: VenueFixture }) => Record<string, unknown>;
  /** Puts the event in the state the operation changes (before the "nothing changed" snapshot). */
  setup?: (fixture: { eventId: string; venue: VenueFixture }) => Promise<void>;
}

const DAY = 86_400_000;
const OPERATIONS: Operation[] = [
  {
    name: "createEvent",
    document: CREATE_EVENT,
    action: "event.create",
    variables: ({ venue }) => ({
      input: {
        venueId: venue.id,
        name: "Matrix Night",
        artist: "The Grid",
        category: "CONCERT",
        startsAt: new Date(Date.now() + 10 * DAY).toISOString(),
        onSaleAt: new Date(Date.now() + 5 * DAY).toISOString(),
        currency: "USD",
        basePriceMinor: 5000,
      },
    }),
  },
  { name: "updateEvent", document: UPDATE_EVENT, action: "event.update", variables: ({ eventId }) => ({ input: { id: eventId, name: "Renamed" } }) },
  {
    name: "updateEventSectionPrices",
    document: SECTION_PRICES,
    action: "event.section_prices",
    variables: ({ eventId, venue }) => ({ input: { eventId, sections: [{ sectionId: venue.sections[0]!.id, priceMinor: 6000 }] } }),
  },
  { name: "transitionEvent", document: TRANSITION, action: "event.transition", variables: ({ eventId }) => ({ input: { id: eventId, to: "SCHEDULED" } }) },
  {
    name: "setSeatsBlocked",
    document: SEATS_BLOCKED,
    action: "event.seats_block",
    variables: ({ eventId, venue }) => ({ input: { eventId, seatIds: venue.sections[0]!.seatIds.slice(0, 2), blocked: true } }),
  },
  {
    name: "updateSectionPricing",
    document: UPDATE_SECTION_PRICING,
    action: "section.pricing_update",
    variables: ({ eventId, venue }) => ({ input: { eventId, sectionId: venue.sections[0]!.id, dynamicPricing: true, ceilingMinor: 12_000 } }),
  },
  {
    name: "setSectionPricingPaused",
    document: PAUSE,
    action: "section.pricing_pause",
    variables: ({ eventId, venue }) => ({ eventId, sectionId: venue.sections[0]!.id, paused: true }),
  },
  {
    name: "overrideSectionPrice",
    document: OVERRIDE,
    action: "section.price_override",
    variables: ({ eventId, venue }) => ({ input: { eventId, sectionId: venue.sections[0]!.id, priceMinor: 7000, reason: "Matrix" } }),
  },
  {
    name: "clearSectionPriceOverride",
    document: CLEAR_OVERRIDE,
    action: "section.price_override_clear",
    variables: ({ eventId, venue }) => ({ eventId, sectionId: venue.sections[0]!.id }),
    setup: async ({ eventId, venue }) => {
      await api.app.db.pool.query(
        `UPDATE event_sections SET override_price_minor = price_minor, override_reason = 'set' WHERE event_id = $1 AND section_id = $2`,
        [eventId, venue.sections[0]!.id],
      );
    },
  },
  {
    name: "updateEventPricing",
    document: UPDATE_EVENT_PRICING,
    action: "event.pricing_update",
    variables: ({ eventId }) => ({ input: { eventId, freezeMinutes: 30, curve: "LINEAR" } }),
  },
];

/** The entity whose audit rows a success writes: the new event for createEvent, else the event. */
async function auditedId(operation: Operation, data: any, eventId: string): Promise<string> {
  return operation.name === "createEvent" ? (data.createEvent.event.id as string) : eventId;
}

async function eventsAtVenue(venueId: string): Promise<number> {
  const { rows } = await api.app.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE venue_id = $1`, [venueId]);
  return rows[0]!.n;
}

describe.each(OPERATIONS)("$name", (operation) => {
  let people: Cast;
  beforeAll(async () => {
    people = await cast(api);
  });

  async function attempt(user: User | null) {
    const fixture = await organizationEvent(api, people.organizationId);
    await operation.setup?.(fixture);
    const before = await databaseState(api.app.db.pool, fixture.eventId);
    const venueEvents = await eventsAtVenue(fixture.venue.id);
    const response = await api.query(operation.document, operation.variables(fixture), user?.token);
    return { fixture, before, venueEvents, response };
  }

  async function expectNothingChanged(outcome: Awaited<ReturnType<typeof attempt>>) {
    expect(await databaseState(api.app.db.pool, outcome.fixture.eventId)).toEqual(outcome.before);
    expect(await eventsAtVenue(outcome.fixture.venue.id)).toBe(outcome.venueEvents);
  }

  it.each(["promoter", "admin"] as const)("succeeds for the %s and writes one audit row with who, before and after", async (who) => {
    const user = people[who];
    const outcome = await attempt(user);
    expect(outcome.response.errors).toBeUndefined();
    expectOk(outcome.response.data![operation.name]);
    const entityId = await auditedId(operation, outcome.response.data, outcome.fixture.eventId);
    const rows = await auditRows(api.app.db.pool, entityId);
    expect(rows.map((row) => [row.action, row.actorUserId, row.organizationId])).toEqual([[operation.action, user.id, people.organizationId]]);
    expect(rows[0]!.after).toBeTypeOf("object");
    expect(rows[0]!.after).not.toEqual(rows[0]!.before);
  });

  it("is FORBIDDEN for the promoter of another organization, and nothing changes", async () => {
    const outcome = await attempt(people.otherPromoter);
    expect(outcome.response.errors).toBeUndefined();
    expectError(outcome.response.data![operation.name], "FORBIDDEN");
    await expectNothingChanged(outcome);
  });

  it("is FORBIDDEN for a fan, and nothing changes", async () => {
    const outcome = await attempt(people.fan);
    expectGraphQLError(outcome.response, "FORBIDDEN");
    await expectNothingChanged(outcome);
  });

  it("is UNAUTHENTICATED without a token, and nothing changes", async () => {
    const outcome = await attempt(null);
    expectGraphQLError(outcome.response, "UNAUTHENTICATED");
    await expectNothingChanged(outcome);
  });
});

describe("admin queries", () => {
  let people: Cast;
  let eventId: string;
  beforeAll(async () => {
    people = await cast(api);
    ({ eventId } = await organizationEvent(api, people.organizationId, { name: "Scoped Show" }));
    expectOk((await api.query(UPDATE_EVENT, { input: { id: eventId, artist: "Audited" } }, people.promoter.token)).data!.updateEvent);
  });

  it("adminEvents lists the organization's events for its promoter, every event for an admin, none of them for another promoter", async () => {
    const mine = (await api.query(ADMIN_EVENTS, { filter: { ids: [eventId] } }, people.promoter.token)).data!.adminEvents;
    expect(mine).toEqual({ items: [{ id: eventId, name: "Scoped Show", status: "DRAFT" }], total: 1 });
    const admin = (await api.query(ADMIN_EVENTS, { filter: { ids: [eventId] } }, people.admin.token)).data!.adminEvents;
    expect(admin.total).toBe(1);
    const other = (await api.query(ADMIN_EVENTS, { filter: { ids: [eventId] } }, people.otherPromoter.token)).data!.adminEvents;
    expect(other).toEqual({ items: [], total: 0 });
  });

  it("adminEvent is null for another organization's promoter", async () => {
    expect((await api.query(ADMIN_EVENT, { id: eventId }, people.promoter.token)).data!.adminEvent.id).toBe(eventId);
    expect((await api.query(ADMIN_EVENT, { id: eventId }, people.admin.token)).data!.adminEvent.id).toBe(eventId);
    expect((await api.query(ADMIN_EVENT, { id: eventId }, people.otherPromoter.token)).data!.adminEvent).toBeNull();
  });

  it("adminAuditLog shows the organization's rows to its promoter and an admin, not to another promoter", async () => {
    const filter = { entityType: "event", entityId: eventId };
    const mine = (await api.query(AUDIT_LOG, { filter }, people.promoter.token)).data!.adminAuditLog;
    expect(mine.total).toBe(1);
    expect(mine.items[0]).toMatchObject({ actorEmail: people.promoter.email, action: "event.update", entityType: "event", entityId: eventId });
    expect(mine.items[0].before.artist).toBe("Test Artist");
    expect(mine.items[0].after.artist).toBe("Audited");
    expect((await api.query(AUDIT_LOG, { filter }, people.admin.token)).data!.adminAuditLog.total).toBe(1);
    expect((await api.query(AUDIT_LOG, { filter }, people.otherPromoter.token)).data!.adminAuditLog).toEqual({ items: [], total: 0 });
  });

  it.each([
    ["adminEvents", ADMIN_EVENTS, {}],
    ["adminEvent", ADMIN_EVENT, { id: "00000000-0000-0000-0000-000000000000" }],
    ["adminAuditLog", AUDIT_LOG, {}],
  ])("%s is FORBIDDEN for a fan and UNAUTHENTICATED anonymously", async (_name, document, variables) => {
    expectGraphQLError(await api.query(document, variables, people.fan.token), "FORBIDDEN");
    expectGraphQLError(await api.query(document, variables), "UNAUTHENTICATED");
  });
});
