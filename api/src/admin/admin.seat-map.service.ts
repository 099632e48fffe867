/**
 * The seat-map builder's changes to sections and seats, in the flow of admin.venues.service.ts:
 * venue → section → seat locked in that order, the organization checked, event inventory of the
 * seats concerned deleted with a count of sold or held ones that decides (non-zero: roll back), the
 * seats written set-based, capacities and the venue's layout version refreshed, one audit row.
 */
import type pg from "pg";
import type { Viewer } from "../auth/auth.tokens.js";
import { fail, ok } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import { recordAudit } from "./admin.audit.js";
import { checkLayout, generateSeats, type SeatLayout } from "./admin.seat-map.js";
import * as db from "./admin.venues.db.js";
import { canManageVenue, checkId, transaction, type Outcome } from "./admin.venues.service.js";

export const MAX_SEATS_PER_DELETE = 1000;

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
    if (number !== seat.number) {
      if (await db.seatNumberTaken(tx, seat.rowId, number, seat.id)) return fail("VALIDATION", `row ${seat.row} already has a seat ${number}`, "number");
      // Its tickets and holds name it by its number.
      if (await db.seatSoldOrHeld(tx, seat.id)) return fail("VALIDATION", "the seat is sold or held for an event; its number cannot change", "number");
    }
    const after = await db.updateSeat(tx, seat.id, {
      accessible: input.accessible ?? seat.accessible,
      restrictedView: input.restrictedView ?? seat.restrictedView,
      number,
    });
    await db.refreshCapacity(tx, seat.venueId);
    const { venueId: _venue, organizationId, rowId: _row, ...before } = seat;
    await recordAudit(tx, { actorUserId: viewer.id, organizationId, action: "seat.update", entityType: "seat", entityId: seat.id, before, after });
    return ok(seat.id);
  });
}
