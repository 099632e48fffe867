/**
 * GraphQL documents and fixtures of the admin venue tests.
 */
import type pg from "pg";
import { expect } from "vitest";
import { expectOk, type TestApi } from "../support/test-api.js";

export const ERRORS = "errors { code message field }";
export const SECTION = "id venueId name kind capacity sortOrder rows seats layout { rows seatsPerRow curvature angle aisles numbering firstRowLabel accessibleSeats { row number } }";
export const VENUE = `id organizationId name slug address city country timezone latitude longitude capacity createdAt sections { ${SECTION} }`;
export const SEAT = "id sectionId row number x y accessible restrictedView";

export const CREATE_VENUE = `mutation($input: CreateVenueInput!) { createVenue(input: $input) { venue { ${VENUE} } ${ERRORS} } }`;
export const UPDATE_VENUE = `mutation($input: UpdateVenueInput!) { updateVenue(input: $input) { venue { ${VENUE} } ${ERRORS} } }`;
export const DELETE_VENUE = `mutation($id: ID!) { deleteVenue(id: $id) { id ${ERRORS} } }`;
export const CREATE_SECTION = `mutation($input: CreateSectionInput!) { createSection(input: $input) { section { ${SECTION} } ${ERRORS} } }`;
export const UPDATE_SECTION = `mutation($input: UpdateSectionInput!) { updateSection(input: $input) { section { ${SECTION} } ${ERRORS} } }`;
export const DELETE_SECTION = `mutation($id: ID!) { deleteSection(id: $id) { id ${ERRORS} } }`;
export const GENERATE = `mutation($input: SeatLayoutInput!) { generateSectionSeats(input: $input) { section { ${SECTION} } ${ERRORS} } }`;
export const DELETE_SEATS = `mutation($input: DeleteSeatsInput!) { deleteSeats(input: $input) { deleted ${ERRORS} } }`;
export const UPDATE_SEAT = `mutation($input: UpdateSeatInput!) { updateSeat(input: $input) { seat { ${SEAT} } ${ERRORS} } }`;
export const VENUES = `query($page: Int, $perPage: Int, $sortField: String, $sortOrder: SortOrder, $filter: AdminVenueFilter) {
  adminVenues(page: $page, perPage: $perPage, sortField: $sortField, sortOrder: $sortOrder, filter: $filter) { items { id name city capacity } total }
}`;
export const ONE_VENUE = `query($id: ID!) { adminVenue(id: $id) { ${VENUE} } }`;
export const VENUE_SEATS = `query($venueId: ID!) { adminVenueSeats(venueId: $venueId) { ${SEAT} } }`;

export const venueInput = (change: Record<string, unknown> = {}) => ({
  name: "Riverside Hall",
  address: "1 River Road",
  city: "London",
  country: "GB",
  timezone: "Europe/London",
  latitude: 51.5,
  longitude: -0.12,
  ...change,
});

export interface VenueSetup {
  venueId: string;
  seatedId: string;
  gaId: string;
  seatIds: string[];
}

/** A venue made through the API: a seated section of 3 rows × 4 seats and a GA section of 100. */
export async function buildVenue(api: TestApi, token: string, seats = { rows: 3, seatsPerRow: 4 }): Promise<VenueSetup> {
  const venue = expectOk((await api.query(CREATE_VENUE, { input: venueInput() }, token)).data!.createVenue).venue;
  const seated = expectOk((await api.query(CREATE_SECTION, { input: { venueId: venue.id, name: "Stalls", kind: "SEATED" } }, token)).data!.createSection).section;
  expectOk((await api.query(GENERATE, { input: { sectionId: seated.id, ...seats, seatSpacing: 10, rowSpacing: 12 } }, token)).data!.generateSectionSeats);
  const ga = expectOk(
    (await api.query(CREATE_SECTION, { input: { venueId: venue.id, name: "Floor", kind: "GENERAL_ADMISSION", capacity: 100 } }, token)).data!.createSection,
  ).section;
  const { rows } = await api.app.db.pool.query<{ id: string }>(
    `SELECT seat.id FROM seats seat JOIN seat_rows r ON r.id = seat.row_id WHERE seat.section_id = $1 ORDER BY r.sort_order, seat.number`,
    [seated.id],
  );
  return { venueId: venue.id, seatedId: seated.id, gaId: ga.id, seatIds: rows.map((row) => row.id) };
}

/** A fingerprint of every table these operations touch: equal before and after means nothing changed. */
export async function snapshot(pool: pg.Pool): Promise<Record<string, string>> {
  const tables = ["venues", "sections", "seat_rows", "seats", "event_sections", "event_seats", "audit_log"];
  const parts = tables.map((table) => `(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM ${table} t) AS ${table}`);
  const { rows } = await pool.query<Record<string, string>>(`SELECT ${parts.join(", ")}`);
  return rows[0]!;
}

export interface AuditRecord {
  actorUserId: string;
  organizationId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: any;
  after: any;
}

/** Audit rows written after `afterId`, oldest first. */
export async function auditSince(pool: pg.Pool, afterId: string): Promise<AuditRecord[]> {
  const { rows } = await pool.query<AuditRecord>(
    `SELECT actor_user_id AS "actorUserId", organization_id AS "organizationId", action, entity_type AS "entityType", entity_id AS "entityId", before, after
     FROM audit_log WHERE id > $1 ORDER BY id`,
    [afterId],
  );
  return rows;
}

export async function lastAuditId(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM audit_log`);
  return rows[0]!.id;
}

/** The venue's stored capacity equals its seats plus its GA places. */
export async function expectCapacityConsistent(pool: pg.Pool, venueId: string): Promise<number> {
  const { rows } = await pool.query<{ stored: number; computed: number }>(
    `SELECT v.capacity AS stored,
            ((SELECT count(*) FROM seats seat JOIN sections s ON s.id = seat.section_id WHERE s.venue_id = v.id)
             + (SELECT coalesce(sum(capacity), 0) FROM sections WHERE venue_id = v.id AND kind = 'GENERAL_ADMISSION'))::int AS computed
     FROM venues v WHERE v.id = $1`,
    [venueId],
  );
  expect(rows[0]!.stored).toBe(rows[0]!.computed);
  return rows[0]!.stored;
}
