/**
 * An event's rules for the admin console, checked before anything is written (pure; no I/O): the
 * lifecycle transition table, the ranges of every setting, and what is fixed once the sale has begun
 * (a fan may have paid at those times, fees and currency). The database re-checks what depends on
 * stored state inside the conditional UPDATE that makes the change.
 */
import type { EventCategory, EventStatus } from "../catalogue/catalogue.types.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { MAX_PRICE_MINOR } from "../pricing/pricing.rules.js";

/**
 * The lifecycle. SCHEDULED → ON_SALE is the promoter's early start (a SCHEDULED event already sells
 * from its on-sale time, see event_on_sale.sql); SOLD_OUT → ON_SALE reopens a sale after refunds freed
 * seats; every state but ENDED may be CANCELLED. CANCELLED and ENDED are final.
 */
export const EVENT_TRANSITIONS: Readonly<Record<EventStatus, readonly EventStatus[]>> = {
  DRAFT: ["SCHEDULED", "CANCELLED"],
  SCHEDULED: ["ON_SALE", "CANCELLED"],
  ON_SALE: ["SOLD_OUT", "ENDED", "CANCELLED"],
  SOLD_OUT: ["ON_SALE", "ENDED", "CANCELLED"],
  CANCELLED: [],
  ENDED: [],
};

export function allowedTransitions(status: EventStatus): readonly EventStatus[] {
  return EVENT_TRANSITIONS[status];
}

/** The one check of a transition: VALIDATION naming the allowed ones when `to` is not among them. */
export function checkTransition(from: EventStatus, to: EventStatus): Result<EventStatus, "VALIDATION"> {
  const allowed = EVENT_TRANSITIONS[from];
  if (allowed.includes(to)) return ok(to);
  const list = allowed.length === 0 ? `none: ${from} is final` : allowed.join(", ");
  return fail("VALIDATION", `an event cannot go from ${from} to ${to}; allowed from ${from}: ${list}`, "to");
}

/** Inclusive ranges of the numeric settings (minor units, seconds, basis points). */
export const EVENT_LIMITS = {
  holdDurationSeconds: { min: 60, max: 3600 },
  maxSeatsPerUser: { min: 1, max: 50 },
  serviceFeeBasisPoints: { min: 0, max: 5000 },
  facilityFeeMinor: { min: 0, max: 1_000_000 },
  waitingRoomMaxActiveShoppers: { min: 1, max: 1_000_000 },
  waitingRoomAdmissionIntervalSeconds: { min: 1, max: 3600 },
  basePriceMinor: { min: 100, max: MAX_PRICE_MINOR },
} as const;
export type LimitedField = keyof typeof EVENT_LIMITS;

export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 5000;

/** Everything an event's settings consist of, as stored (after an update is merged in). */
export interface EventSettings {
  name: string;
  artist: string;
  description: string;
  category: EventCategory;
  startsAt: Date;
  endsAt: Date | null;
  onSaleAt: Date;
  currency: string;
  holdDurationSeconds: number;
  maxSeatsPerUser: number;
  allowSingleSeatGaps: boolean;
  serviceFeeBasisPoints: number;
  facilityFeeMinor: number;
  waitingRoomEnabled: boolean;
  waitingRoomMaxActiveShoppers: number;
  waitingRoomAdmissionIntervalSeconds: number;
  presaleEnabled: boolean;
  proofOfWorkEnabled: boolean;
}

export function checkRange(field: LimitedField, value: number): Result<number, "VALIDATION"> {
  const { min, max } = EVENT_LIMITS[field];
  if (!Number.isInteger(value) || value < min || value > max) return fail("VALIDATION", `${field} must be a whole number from ${min} to ${max}`, field);
  return ok(value);
}

function checkText(field: string, value: string, max: number, required: boolean): Result<string, "VALIDATION"> {
  const trimmed = value.trim();
  if (required && trimmed.length === 0) return fail("VALIDATION", `${field} must not be empty`, field);
  if (trimmed.length > max) return fail("VALIDATION", `${field} must be at most ${max} characters`, field);
  return ok(trimmed);
}

const isTime = (value: Date | null) => value === null || !Number.isNaN(value.getTime());

/** The whole event as it would be stored; the first problem found, or the settings with texts trimmed. */
export function checkEventSettings(settings: EventSettings): Result<EventSettings, "VALIDATION"> {
  const name = checkText("name", settings.name, MAX_NAME_LENGTH, true);
  if (!name.ok) return name;
  const artist = checkText("artist", settings.artist, MAX_NAME_LENGTH, true);
  if (!artist.ok) return artist;
  const description = checkText("description", settings.description, MAX_DESCRIPTION_LENGTH, false);
  if (!description.ok) return description;
  for (const field of ["startsAt", "endsAt", "onSaleAt"] as const) {
    if (!isTime(settings[field])) return fail("VALIDATION", `${field} is not a valid time`, field);
  }
  if (settings.onSaleAt.getTime() >= settings.startsAt.getTime()) {
    return fail("VALIDATION", "onSaleAt must be before startsAt: tickets go on sale before the event starts", "onSaleAt");
  }
  if (settings.endsAt !== null && settings.endsAt.getTime() <= settings.startsAt.getTime()) {
    return fail("VALIDATION", "endsAt must be after startsAt", "endsAt");
  }
  if (!/^[A-Z]{3}$/.test(settings.currency)) return fail("VALIDATION", "currency must be a 3-letter ISO 4217 code in capitals, e.g. USD", "currency");
  for (const field of [
    "holdDurationSeconds",
    "maxSeatsPerUser",
    "serviceFeeBasisPoints",
    "facilityFeeMinor",
    "waitingRoomMaxActiveShoppers",
    "waitingRoomAdmissionIntervalSeconds",
  ] as const) {
    const checked = checkRange(field, settings[field]);
    if (!checked.ok) return checked;
  }
  return ok({ ...settings, name: name.value, artist: artist.value, description: description.value });
}

/** Fixed once the sale has begun: fans bought at these times, fees and currency. */
export const FIXED_ONCE_ON_SALE = ["startsAt", "onSaleAt", "serviceFeeBasisPoints", "facilityFeeMinor", "currency"] as const;

/** Whether the sale has begun (or the event is over): ON_SALE and later, or SCHEDULED past its on-sale time. */
export function saleHasBegun(status: EventStatus, onSaleAt: Date, now: Date): boolean {
  if (status === "DRAFT") return false;
  if (status === "SCHEDULED") return onSaleAt.getTime() <= now.getTime();
  return true;
}

const sameValue = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/** VALIDATION when a change touches a field that is fixed because the sale has begun. */
export function checkFixedFields(
  stored: EventSettings & { status: EventStatus },
  next: EventSettings,
  now: Date,
): Result<null, "VALIDATION"> {
  if (!saleHasBegun(stored.status, stored.onSaleAt, now)) return ok(null);
  for (const field of FIXED_ONCE_ON_SALE) {
    if (!sameValue(stored[field], next[field])) {
      return fail("VALIDATION", `${field} cannot change once the sale has begun: fans have bought tickets at these times, fees and currency`, field);
    }
  }
  return ok(null);
}

/** A URL-safe slug from an event name (the database makes it unique). */
export function slugOf(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug === "" ? "event" : slug;
}

export const MAX_SECTION_PRICES = 100;
export const MAX_BLOCKED_SEATS = 1000;
