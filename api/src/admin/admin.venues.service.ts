/**
 * The admin console's venues (sections and seats: admin.seat-map.service.ts). Each mutation: input
 * checked → one PostgreSQL transaction: the venue (then the section, then the seat) locked, the organization checked
 * (`canManageOrganization`: a promoter its own organization's venues, an admin every venue) → the
 * change, set-based for seats; event inventory deleted with a count of sold or held seats that
 * decides whether the change may go ahead → capacities recomputed → one audit row with the record
 * before and after. A returned failure rolls everything back, so a refusal changes and records
 * nothing. Reads show a promoter only its organization's venues; another's are "not found".
 */
import { withResultTransaction } from "../platform/db.js";
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import { recordAudit } from "./admin.audit.js";
import * as db from "./admin.venues.db.js";

export type VenueError = "VALIDATION" | "NOT_FOUND" | "FORBIDDEN";
export type Outcome<T> = Result<T, VenueError>;

/** A transaction that commits only a success (platform/db.ts). */
export const transaction = <T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<Outcome<T>>): Promise<Outcome<T>> => withResultTransaction(pool, work);

/** Whether the viewer may see and change a venue (an organization-less venue: admins only). */
export function canManageVenue(viewer: Viewer, organizationId: string | null): boolean {
  return organizationId === null ? viewer.role === "ADMIN" : canManageOrganization(viewer, organizationId);
}

export const checkId = (value: string, field: string): Outcome<string> => (isId(value) ? ok(value.toLowerCase()) : fail("VALIDATION", `${field} is not a valid id`, field));

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

/** The IANA zone's canonical name (Intl fixes case and resolves links), or null when it is not one. */
function canonicalTimeZone(zone: string): string | null {
  if (zone.length === 0 || zone.length > 64 || zone.includes(":")) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
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
  const timezone = canonicalTimeZone(venue.timezone);
  if (timezone === null) return fail("VALIDATION", `${venue.timezone || "(empty)"} is not an IANA time zone, e.g. Europe/London`, "timezone");
  if (!Number.isFinite(venue.latitude) || Math.abs(venue.latitude) > 90) return fail("VALIDATION", "latitude must be between -90 and 90", "latitude");
  if (!Number.isFinite(venue.longitude) || Math.abs(venue.longitude) > 180) return fail("VALIDATION", "longitude must be between -180 and 180", "longitude");
  return ok({ ...venue, timezone });
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
    // Event times are instants shown in the venue's zone: a new zone would silently move every upcoming
    // event's local start (20:00 in Chicago became 03:00 the next day in Berlin). Refused while any is
    // upcoming; a zone entered wrongly is fixed before events are scheduled there.
    if (fields.value.timezone !== before.timezone) {
      const upcoming = await db.countUpcomingEventsAtVenue(tx, before.id);
      if (upcoming > 0) {
        const one = upcoming === 1;
        return fail(
          "VALIDATION",
          `${upcoming} upcoming event${one ? " is" : "s are"} scheduled here in ${before.timezone} time; a new time zone would move ${one ? "its" : "their"} local times. Cancel or move ${one ? "it" : "them"} first`,
          "timezone",
        );
      }
    }
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
