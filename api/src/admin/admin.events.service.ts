/**
 * The admin console's events. Each mutation: input checked (admin.events.rules.ts) → one PostgreSQL
 * transaction: the event row locked, the organization checked (canManageOrganization), one conditional
 * UPDATE ... RETURNING decides, and the audit row (before/after) written on the same transaction →
 * after commit, a cancellation starts the mass refund (admin.events.refunds.ts). House seats are in
 * admin.house-seats.service.ts. A refusal writes nothing, audit included.
 * Reads are scoped: a promoter sees its organization's events and audit rows, an admin everything.
 */
import { withResultTransaction } from "../platform/db.js";
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import type { EventCategory, EventStatus } from "../catalogue/catalogue.types.js";
import type { SeatChanges } from "../hold/hold.seat-changes.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import type { Logger } from "../platform/logger.js";
import { findAudit, recordAudit, type AuditRow } from "./admin.audit.js";
import * as db from "./admin.events.db.js";
import {
  checkEventSettings,
  checkFixedFields,
  checkRange,
  checkTransition,
  MAX_SECTION_PRICES,
  saleHasBegun,
  slugOf,
  type EventSettings,
} from "./admin.events.rules.js";
import { pageWindow, sortColumn, type SortOrder } from "./admin.types.js";

export interface AdminEventDependencies {
  pool: pg.Pool;
  seatChanges: Pick<SeatChanges, "seatsBlocked" | "seatsUnblocked">;
  /** Starts a pass of the mass refund (admin.events.refunds.ts) or joins the one running. */
  refunds: { run(): Promise<unknown> };
  logger: Logger;
}

export type AdminEventError = "VALIDATION" | "NOT_FOUND" | "FORBIDDEN";
export type SeatsBlockedError = AdminEventError | "SEAT_UNAVAILABLE";

/** A transaction that commits only a success (platform/db.ts). */
export const transaction = withResultTransaction;

/** Whose records a viewer reads: one organization's, every one (null, an admin), or none (a promoter without one). */
function readScope(viewer: Viewer): { organizationId: string | null } | null {
  if (viewer.role === "ADMIN") return { organizationId: null };
  if (viewer.role === "PROMOTER" && viewer.organizationId) return { organizationId: viewer.organizationId };
  return null;
}

/** The audited form of an event: its settings and status (the venue's display fields left out). */
function snapshot(row: db.AdminEventRow): Record<string, unknown> {
  const { venueName: _name, venueCity: _city, venueTimezone: _zone, createdAt: _created, updatedAt: _updated, ...rest } = row;
  return rest;
}

// ------------------------------------------------------------------ reads

export interface EventListArgs {
  page: number;
  perPage: number;
  sortField?: string | null;
  sortOrder: SortOrder;
  filter?: { q?: string | null; status?: EventStatus | null; venueId?: string | null; ids?: string[] | null } | null;
}

/** One page of the events the viewer manages. */
export async function listEvents(pool: pg.Pool, viewer: Viewer, args: EventListArgs): Promise<Result<{ rows: db.AdminEventRow[]; total: number }, "VALIDATION">> {
  const window = pageWindow(args);
  if ("error" in window) return fail("VALIDATION", window.error, "page");
  const orderBy = sortColumn(db.EVENT_SORT_COLUMNS, args.sortField, "startsAt");
  if (orderBy === null) return fail("VALIDATION", `sortField must be one of ${Object.keys(db.EVENT_SORT_COLUMNS).join(", ")}`, "sortField");
  const filter = args.filter ?? {};
  if (filter.venueId && !isId(filter.venueId)) return fail("VALIDATION", "filter.venueId is not a valid id", "filter.venueId");
  if (filter.ids && (filter.ids.length > 100 || !filter.ids.every(isId))) return fail("VALIDATION", "filter.ids must be at most 100 valid ids", "filter.ids");
  const scope = readScope(viewer);
  if (!scope) return ok({ rows: [], total: 0 });
  return ok(
    await db.listEvents(pool, {
      organizationId: scope.organizationId,
      q: filter.q?.trim() || null,
      status: filter.status ?? null,
      venueId: filter.venueId?.toLowerCase() ?? null,
      ids: filter.ids?.map((id) => id.toLowerCase()) ?? null,
      orderBy,
      descending: args.sortOrder === "DESC",
      ...window,
    }),
  );
}

/** One event, or null when it does not exist or the viewer may not manage it. */
export async function findEvent(pool: pg.Pool, viewer: Viewer, id: string): Promise<db.AdminEventRow | null> {
  if (!isId(id)) return null;
  const row = await db.findEvent(pool, id.toLowerCase());
  return row && canManageOrganization(viewer, row.organizationId) ? row : null;
}

/** One page of the audit log, newest first: the viewer's organization's, or every one for an admin. */
export async function auditLog(
  pool: pg.Pool,
  viewer: Viewer,
  args: { page: number; perPage: number; entityType?: string | null; entityId?: string | null },
): Promise<Result<{ rows: AuditRow[]; total: number }, "VALIDATION">> {
  const window = pageWindow(args);
  if ("error" in window) return fail("VALIDATION", window.error, "page");
  const scope = readScope(viewer);
  if (!scope) return ok({ rows: [], total: 0 });
  return ok(await findAudit(pool, { organizationId: scope.organizationId, entityType: args.entityType, entityId: args.entityId, ...window }));
}

// ------------------------------------------------------------------ create and update

export interface EventSettingsInput {
  name?: string | null;
  artist?: string | null;
  description?: string | null;
  category?: EventCategory | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  onSaleAt?: Date | null;
  currency?: string | null;
  holdDurationSeconds?: number | null;
  maxSeatsPerUser?: number | null;
  allowSingleSeatGaps?: boolean | null;
  serviceFeeBasisPoints?: number | null;
  facilityFeeMinor?: number | null;
  waitingRoomEnabled?: boolean | null;
  waitingRoomMaxActiveShoppers?: number | null;
  waitingRoomAdmissionIntervalSeconds?: number | null;
  presaleEnabled?: boolean | null;
  proofOfWorkEnabled?: boolean | null;
}

/** Defaults of a new event (the database's column defaults). */
const DEFAULTS = {
  description: "",
  endsAt: null,
  holdDurationSeconds: 600,
  maxSeatsPerUser: 8,
  allowSingleSeatGaps: false,
  serviceFeeBasisPoints: 1000,
  facilityFeeMinor: 0,
  waitingRoomEnabled: false,
  waitingRoomMaxActiveShoppers: 500,
  waitingRoomAdmissionIntervalSeconds: 5,
  presaleEnabled: false,
  proofOfWorkEnabled: false,
} as const;

/** The stored settings with the input's given (non-null) fields over them. */
function merge(base: EventSettings, input: EventSettingsInput): EventSettings {
  const next: EventSettings = { ...base };
  for (const key of Object.keys(base) as (keyof EventSettings)[]) {
    const value = input[key];
    if (value !== null && value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}

export interface CreateEventInput extends EventSettingsInput {
  venueId: string;
  organizationId?: string | null;
  name: string;
  artist: string;
  category: EventCategory;
  startsAt: Date;
  onSaleAt: Date;
  currency: string;
  basePriceMinor: number;
}

/** Creates a DRAFT event at a venue with its sections (priced from the base price) and every seat. */
export async function createEvent(deps: AdminEventDependencies, viewer: Viewer, input: CreateEventInput): Promise<Result<string, AdminEventError>> {
  if (!isId(input.venueId)) return fail("VALIDATION", "venueId is not a valid id", "venueId");
  if (input.organizationId && !isId(input.organizationId)) return fail("VALIDATION", "organizationId is not a valid id", "organizationId");
  const price = checkRange("basePriceMinor", input.basePriceMinor);
  if (!price.ok) return price;
  const settings = checkEventSettings(
    merge({ ...DEFAULTS, name: input.name, artist: input.artist, category: input.category, startsAt: input.startsAt, onSaleAt: input.onSaleAt, currency: input.currency }, input),
  );
  if (!settings.ok) return settings;
  const venueId = input.venueId.toLowerCase();
  return transaction(deps.pool, async (tx): Promise<Result<string, AdminEventError>> => {
    const venue = await db.findVenueOrganization(tx, venueId);
    if (!venue) return fail("NOT_FOUND", "no such venue", "venueId");
    const organizationId = input.organizationId?.toLowerCase() ?? (viewer.role === "ADMIN" ? venue.organizationId : viewer.organizationId);
    if (!organizationId) return fail("VALIDATION", "organizationId is required: the venue belongs to no organization", "organizationId");
    if (!canManageOrganization(viewer, organizationId)) return fail("FORBIDDEN", "promoters create events only for their own organization", "organizationId");
    if (venue.organizationId !== null && venue.organizationId !== organizationId) {
      return fail("FORBIDDEN", "this venue belongs to another organization", "venueId");
    }
    const base = slugOf(settings.value.name);
    let eventId: string | null = null;
    for (let attempt = 0; eventId === null && attempt < 5; attempt++) {
      const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString("hex")}`;
      eventId = await db.insertEvent(tx, { ...settings.value, organizationId, venueId, slug });
    }
    if (eventId === null) throw new Error(`no free slug for ${base}`);
    const inventory = await db.insertInventory(tx, { id: eventId, venueId, currency: settings.value.currency, basePriceMinor: price.value });
    const created = (await db.findEvent(tx, eventId))!;
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId,
      action: "event.create",
      entityType: "event",
      entityId: eventId,
      before: null,
      after: { ...snapshot(created), basePriceMinor: price.value, ...inventory },
    });
    return ok(eventId);
  });
}

/** Changes an event's settings; the times, fees and currency are fixed once the sale has begun. */
export async function updateEvent(deps: AdminEventDependencies, viewer: Viewer, input: EventSettingsInput & { id: string }): Promise<Result<string, AdminEventError>> {
  if (!isId(input.id)) return fail("VALIDATION", "id is not a valid id", "id");
  const id = input.id.toLowerCase();
  return transaction(deps.pool, async (tx): Promise<Result<string, AdminEventError>> => {
    const stored = await db.lockEvent(tx, id);
    if (!stored) return fail("NOT_FOUND", "no such event", "id");
    if (!canManageOrganization(viewer, stored.organizationId)) return fail("FORBIDDEN", "only the event's promoters may change it", "id");
    if (stored.status === "CANCELLED" || stored.status === "ENDED") {
      return fail("VALIDATION", `the event is ${stored.status}; it can no longer be changed`, "id");
    }
    const next = checkEventSettings(merge(stored, input));
    if (!next.ok) return next;
    const fixed = checkFixedFields(stored, next.value, new Date());
    if (!fixed.ok) return fixed;
    if (!(await db.updateEvent(tx, id, next.value))) {
      return fail("VALIDATION", "the sale began meanwhile: startsAt, onSaleAt, fees and currency can no longer change", "onSaleAt");
    }
    const after = (await db.findEvent(tx, id))!;
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: stored.organizationId,
      action: "event.update",
      entityType: "event",
      entityId: id,
      before: snapshot(stored),
      after: snapshot(after),
    });
    return ok(id);
  });
}

/** Moves an event through its lifecycle (the transition table in admin.events.rules.ts); CANCELLED starts the refund of every order. */
export async function transitionEvent(deps: AdminEventDependencies, viewer: Viewer, input: { id: string; to: EventStatus }): Promise<Result<string, AdminEventError>> {
  if (!isId(input.id)) return fail("VALIDATION", "id is not a valid id", "id");
  const id = input.id.toLowerCase();
  const result = await transaction(deps.pool, async (tx): Promise<Result<string, AdminEventError>> => {
    const stored = await db.lockEvent(tx, id);
    if (!stored) return fail("NOT_FOUND", "no such event", "id");
    if (!canManageOrganization(viewer, stored.organizationId)) return fail("FORBIDDEN", "only the event's promoters may change it", "id");
    const allowed = checkTransition(stored.status, input.to);
    if (!allowed.ok) return allowed;
    if (!(await db.transitionEvent(tx, id, stored.status, input.to))) {
      return fail("VALIDATION", "an event needs sections with prices above 0 before it is SCHEDULED", "to");
    }
    if (input.to === "CANCELLED") await db.endActiveHolds(tx, id);
    const after = (await db.findEvent(tx, id))!;
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: stored.organizationId,
      action: "event.transition",
      entityType: "event",
      entityId: id,
      before: { status: stored.status, onSaleAt: stored.onSaleAt },
      after: { status: after.status, onSaleAt: after.onSaleAt },
    });
    return ok(id);
  });
  // The refund of every order starts now; the periodic pass resumes it after a crash.
  if (result.ok && input.to === "CANCELLED") {
    deps.refunds.run().catch((error: unknown) => deps.logger.warn({ err: error, eventId: id }, "refunds of the cancelled event not started; the next pass runs them"));
  }
  return result;
}

/** Sets sections' base prices before the on-sale, each within its floor..ceiling (else VALIDATION, nothing changed). */
export async function updateSectionPrices(
  deps: AdminEventDependencies,
  viewer: Viewer,
  input: { eventId: string; sections: readonly db.SectionPrice[] },
): Promise<Result<string, AdminEventError>> {
  if (!isId(input.eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  if (input.sections.length < 1 || input.sections.length > MAX_SECTION_PRICES) {
    return fail("VALIDATION", `give 1 to ${MAX_SECTION_PRICES} sections`, "sections");
  }
  const ids = new Set<string>();
  for (const section of input.sections) {
    if (!isId(section.sectionId)) return fail("VALIDATION", "sectionId is not a valid id", "sections");
    if (ids.has(section.sectionId.toLowerCase())) return fail("VALIDATION", `section ${section.sectionId} is given twice`, "sections");
    ids.add(section.sectionId.toLowerCase());
    const price = checkRange("basePriceMinor", section.priceMinor);
    if (!price.ok) return fail("VALIDATION", `priceMinor of section ${section.sectionId}: ${price.error.message}`, "sections");
  }
  const eventId = input.eventId.toLowerCase();
  const prices = input.sections.map((section) => ({ sectionId: section.sectionId.toLowerCase(), priceMinor: section.priceMinor }));
  return transaction(deps.pool, async (tx): Promise<Result<string, AdminEventError>> => {
    const stored = await db.lockEvent(tx, eventId);
    if (!stored) return fail("NOT_FOUND", "no such event", "eventId");
    if (!canManageOrganization(viewer, stored.organizationId)) return fail("FORBIDDEN", "only the event's promoters may change its prices", "eventId");
    if (saleHasBegun(stored.status, stored.onSaleAt, new Date()) || stored.status === "CANCELLED" || stored.status === "ENDED") {
      return fail("VALIDATION", "base prices are set before the on-sale; once it has begun, use the pricing controls (override, pause)", "eventId");
    }
    const current = new Map((await db.lockSectionPrices(tx, eventId)).map((row) => [row.sectionId, row]));
    for (const price of prices) {
      const row = current.get(price.sectionId);
      if (!row) return fail("NOT_FOUND", `section ${price.sectionId} is not part of this event`, "sections");
      if (row.overridden) return fail("VALIDATION", `section ${price.sectionId} has a price override; clear it first`, "sections");
      if (price.priceMinor < row.floorMinor || price.priceMinor > row.ceilingMinor) {
        return fail(
          "VALIDATION",
          `priceMinor ${price.priceMinor} of section ${price.sectionId} is outside its range ${row.floorMinor}..${row.ceilingMinor}; change the floor or ceiling first (updateSectionPricing)`,
          "sections",
        );
      }
    }
    const changed = await db.updateSectionPrices(tx, eventId, prices, viewer.id);
    if (changed === null) return fail("VALIDATION", "the on-sale began meanwhile: base prices can no longer change", "eventId");
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: stored.organizationId,
      action: "event.section_prices",
      entityType: "event",
      entityId: eventId,
      before: { sections: changed.map((row) => ({ sectionId: row.sectionId, priceMinor: row.previousPriceMinor })) },
      after: { sections: changed.map((row) => ({ sectionId: row.sectionId, priceMinor: row.priceMinor })) },
    });
    return ok(eventId);
  });
}
