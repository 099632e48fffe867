/**
 * The admin console's venues and seat maps. Each mutation: input checked → one PostgreSQL
 * transaction: the venue (then the section, then the seat) locked, the organization checked
 * (`canManageOrganization`: a promoter its own organization's venues, an admin every venue) → the
 * change, set-based for seats; event inventory deleted with a count of sold or held seats that
 * decides whether the change may go ahead → capacities recomputed → one audit row with the record
 * before and after. A returned failure rolls everything back, so a refusal changes and records
 * nothing. Reads show a promoter only its organization's venues; another's are "not found".
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import { recordAudit } from "./admin.audit.js";
import { checkLayout, generateSeats, type SeatLayout } from "./admin.seat-map.js";
import * as db from "./admin.venues.db.js";

export type VenueError = "VALIDATION" | "NOT_FOUND" | "FORBIDDEN";
type Outcome<T> = Result<T, VenueError>;

export const MAX_SEATS_PER_DELETE = 1000;

/** A transaction that commits only a success: a returned failure is rolled back, like a throw. */
async function transaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<Outcome<T>>): Promise<Outcome<T>> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query(result.ok ? "COMMIT" : "ROLLBACK");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Whether the viewer may see and change a venue (an organization-less venue: admins only). */
export function canManageVenue(viewer: Viewer, organizationId: string | null): boolean {
  return organizationId === null ? viewer.role === "ADMIN" : canManageOrganization(viewer, organizationId);
}

const checkId = (value: string, field: string): Outcome<string> => (isId(value) ? ok(value.toLowerCase()) : fail("VALIDATION", `${field} is not a valid id`, field));

// ---------------------------------------------------------------- reads

/** Sort fields of the venue list and their ORDER BY columns (for `sortColumn`; the default is name). */
export const VENUE_SORT_COLUMNS: Record<string, string> = { name: "v.name", city: "v.city", capacity: "v.capacity", createdAt: "v.created_at", id: "v.id" };
export const VENUE_SORT_FIELDS = Object.keys(VENUE_SORT_COLUMNS);

/** One page of the venues the viewer may see. */
export async function listVenues(
  pool: pg.Pool,
  viewer: Viewer,
  query: { offset: number; limit: number; orderBy: string; descending: boolean; q: string | null; ids: string[] | null },
): Promise<{ rows: db.VenueRow[]; total: number }> {
  if (viewer.role !== "ADMIN" && viewer.organizationId === null) return { rows: [], total: 0 };
  const ids = query.ids === null ? null : query.ids.filter(isId).map((id) => id.toLowerCase());
  const q = query.q === null || query.q.trim() === "" ? null : query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
  return db.findVenues(pool, { ...query, q, ids, organizationId: viewer.role === "ADMIN" ? null : viewer.organizationId });
}

/** A venue the viewer may see, or null. */
export async function findVenue(pool: pg.Pool, viewer: Viewer, id: string): Promise<db.VenueRow | null> {
  if (!isId(id)) return null;
  const venue = await db.findVenue(pool, id.toLowerCase());
  return venue && canManageVenue(viewer, venue.organizationId) ? venue : null;
}

/** Every seat of a venue the viewer may see (null when it may not). */
export async function venueSeats(pool: pg.Pool, viewer: Viewer, venueId: string): Promise<db.SeatRow[] | null> {
  const venue = await findVenue(pool, viewer, venueId);
  return venue ? db.findVenueSeats(pool, venue.id) : null;
}

export const sectionsOf = (pool: pg.Pool, venueIds: readonly string[]) => db.findSections(pool, venueIds);

/** Re-reads for a mutation's payload (the mutation checked the viewer). */
export const venueById = (pool: pg.Pool, id: string) => db.findVenue(pool, id);
export const sectionById = (pool: pg.Pool, id: string) => db.findSection(pool, id);
export const seatById = (pool: pg.Pool, id: string) => db.findSeat(pool, id);

// ---------------------------------------------------------------- venues

export interface VenueInput {
  name?: string | null;
  address?: string | null;
  city?: string | null;
  country?: string | null;
  timezone?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone.length > 0;
  } catch {
    return false;
  }
}

function checkVenueFields(fields: db.VenueFields): Outcome<db.VenueFields> {
  const venue = {
    ...fields,
    name: fields.name.trim(),
    address: fields.address.trim(),
    city: fields.city.trim(),
    country: fields.country.trim().toUpperCase(),
    timezone: fields.timezone.trim(),
  };
  if (venue.name.length < 1 || venue.name.length > 200) return fail("VALIDATION", "name must be 1 to 200 characters", "name");
  if (venue.address.length > 300) return fail("VALIDATION", "address must be at most 300 characters", "address");
  if (venue.city.length < 1 || venue.city.length > 100) return fail("VALIDATION", "city must be 1 to 100 characters", "city");
  if (!/^[A-Z]{2}$/.test(venue.country)) return fail("VALIDATION", "country must be an ISO 3166-1 alpha-2 code, e.g. GB", "country");
  if (!isTimeZone(venue.timezone)) return fail("VALIDATION", `${venue.timezone || "(empty)"} is not an IANA time zone, e.g. Europe/London`, "timezone");
  if (!Number.isFinite(venue.latitude) || Math.abs(venue.latitude) > 90) return fail("VALIDATION", "latitude must be between -90 and 90", "latitude");
  if (!Number.isFinite(venue.longitude) || Math.abs(venue.longitude) > 180) return fail("VALIDATION", "longitude must be between -180 and 180", "longitude");
  return ok(venue);
}

function slugFor(name: string): string {
  const base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${base || "venue"}-${randomBytes(3).toString("hex")}`;
}

/** Creates a venue for the viewer's organization (an admin may name another, or none). */
export async function createVenue(
  pool: pg.Pool,
  viewer: Viewer,
  input: VenueInput & { name: string; city: string; country: string; timezone: string; latitude: number; longitude: number; organizationId?: string | null },
): Promise<Outcome<string>> {
  let organizationId = viewer.organizationId;
  if (viewer.role === "ADMIN" && input.organizationId !== undefined) {
    if (input.organizationId !== null && !isId(input.organizationId)) return fail("VALIDATION", "organizationId is not a valid id", "organizationId");
    organizationId = input.organizationId?.toLowerCase() ?? null;
  } else if (input.organizationId !== undefined && input.organizationId !== null && input.organizationId !== viewer.organizationId) {
    return fail("FORBIDDEN", "a promoter creates venues for its own organization only", "organizationId");
  }
  if (viewer.role !== "ADMIN" && organizationId === null) return fail("FORBIDDEN", "your account belongs to no organization");
  const fields = checkVenueFields({ ...input, address: input.address ?? "" });
  if (!fields.ok) return fields;
  return transaction(pool, async (tx) => {
    if (organizationId !== null) {
      if (!(await db.organizationExists(tx, organizationId))) return fail("NOT_FOUND", "no such organization", "organizationId");
    }
    const venue = await db.insertVenue(tx, { ...fields.value, organizationId, slug: slugFor(fields.value.name) });
    await recordAudit(tx, { actorUserId: viewer.id, organizationId, action: "venue.create", entityType: "venue", entityId: venue.id, before: null, after: venue });
    return ok(venue.id);
  });
}

/** Changes a venue's details; omitted fields stay. */
export async function updateVenue(pool: pg.Pool, viewer: Viewer, input: VenueInput & { id: string }): Promise<Outcome<string>> {
  const id = checkId(input.id, "id");
  if (!id.ok) return id;
  return transaction(pool, async (tx) => {
    const before = await db.lockVenue(tx, id.value);
    if (!before || !canManageVenue(viewer, before.organizationId)) return fail("NOT_FOUND", "no such venue", "id");
    const fields = checkVenueFields({
      name: input.name ?? before.name,
      address: input.address ?? before.address,
      city: input.city ?? before.city,
      country: input.country ?? before.country,
      timezone: input.timezone ?? before.timezone,
      latitude: input.latitude ?? before.latitude,
      longitude: input.longitude ?? before.longitude,
    });
    if (!fields.ok) return fields;
    const after = await db.updateVenue(tx, id.value, fields.value);
    await recordAudit(tx, { actorUserId: viewer.id, organizationId: before.organizationId, action: "venue.update", entityType: "venue", entityId: before.id, before, after });
    return ok(before.id);
  });
}

/** Deletes a venue no event uses, with its sections and seats. */
export async function deleteVenue(pool: pg.Pool, viewer: Viewer, venueId: string): Promise<Outcome<string>> {
  const id = checkId(venueId, "id");
  if (!id.ok) return id;
  return transaction(pool, async (tx) => {
    const before = await db.lockVenue(tx, id.value);
    if (!before || !canManageVenue(viewer, before.organizationId)) return fail("NOT_FOUND", "no such venue", "id");
    const events = await db.countEventsAtVenue(tx, before.id);
    if (events > 0) return fail("VALIDATION", `${events} event${events === 1 ? " uses" : "s use"} this venue; delete or move them first`, "id");
    const sections = await db.findSections(tx, [before.id]);
    await db.deleteVenue(tx, before.id);
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: before.organizationId,
      action: "venue.delete",
      entityType: "venue",
      entityId: before.id,
      before: { ...before, sections },
      after: null,
    });
    return ok(before.id);
  });
}

// ---------------------------------------------------------------- sections

const SECTION_KINDS = ["SEATED", "GENERAL_ADMISSION"] as const;
const MAX_GA_CAPACITY = 1_000_000;

function checkSectionName(name: string): Outcome<string> {
  const trimmed = name.trim();
  return trimmed.length >= 1 && trimmed.length <= 100 ? ok(trimmed) : fail("VALIDATION", "name must be 1 to 100 characters", "name");
}

/** Adds a section: seated (seats come from generateSectionSeats) or general admission with its capacity. */
export async function createSection(
  pool: pg.Pool,
  viewer: Viewer,
  input: { venueId: string; name: string; kind: db.SectionKind; capacity?: number | null },
): Promise<Outcome<string>> {
  const venueId = checkId(input.venueId, "venueId");
  if (!venueId.ok) return venueId;
  const name = checkSectionName(input.name);
  if (!name.ok) return name;
  if (!SECTION_KINDS.includes(input.kind)) return fail("VALIDATION", "kind must be SEATED or GENERAL_ADMISSION", "kind");
  let capacity = 0;
  if (input.kind === "GENERAL_ADMISSION") {
    if (input.capacity === null || input.capacity === undefined || !Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_GA_CAPACITY) {
      return fail("VALIDATION", `a general-admission section needs a capacity between 1 and ${MAX_GA_CAPACITY}`, "capacity");
    }
    capacity = input.capacity;
  } else if (input.capacity !== null && input.capacity !== undefined) {
    return fail("VALIDATION", "a seated section's capacity is its seats: generate them with generateSectionSeats", "capacity");
  }
  return transaction(pool, async (tx) => {
    const venue = await db.lockVenue(tx, venueId.value);
    if (!venue || !canManageVenue(viewer, venue.organizationId)) return fail("NOT_FOUND", "no such venue", "venueId");
    const id = await db.insertSection(tx, { venueId: venue.id, name: name.value, kind: input.kind, capacity });
    if (!id) return fail("VALIDATION", `the venue already has a section named ${name.value}`, "name");
    await db.refreshCapacity(tx, venue.id);
    const after = await db.findSection(tx, id);
    await recordAudit(tx, { actorUserId: viewer.id, organizationId: venue.organizationId, action: "section.create", entityType: "section", entityId: id, before: null, after });
    return ok(id);
  });
}

/** Locks a section the viewer manages, or fails NOT_FOUND. */
async function managedSection(tx: pg.PoolClient, viewer: Viewer, sectionId: string, field: string): Promise<Outcome<db.LockedSection>> {
  const section = await db.lockSection(tx, sectionId);
  if (!section || !canManageVenue(viewer, section.organizationId)) return fail("NOT_FOUND", "no such section", field);
  return ok(section);
}

const sectionRecord = ({ organizationId: _organization, stage: _stage, ...section }: db.LockedSection) => section;

/** Renames, reorders or resizes (general admission) a section. */
export async function updateSection(
  pool: pg.Pool,
  viewer: Viewer,
  input: { id: string; name?: string | null; capacity?: number | null; sortOrder?: number | null },
): Promise<Outcome<string>> {
  const id = checkId(input.id, "id");
  if (!id.ok) return id;
  const name = input.name === null || input.name === undefined ? null : checkSectionName(input.name);
  if (name && !name.ok) return name;
  if (input.sortOrder !== null && input.sortOrder !== undefined && (!Number.isInteger(input.sortOrder) || input.sortOrder < 0 || input.sortOrder > 10_000)) {
    return fail("VALIDATION", "sortOrder must be between 0 and 10000", "sortOrder");
  }
  return transaction(pool, async (tx) => {
    const locked = await managedSection(tx, viewer, id.value, "id");
    if (!locked.ok) return locked;
    const before = locked.value;
    let capacity = before.capacity;
    if (input.capacity !== null && input.capacity !== undefined) {
      if (before.kind === "SEATED") return fail("VALIDATION", "a seated section's capacity is its seats: generate or remove seats instead", "capacity");
      if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_GA_CAPACITY) {
        return fail("VALIDATION", `capacity must be between 1 and ${MAX_GA_CAPACITY}`, "capacity");
      }
      const taken = await db.gaPlacesTaken(tx, before.id);
      if (input.capacity < taken) return fail("VALIDATION", `an event has ${taken} places held or sold in this section; capacity cannot go below that`, "capacity");
      capacity = input.capacity;
      await db.setEventGaCapacity(tx, before.id, capacity);
    }
    if (name && (await db.sectionNameTaken(tx, before.venueId, name.value, before.id))) {
      return fail("VALIDATION", `the venue already has a section named ${name.value}`, "name");
    }
    await db.updateSection(tx, before.id, { name: name?.value ?? before.name, capacity, sortOrder: input.sortOrder ?? before.sortOrder });
    await db.refreshCapacity(tx, before.venueId);
    const after = await db.findSection(tx, before.id);
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: before.organizationId,
      action: "section.update",
      entityType: "section",
      entityId: before.id,
      before: sectionRecord(before),
      after,
    });
    return ok(before.id);
  });
}

const takenMessage = (taken: number, example: { row: string; number: number } | null, what: string) =>
  `${taken} seat${taken === 1 ? " is" : "s are"} sold or held for an event${example ? ` (e.g. row ${example.row} seat ${example.number})` : ""}; ${what}`;

/** Deletes a section unless an event has sold or held seats (or places) in it. */
export async function deleteSection(pool: pg.Pool, viewer: Viewer, sectionId: string): Promise<Outcome<string>> {
  const id = checkId(sectionId, "id");
  if (!id.ok) return id;
  return transaction(pool, async (tx) => {
    const locked = await managedSection(tx, viewer, id.value, "id");
    if (!locked.ok) return locked;
    const before = locked.value;
    const { taken, example } = await db.deleteEventSeats(tx, before.id, null);
    if (taken > 0) return fail("VALIDATION", takenMessage(taken, example, "the section cannot be deleted"), "id");
    const places = await db.gaPlacesHeldOrSold(tx, before.id);
    if (places > 0) return fail("VALIDATION", `${places} places are held or sold for an event; the section cannot be deleted`, "id");
    await db.deleteSection(tx, before.id);
    await db.refreshCapacity(tx, before.venueId);
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: before.organizationId,
      action: "section.delete",
      entityType: "section",
      entityId: before.id,
      before: sectionRecord(before),
      after: null,
    });
    return ok(before.id);
  });
}

// ---------------------------------------------------------------- seats

/** Replaces a seated section's rows and seats with a generated layout; events selling it get the new seats. */
export async function generateSectionSeats(pool: pg.Pool, viewer: Viewer, input: SeatLayout & { sectionId: string }): Promise<Outcome<string>> {
  const sectionId = checkId(input.sectionId, "sectionId");
  if (!sectionId.ok) return sectionId;
  const { sectionId: _section, ...parameters } = input;
  const checked = checkLayout(parameters);
  if (!checked.ok) return fail("VALIDATION", checked.message, checked.field);
  const layout = checked.layout;
  return transaction(pool, async (tx) => {
    const locked = await managedSection(tx, viewer, sectionId.value, "sectionId");
    if (!locked.ok) return locked;
    const before = locked.value;
    if (before.kind !== "SEATED") return fail("VALIDATION", "a general-admission section has no seats", "sectionId");
    const { taken, example } = await db.deleteEventSeats(tx, before.id, null);
    if (taken > 0) return fail("VALIDATION", takenMessage(taken, example, "the section's seats cannot be regenerated"), "sectionId");
    await db.replaceSectionSeats(tx, before.id, layout, generateSeats(layout, before.stage));
    await db.refreshCapacity(tx, before.venueId);
    const after = await db.findSection(tx, before.id);
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: before.organizationId,
      action: "section.generate_seats",
      entityType: "section",
      entityId: before.id,
      before: sectionRecord(before),
      after,
    });
    return ok(before.id);
  });
}

/** Removes seats of one section unless an event has sold or held any of them; returns how many. */
export async function deleteSeats(pool: pg.Pool, viewer: Viewer, input: { sectionId: string; seatIds: string[] }): Promise<Outcome<number>> {
  const sectionId = checkId(input.sectionId, "sectionId");
  if (!sectionId.ok) return sectionId;
  if (input.seatIds.length < 1 || input.seatIds.length > MAX_SEATS_PER_DELETE) {
    return fail("VALIDATION", `give 1 to ${MAX_SEATS_PER_DELETE} seats`, "seatIds");
  }
  if (!input.seatIds.every(isId)) return fail("VALIDATION", "seatIds holds an invalid id", "seatIds");
  const seatIds = [...new Set(input.seatIds.map((id) => id.toLowerCase()))];
  return transaction(pool, async (tx) => {
    const locked = await managedSection(tx, viewer, sectionId.value, "sectionId");
    if (!locked.ok) return locked;
    const section = locked.value;
    const { taken, example } = await db.deleteEventSeats(tx, section.id, seatIds);
    if (taken > 0) return fail("VALIDATION", takenMessage(taken, example, "they cannot be removed"), "seatIds");
    const deleted = await db.deleteSeats(tx, section.id, seatIds);
    if (deleted.length !== seatIds.length) return fail("NOT_FOUND", `${seatIds.length - deleted.length} of the seats are not in this section`, "seatIds");
    await db.refreshCapacity(tx, section.venueId);
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: section.organizationId,
      action: "seat.delete",
      entityType: "section",
      entityId: section.id,
      before: { seats: deleted },
      after: null,
    });
    return ok(deleted.length);
  });
}

/** Changes one seat's flags or number. */
export async function updateSeat(
  pool: pg.Pool,
  viewer: Viewer,
  input: { id: string; accessible?: boolean | null; restrictedView?: boolean | null; number?: number | null },
): Promise<Outcome<string>> {
  const id = checkId(input.id, "id");
  if (!id.ok) return id;
  if (input.number !== null && input.number !== undefined && (!Number.isInteger(input.number) || input.number < 1 || input.number > 100_000)) {
    return fail("VALIDATION", "number must be between 1 and 100000", "number");
  }
  return transaction(pool, async (tx) => {
    const venueId = await db.venueOfSeat(tx, id.value);
    if (venueId) await db.lockVenue(tx, venueId);
    const seat = await db.lockSeat(tx, id.value);
    if (!seat || !canManageVenue(viewer, seat.organizationId)) return fail("NOT_FOUND", "no such seat", "id");
    const number = input.number ?? seat.number;
    if (number !== seat.number && (await db.seatNumberTaken(tx, seat.rowId, number, seat.id))) {
      return fail("VALIDATION", `row ${seat.row} already has a seat ${number}`, "number");
    }
    const after = await db.updateSeat(tx, seat.id, {
      accessible: input.accessible ?? seat.accessible,
      restrictedView: input.restrictedView ?? seat.restrictedView,
      number,
    });
    const { venueId: _venue, organizationId, rowId: _row, ...before } = seat;
    await recordAudit(tx, { actorUserId: viewer.id, organizationId, action: "seat.update", entityType: "seat", entityId: seat.id, before, after });
    return ok(seat.id);
  });
}
