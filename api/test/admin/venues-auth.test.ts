/**
 * Who may do what with venues: for every operation, the promoter of the venue's organization may,
 * another organization's promoter sees nothing (NOT_FOUND, null, absent from lists), a fan is
 * FORBIDDEN and an anonymous caller UNAUTHENTICATED, and on every refusal nothing changed and no
 * audit row was written. Each success writes exactly one audit row with the record before and after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganization, createUser } from "../support/factories.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import {
  auditSince,
  buildVenue,
  CREATE_SECTION,
  CREATE_VENUE,
  DELETE_SEATS,
  DELETE_SECTION,
  DELETE_VENUE,
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
  type VenueSetup,
} from "./venues-helpers.js";

let api: TestApi;
let orgA: string;
let promoterA: { id: string; token: string };
let promoterB: { id: string; token: string };
let fan: { token: string };
let admin: { id: string; token: string };

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" } });
  const pool = api.app.db.pool;
  orgA = await createOrganization(pool);
  const orgB = await createOrganization(pool);
  promoterA = await createUser(api, { role: "PROMOTER", organizationId: orgA });
  promoterB = await createUser(api, { role: "PROMOTER", organizationId: orgB });
  fan = await createUser(api);
  admin = await createUser(api, { role: "ADMIN" });
});
afterAll(async () => {
  await api.stop();
});

interface Operation {
  name: string;
  field: string;
  document: string;
  variables: (setup: VenueSetup) => Record<string, unknown>;
  /** What the audit row of a success says. */
  audit: (setup: VenueSetup) => { action: string; entityType: string; entityId: string | null; before: "null" | "object"; after: "null" | "object" };
}

const OPERATIONS: Operation[] = [
  {
    name: "createVenue",
    field: "createVenue",
    document: CREATE_VENUE,
    // Another organization's promoter tries to create a venue for the venue's organization.
    variables: () => ({ input: venueInput({ name: "New Hall", organizationId: orgA }) }),
    audit: () => ({ action: "venue.create", entityType: "venue", entityId: null, before: "null", after: "object" }),
  },
  {
    name: "updateVenue",
    field: "updateVenue",
    document: UPDATE_VENUE,
    variables: (setup) => ({ input: { id: setup.venueId, name: "Renamed Hall" } }),
    audit: (setup) => ({ action: "venue.update", entityType: "venue", entityId: setup.venueId, before: "object", after: "object" }),
  },
  {
    name: "deleteVenue",
    field: "deleteVenue",
    document: DELETE_VENUE,
    variables: (setup) => ({ id: setup.venueId }),
    audit: (setup) => ({ action: "venue.delete", entityType: "venue", entityId: setup.venueId, before: "object", after: "null" }),
  },
  {
    name: "createSection",
    field: "createSection",
    document: CREATE_SECTION,
    variables: (setup) => ({ input: { venueId: setup.venueId, name: "Balcony", kind: "SEATED" } }),
    audit: () => ({ action: "section.create", entityType: "section", entityId: null, before: "null", after: "object" }),
  },
  {
    name: "updateSection",
    field: "updateSection",
    document: UPDATE_SECTION,
    variables: (setup) => ({ input: { id: setup.gaId, capacity: 150, name: "Pit" } }),
    audit: (setup) => ({ action: "section.update", entityType: "section", entityId: setup.gaId, before: "object", after: "object" }),
  },
  {
    name: "deleteSection",
    field: "deleteSection",
    document: DELETE_SECTION,
    variables: (setup) => ({ id: setup.seatedId }),
    audit: (setup) => ({ action: "section.delete", entityType: "section", entityId: setup.seatedId, before: "object", after: "null" }),
  },
  {
    name: "generateSectionSeats",
    field: "generateSectionSeats",
    document: GENERATE,
    variables: (setup) => ({ input: { sectionId: setup.seatedId, rows: 2, seatsPerRow: 2 } }),
    audit: (setup) => ({ action: "section.generate_seats", entityType: "section", entityId: setup.seatedId, before: "object", after: "object" }),
  },
  {
    name: "deleteSeats",
    field: "deleteSeats",
    document: DELETE_SEATS,
    variables: (setup) => ({ input: { sectionId: setup.seatedId, seatIds: setup.seatIds.slice(0, 2) } }),
    audit: (setup) => ({ action: "seat.delete", entityType: "section", entityId: setup.seatedId, before: "object", after: "null" }),
  },
  {
    name: "updateSeat",
    field: "updateSeat",
    document: UPDATE_SEAT,
    variables: (setup) => ({ input: { id: setup.seatIds[0], accessible: true, restrictedView: true } }),
    audit: (setup) => ({ action: "seat.update", entityType: "seat", entityId: setup.seatIds[0]!, before: "object", after: "object" }),
  },
];

describe.each(OPERATIONS)("$name", (operation) => {
  it("is done for the promoter of the venue's organization, with one audit row holding before and after", async () => {
    const setup = await buildVenue(api, promoterA.token);
    const since = await lastAuditId(api.app.db.pool);
    const payload = expectOk((await api.query(operation.document, operation.variables(setup), promoterA.token)).data![operation.field]);
    const rows = await auditSince(api.app.db.pool, since);
    const expected = operation.audit(setup);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ actorUserId: promoterA.id, organizationId: orgA, action: expected.action, entityType: expected.entityType });
    const created = payload.venue?.id ?? payload.section?.id;
    expect(row.entityId).toBe(expected.entityId ?? created);
    expect(row.before === null ? "null" : typeof row.before).toBe(expected.before);
    expect(row.after === null ? "null" : typeof row.after).toBe(expected.after);
  });

  it("is refused for another organization's promoter (not visible), changing and recording nothing", async () => {
    const setup = await buildVenue(api, promoterA.token);
    const before = await snapshot(api.app.db.pool);
    const response = await api.query(operation.document, operation.variables(setup), promoterB.token);
    expectError(response.data![operation.field], operation.name === "createVenue" ? "FORBIDDEN" : "NOT_FOUND");
    expect(await snapshot(api.app.db.pool)).toEqual(before);
  });

  it("is FORBIDDEN for a fan and UNAUTHENTICATED anonymously, changing nothing", async () => {
    const setup = await buildVenue(api, promoterA.token);
    const before = await snapshot(api.app.db.pool);
    expectGraphQLError(await api.query(operation.document, operation.variables(setup), fan.token), "FORBIDDEN");
    expectGraphQLError(await api.query(operation.document, operation.variables(setup)), "UNAUTHENTICATED");
    expect(await snapshot(api.app.db.pool)).toEqual(before);
  });
});

describe("reads", () => {
  it("show a promoter its organization's venues only, and an admin every venue", async () => {
    const mine = await buildVenue(api, promoterA.token);
    const theirs = await buildVenue(api, promoterB.token);
    const list = async (token: string) => (await api.query(VENUES, { perPage: 100 }, token)).data!.adminVenues.items.map((item: { id: string }) => item.id);
    expect(await list(promoterA.token)).toContain(mine.venueId);
    expect(await list(promoterA.token)).not.toContain(theirs.venueId);
    expect(await list(promoterB.token)).not.toContain(mine.venueId);
    expect(await list(admin.token)).toEqual(expect.arrayContaining([mine.venueId, theirs.venueId]));
    const byIds = await api.query(VENUES, { filter: { ids: [mine.venueId, theirs.venueId] } }, promoterA.token);
    expect(byIds.data!.adminVenues).toEqual({ items: [expect.objectContaining({ id: mine.venueId })], total: 1 });

    expect((await api.query(ONE_VENUE, { id: mine.venueId }, promoterB.token)).data!.adminVenue).toBeNull();
    expect((await api.query(ONE_VENUE, { id: mine.venueId }, promoterA.token)).data!.adminVenue.id).toBe(mine.venueId);
    expect((await api.query(ONE_VENUE, { id: mine.venueId }, admin.token)).data!.adminVenue.id).toBe(mine.venueId);

    expectGraphQLError(await api.query(VENUE_SEATS, { venueId: mine.venueId }, promoterB.token), "NOT_FOUND");
    expect((await api.query(VENUE_SEATS, { venueId: mine.venueId }, promoterA.token)).data!.adminVenueSeats).toHaveLength(12);
    expect((await api.query(VENUE_SEATS, { venueId: mine.venueId }, admin.token)).data!.adminVenueSeats).toHaveLength(12);
  });

  it("are FORBIDDEN for a fan and UNAUTHENTICATED anonymously", async () => {
    const setup = await buildVenue(api, promoterA.token);
    for (const [document, variables] of [
      [VENUES, {}],
      [ONE_VENUE, { id: setup.venueId }],
      [VENUE_SEATS, { venueId: setup.venueId }],
    ] as const) {
      expectGraphQLError(await api.query(document, variables, fan.token), "FORBIDDEN");
      expectGraphQLError(await api.query(document, variables), "UNAUTHENTICATED");
    }
  });

  it("lets an admin change any organization's venue, audited under that organization", async () => {
    const setup = await buildVenue(api, promoterA.token);
    const since = await lastAuditId(api.app.db.pool);
    expectOk((await api.query(UPDATE_VENUE, { input: { id: setup.venueId, city: "Leeds" } }, admin.token)).data!.updateVenue);
    expect(await auditSince(api.app.db.pool, since)).toEqual([
      expect.objectContaining({ actorUserId: admin.id, organizationId: orgA, action: "venue.update", before: expect.objectContaining({ city: "London" }), after: expect.objectContaining({ city: "Leeds" }) }),
    ]);
  });
});
