/**
 * Holding seats: explicit picks (all or nothing), best available in a seated section, and places of a
 * general-admission section. The flow (docs/architecture.md, "A hold"):
 *
 * 1. Checks: input, the event on sale (isOnSale, pinned to SQL's event_on_sale by a test), admission.
 * 2. Layer 1, Redis (hold.claims.ts): an all-or-nothing pending claim of the seats; a confirmed claim
 *    of another fan turns the request away here. A pending one of a request in this process is waited
 *    for (hold.pending.ts): committed, it turns the request away too; any other pending claim sends
 *    the request to PostgreSQL unclaimed.
 * 3. Layer 2, PostgreSQL (hold.placer.ts → prisma/sql/functions/hold_seats_batch.sql): the authority,
 *    one round trip in a batch with the holds arriving alongside.
 * 4. After the commit (hold.seat-changes.ts): claims confirmed, counts moved, seatStatusChanged published.
 *
 * Whatever Redis says, PostgreSQL's answer is the one returned.
 */
import { hash } from "node:crypto";
import type pg from "pg";
import { assertNever, fail, ok, type DomainError, type Result } from "../platform/errors.js";
import type { Failpoint } from "../platform/failpoints.js";
import { isId } from "../platform/graphql.js";
import { uuidv7 } from "../platform/ids.js";
import type { Logger } from "../platform/logger.js";
import type { Availability } from "./hold.availability.js";
import { chooseBestAvailable, type LayoutRow } from "./hold.best-available.js";
import { findFreeSeatIdsInSections, findPricedSeatedSections } from "./hold.best-available.db.js";
import { ticketFees } from "../checkout/checkout.fees.js";
import type { ClaimConflict, SeatClaims } from "./hold.claims.js";
import * as db from "./hold.db.js";
import type { PendingHold, PendingHolds } from "./hold.pending.js";
import type { HoldOutcome, HoldPlacer } from "./hold.placer.js";
import type { HoldReleaser } from "./hold.releaser.js";
import type { SeatChanges } from "./hold.seat-changes.js";
import { addressKey, seatLabel, type VenueLayout } from "./hold.layout.js";

export interface HoldDependencies {
  pool: pg.Pool;
  placer: HoldPlacer;
  /** Ends released holds in batches (hold.releaser.ts). */
  releaser: HoldReleaser;
  claims: SeatClaims;
  /** This process's pending holds, whose decisions a request meeting their claims waits for (hold.pending.ts). */
  pendingHolds: PendingHolds;
  availability: Availability;
  layouts: { get(venueId: string, layoutVersion: number): Promise<VenueLayout> };
  events: { get(eventId: string): Promise<db.HoldEventRow | null> };
  /** Claims, counts, seatStatusChanged and demand after a commit (hold.seat-changes.ts). */
  seatChanges: SeatChanges;
  logger: Logger;
  failpoint: (name: Failpoint) => void;
  /** For waiting-room events: null when the admission token admits this fan, else the NOT_ADMITTED error. */
  admission: (userId: string, eventId: string, token: string | null | undefined) => Promise<DomainError | null>;
}

export interface HoldSeatsRequest {
  eventId: string;
  seatIds?: string[] | null;
  /** Seats by section, row and number (as the seat map names them), instead of seatIds. */
  seats?: { sectionId: string; row: string; number: number }[] | null;
  sectionId?: string | null;
  quantity?: number | null;
  /** Best available across the venue (no sectionId): the all-in price range per ticket, minor units. */
  minAllInPrice?: number | null;
  maxAllInPrice?: number | null;
  requestKey?: string | null;
  admissionToken?: string | null;
}

/**
 * A hold as the API shows it. When the hold was just placed, `lines` are its lines and `layout` the
 * venue layout the request was checked against (hold.layout.ts, versioned by every seat-map change):
 * the answer names the lines' sections and seats from it, without a query (its seats are HELD: by
 * this hold, just committed).
 */
export interface HoldView {
  id: string;
  eventId: string;
  userId: string;
  status: db.HoldRow["status"];
  subtotalMinor: number;
  currency: string;
  expiresAt: Date;
  lines?: db.HoldLineRow[];
  layout?: VenueLayout;
}

/** Most seats one request may name; the event's per-user limit is usually far lower. */
const MAX_SEATS_PER_REQUEST = 50;
const MAX_REQUEST_KEY = 200;
const MAX_ROW_LABEL = 20;
/** Best available re-picks this often when other fans take the chosen seats first. */
const BEST_AVAILABLE_ATTEMPTS = 5;

type Attempt = { kind: "done"; result: Result<HoldView> } | { kind: "taken"; seatIds: string[] };

export async function holdSeats(deps: HoldDependencies, userId: string, request: HoldSeatsRequest): Promise<Result<HoldView>> {
  const checked = validate(request);
  if (!checked.ok) return checked;
  const event = await deps.events.get(request.eventId);
  if (!event || event.status === "DRAFT") return fail("NOT_FOUND", "no such event", "eventId");
  if (!isOnSale(event)) return notOnSale(event.status, event.onSaleAt);
  if (event.waitingRoomEnabled) {
    const refused = await deps.admission(userId, event.id, request.admissionToken);
    if (refused) return { ok: false, error: refused };
  }
  const layout = await deps.layouts.get(event.venueId, event.venueLayoutVersion);
  const requestKey = request.requestKey ?? derivedRequestKey(request);

  const named = request.seatIds ?? (request.seats ? seatIdsOf(layout, request.seats) : null);
  if (named && !Array.isArray(named)) return named;
  if (named) {
    const seatIds = [...new Set(named)];
    if (seatIds.length !== named.length) return fail("VALIDATION", "the same seat is named twice", request.seatIds ? "seatIds" : "seats");
    const unknown = seatIds.filter((seatId) => !layout.seats.has(seatId));
    if (unknown.length > 0) return fail("VALIDATION", `not seats of this event's venue: ${unknown.join(", ")}`, "seatIds");
    if (seatIds.length > event.maxSeatsPerUser) return tooMany(event.maxSeatsPerUser);
    const attempt = await attemptSeats(deps, layout, { eventId: event.id, userId, requestKey, seatIds, allowSingleGaps: false });
    return attempt.kind === "done" ? attempt.result : unavailable(layout, attempt.seatIds);
  }

  if (request.sectionId == null) {
    const quantity = request.quantity!;
    if (quantity > event.maxSeatsPerUser) return tooMany(event.maxSeatsPerUser);
    const sectionIds = await sectionsInPriceRange(deps, event.id, request.minAllInPrice ?? null, request.maxAllInPrice ?? null);
    return holdBestAvailable(deps, layout, { eventId: event.id, userId, requestKey, sectionIds, quantity, where: "your price range" });
  }
  const section = layout.sections.get(request.sectionId);
  if (!section) return fail("VALIDATION", "sectionId is not a section of this event's venue", "sectionId");
  const quantity = request.quantity!;
  if (quantity > event.maxSeatsPerUser) return tooMany(event.maxSeatsPerUser);
  if (section.kind === "GENERAL_ADMISSION") return holdGeneralAdmission(deps, layout, { eventId: event.id, userId, requestKey, sectionId: section.id, quantity });
  return holdBestAvailable(deps, layout, { eventId: event.id, userId, requestKey, sectionIds: [section.id], quantity, where: section.name });
}

/** The seat ids of seats named by section, row and number, or a VALIDATION error naming the unknown ones. */
function seatIdsOf(layout: VenueLayout, seats: readonly { sectionId: string; row: string; number: number }[]): string[] | Result<never> {
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const seat of seats) {
    const id = layout.seatIdsByAddress.get(addressKey(seat.sectionId, seat.row, seat.number));
    if (id) ids.push(id);
    else unknown.push(`row ${seat.row} seat ${seat.number} of section ${seat.sectionId}`);
  }
  return unknown.length > 0 ? fail("VALIDATION", `not seats of this event's venue: ${unknown.join(", ")}`, "seats") : ids;
}

/** The event's seated sections whose all-in price per ticket (checkout's own fee rule) lies in [min, max]. */
async function sectionsInPriceRange(deps: HoldDependencies, eventId: string, min: number | null, max: number | null): Promise<string[]> {
  const sections = await findPricedSeatedSections(deps.pool, eventId);
  return sections
    .filter((section) => {
      const allIn = ticketFees(section.priceMinor, section).reduce((sum, fee) => sum + fee.amountMinor, section.priceMinor);
      return (min === null || allIn >= min) && (max === null || allIn <= max);
    })
    .map((section) => section.sectionId);
}

function validate(request: HoldSeatsRequest): Result<null> {
  if (!isId(request.eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  if (request.requestKey != null && (request.requestKey.length === 0 || request.requestKey.length > MAX_REQUEST_KEY)) {
    return fail("VALIDATION", `requestKey must be 1 to ${MAX_REQUEST_KEY} characters`, "requestKey");
  }
  if (request.seatIds != null && request.seats != null) return fail("VALIDATION", "give seatIds or seats, not both", "seats");
  const bySeats = request.seatIds != null || request.seats != null;
  const bySection = request.sectionId != null || request.quantity != null;
  if (bySeats === bySection) return fail("VALIDATION", "give either seatIds (or seats), or a quantity (with or without sectionId)", "seatIds");
  const priced = request.minAllInPrice != null || request.maxAllInPrice != null;
  if (priced && (bySeats || request.sectionId != null)) {
    return fail("VALIDATION", "minAllInPrice and maxAllInPrice apply to best available across the venue (a quantity without sectionId)", "maxAllInPrice");
  }
  for (const field of ["minAllInPrice", "maxAllInPrice"] as const) {
    const price = request[field];
    if (price != null && (!Number.isInteger(price) || price < 0)) return fail("VALIDATION", `${field} must be a whole number of minor units, 0 or more`, field);
  }
  if (request.seats != null) {
    const count = request.seats.length;
    if (count === 0 || count > MAX_SEATS_PER_REQUEST) return fail("VALIDATION", `seats must name 1 to ${MAX_SEATS_PER_REQUEST} seats`, "seats");
    const bad = request.seats.find((seat) => !isId(seat.sectionId) || seat.row.length === 0 || seat.row.length > MAX_ROW_LABEL || !Number.isInteger(seat.number));
    if (bad) return fail("VALIDATION", "seats contains an invalid section id, row or number", "seats");
    return ok(null);
  }
  if (bySeats) {
    const count = request.seatIds!.length;
    if (count === 0 || count > MAX_SEATS_PER_REQUEST) return fail("VALIDATION", `seatIds must name 1 to ${MAX_SEATS_PER_REQUEST} seats`, "seatIds");
    if (!request.seatIds!.every(isId)) return fail("VALIDATION", "seatIds contains an invalid id", "seatIds");
    return ok(null);
  }
  if (request.sectionId != null && !isId(request.sectionId)) return fail("VALIDATION", "sectionId is not a valid id", "sectionId");
  const quantity = request.quantity;
  if (quantity == null || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_SEATS_PER_REQUEST) {
    return fail("VALIDATION", `quantity must be 1 to ${MAX_SEATS_PER_REQUEST}`, "quantity");
  }
  return ok(null);
}

/** Without a client key, the request itself is the key: a blind retry returns the hold it made. */
function derivedRequestKey(request: HoldSeatsRequest): string {
  const what = request.seatIds
    ? [...request.seatIds].sort().join(",")
    : request.seats
      ? request.seats.map((seat) => `${seat.sectionId}/${seat.row}/${seat.number}`).sort().join(",")
      : `${request.sectionId ?? `${request.minAllInPrice ?? ""}-${request.maxAllInPrice ?? ""}`}x${request.quantity}`;
  return `auto:${hash("sha256", `${request.eventId}|${what}`, "base64url")}`;
}

/** Whether fans may hold seats now; must agree with SQL's event_on_sale (api/test/hold/on-sale.test.ts pins them). */
export function isOnSale(event: Pick<db.HoldEventRow, "status" | "onSaleAt" | "startsAt">, now = Date.now()): boolean {
  return (event.status === "ON_SALE" || event.status === "SCHEDULED") && event.onSaleAt.getTime() <= now && event.startsAt.getTime() > now;
}

function notOnSale(status: string, onSaleAt: Date): Result<never> {
  if ((status === "ON_SALE" || status === "SCHEDULED") && onSaleAt.getTime() > Date.now()) {
    return fail("NOT_ON_SALE", `tickets go on sale at ${onSaleAt.toISOString()}`, "eventId");
  }
  return fail("NOT_ON_SALE", `the event is not on sale (${status})`, "eventId");
}

function tooMany(max: number): Result<never> {
  return fail("LIMIT_EXCEEDED", `at most ${max} tickets per fan for this event`, "quantity");
}

function unavailable(layout: VenueLayout, seatIds: readonly string[]): Result<never> {
  const labels = seatIds.map((seatId) => {
    const seat = layout.seats.get(seatId);
    return seat ? seatLabel(seat) : seatId;
  });
  return fail("SEAT_UNAVAILABLE", `no longer available: ${labels.join(", ")}`, "seatIds");
}

/**
 * One try at a set of seats: Redis claim, then PostgreSQL. "taken" names the seats other fans hold
 * (best available then picks again); everything else is final. A fan is told a seat is taken only
 * when PostgreSQL holds it for someone else: a confirmed claim in Redis, a pending claim of this
 * process whose hold PostgreSQL has just committed, or PostgreSQL's own answer. Seats under pending
 * claims that were refused, or belong to other processes, go to PostgreSQL unclaimed (it decides them
 * in the order it gets them), unless `avoidPending`: best available would rather pick other seats.
 */
async function attemptSeats(
  deps: HoldDependencies,
  layout: VenueLayout,
  request: { eventId: string; userId: string; requestKey: string; seatIds: string[]; allowSingleGaps: boolean; avoidPending?: boolean },
): Promise<Attempt> {
  const { eventId, userId, seatIds } = request;
  const holdId = uuidv7();
  const conflicts = await deps.claims.claim(eventId, seatIds, userId, holdId);
  // Claimed, unless Redis had no opinion or other claims were in the way. A claimed hold is registered
  // before anything else runs: requests answered by the same Redis script may be about to meet it.
  const claimed = conflicts !== null && conflicts.length === 0;
  const pending = claimed ? deps.pendingHolds.begin(holdId) : null;
  try {
    if (!claimed) {
      const byOthers = conflicts?.filter((conflict) => conflict.userId !== userId) ?? [];
      const inTheWay = request.avoidPending ? byOthers : byOthers.filter((conflict) => !conflict.pending);
      if (inTheWay.length > 0) return { kind: "taken", seatIds: inTheWay.map((conflict) => conflict.seatId) };
      const takenMeanwhile = await committedHere(deps.pendingHolds, byOthers);
      if (takenMeanwhile.length > 0) return { kind: "taken", seatIds: takenMeanwhile };
      // On to PostgreSQL unclaimed: Redis had no opinion, or the claims in the way are this fan's own
      // (a retry), or pending ones that were refused or are another process's.
    }
    deps.failpoint("hold.after-claim");
    return await placeClaimed(deps, layout, request, holdId, claimed, pending);
  } finally {
    pending?.end();
  }
}

/**
 * The seats of pending claims in the way whose holds, placed by this process, PostgreSQL has
 * committed: waits for each one's decision (hold.pending.ts). Empty when none was committed or none
 * is this process's.
 */
async function committedHere(pendingHolds: PendingHolds, conflicts: readonly ClaimConflict[]): Promise<string[]> {
  const waits: Promise<string | null>[] = [];
  for (const conflict of conflicts) {
    const decision = conflict.pending ? pendingHolds.decision(conflict.holdId) : undefined;
    if (decision) waits.push(decision.then((held) => (held ? conflict.seatId : null)));
  }
  if (waits.length === 0) return [];
  return (await Promise.all(waits)).filter((seatId) => seatId !== null);
}

/** PostgreSQL's decision on seats this request claimed in Redis (or went to PostgreSQL for unclaimed). */
async function placeClaimed(
  deps: HoldDependencies,
  layout: VenueLayout,
  request: { eventId: string; userId: string; requestKey: string; seatIds: string[]; allowSingleGaps: boolean },
  holdId: string,
  claimed: boolean,
  pending: PendingHold | null,
): Promise<Attempt> {
  const { eventId, userId, seatIds } = request;
  const dropClaims = () => (claimed ? deps.claims.release(eventId, seatIds, userId, holdId) : Promise.resolve());
  let outcome: HoldOutcome;
  try {
    outcome = await deps.placer.place({ holdId, eventId, userId, requestKey: request.requestKey, seatIds, sectionId: null, quantity: null, allowSingleGaps: request.allowSingleGaps });
  } catch (error) {
    await dropClaims();
    throw error;
  }
  pending?.decided(outcome.outcome === "HELD");
  switch (outcome.outcome) {
    case "HELD": {
      await deps.seatChanges.seatsHeld({ eventId, userId, holdId, expiresAt: outcome.expiresAt, lines: outcome.lines });
      return { kind: "done", result: ok(heldView(outcome, eventId, userId, layout)) };
    }
    case "UNAVAILABLE": {
      await dropClaims();
      await deps.seatChanges.seatsTaken(eventId, outcome.seats);
      return { kind: "taken", seatIds: outcome.seats.map((seat) => seat.seatId) };
    }
    case "STRANDED":
      await dropClaims();
      return {
        kind: "done",
        result: fail(
          "VALIDATION",
          `this choice would leave a single seat on its own: ${outcome.seatIds.map((id) => labelOf(layout, id)).join(", ")}; include it or choose seats next to it`,
          "seatIds",
        ),
      };
    default:
      await dropClaims();
      return { kind: "done", result: await finalOutcome(deps, outcome, userId) };
  }
}

async function holdBestAvailable(
  deps: HoldDependencies,
  layout: VenueLayout,
  request: { eventId: string; userId: string; requestKey: string; sectionIds: string[]; quantity: number; where: string },
): Promise<Result<HoldView>> {
  const rows: LayoutRow[] = request.sectionIds.flatMap((sectionId) => layout.rowsBySection.get(sectionId) ?? []);
  const [sectionId, ...others] = request.sectionIds;
  const free = new Set(
    sectionId === undefined
      ? []
      : others.length === 0
        ? await db.findFreeSeatIds(deps.pool, request.eventId, sectionId)
        : await findFreeSeatIdsInSections(deps.pool, request.eventId, request.sectionIds),
  );
  const sectionName = request.where;
  for (let attempt = 0; attempt < BEST_AVAILABLE_ATTEMPTS; attempt++) {
    const seatIds = chooseBestAvailable(rows, free, request.quantity);
    if (!seatIds) {
      return fail("SEAT_UNAVAILABLE", `only ${free.size} seat${free.size === 1 ? "" : "s"} left in ${sectionName}`, "quantity");
    }
    // The last try lets PostgreSQL decide seats other requests are still claiming.
    const avoidPending = attempt < BEST_AVAILABLE_ATTEMPTS - 1;
    const result = await attemptSeats(deps, layout, { ...request, seatIds, allowSingleGaps: true, avoidPending });
    if (result.kind === "done") return result.result;
    for (const seatId of result.seatIds) free.delete(seatId);
  }
  return fail("SEAT_UNAVAILABLE", `seats in ${sectionName} are selling fast and were taken while we picked; try again`, "sectionId");
}

async function holdGeneralAdmission(
  deps: HoldDependencies,
  layout: VenueLayout,
  request: { eventId: string; userId: string; requestKey: string; sectionId: string; quantity: number },
): Promise<Result<HoldView>> {
  const { eventId, userId, sectionId, quantity } = request;
  // Fast path: a section the counts show as short is turned away without a transaction, unless a
  // counted hold has expired since (lazy expiry: its places are free now; PostgreSQL frees them).
  const cached = (await deps.availability.counts([eventId])).get(eventId)?.get(sectionId);
  const trusted = cached && (cached.nextExpiryMs === null || cached.nextExpiryMs > Date.now());
  if (cached && trusted && cached.available < quantity) return fewPlaces(cached.available);
  const holdId = uuidv7();
  const outcome = await deps.placer.place({ holdId, eventId, userId, requestKey: request.requestKey, seatIds: null, sectionId, quantity, allowSingleGaps: true });
  if (outcome.outcome === "HELD") {
    await deps.seatChanges.placesHeld({ eventId, sectionId, quantity, expiresAt: outcome.expiresAt, available: outcome.gaAvailable ?? 0 });
    return ok(heldView(outcome, eventId, userId, layout));
  }
  if (outcome.outcome === "GA_SHORT") return fewPlaces(outcome.available);
  // Seat outcomes: PostgreSQL gives them only to requests that name seats.
  if (outcome.outcome === "UNAVAILABLE" || outcome.outcome === "STRANDED") throw new Error(`a general-admission hold came back ${outcome.outcome}`);
  return finalOutcome(deps, outcome, userId);
}

function fewPlaces(available: number): Result<never> {
  return fail("SEAT_UNAVAILABLE", available === 0 ? "sold out" : `only ${available} place${available === 1 ? "" : "s"} left`, "quantity");
}

/** The outcomes that end a request the same way whatever it asked for. */
type FinalOutcome = Exclude<HoldOutcome, { outcome: "HELD" | "UNAVAILABLE" | "STRANDED" }>;

async function finalOutcome(deps: HoldDependencies, outcome: FinalOutcome, userId: string): Promise<Result<HoldView>> {
  switch (outcome.outcome) {
    case "REPLAYED": {
      const hold = await findHold(deps.pool, outcome.holdId, userId);
      return hold ? ok(hold) : fail("HOLD_EXPIRED", "the hold this request made has ended");
    }
    case "ACTIVE_HOLD":
      return fail(
        "LIMIT_EXCEEDED",
        `you already hold seats for this event until ${outcome.expiresAt.toISOString()} (hold ${outcome.holdId}); release it or check out first`,
      );
    case "SEAT_LIMIT":
      return fail("LIMIT_EXCEEDED", `at most ${outcome.max} tickets per fan for this event; you have ${outcome.owned}`, "quantity");
    case "NOT_ON_SALE":
      return notOnSale(outcome.status, outcome.onSaleAt);
    case "GA_SHORT":
      return fewPlaces(outcome.available);
    case "NOT_FOUND":
      return fail("NOT_FOUND", "no such event", "eventId");
    default:
      return assertNever(outcome);
  }
}

function heldView(outcome: Extract<HoldOutcome, { outcome: "HELD" }>, eventId: string, userId: string, layout: VenueLayout): HoldView {
  return {
    id: outcome.holdId,
    eventId,
    userId,
    status: "ACTIVE",
    subtotalMinor: outcome.subtotalMinor,
    currency: outcome.currency,
    expiresAt: outcome.expiresAt,
    lines: outcome.lines,
    layout,
  };
}

function labelOf(layout: VenueLayout, seatId: string): string {
  const seat = layout.seats.get(seatId);
  return seat ? seatLabel(seat) : seatId;
}

/** The user's hold (any status), or null when it does not exist or belongs to someone else. */
export async function findHold(pool: pg.Pool, holdId: string, userId: string): Promise<HoldView | null> {
  if (!isId(holdId)) return null;
  const [hold] = await db.findHoldsByIds(pool, [holdId]);
  return hold && hold.userId === userId ? hold : null;
}

export async function releaseHold(deps: HoldDependencies, userId: string, holdId: string): Promise<Result<true>> {
  if (!isId(holdId)) return fail("VALIDATION", "holdId is not a valid id", "holdId");
  const freed = await deps.releaser.release(holdId, userId);
  if (freed.length === 0) {
    const hold = await findHold(deps.pool, holdId, userId);
    if (!hold) return fail("NOT_FOUND", "no such hold", "holdId");
    if (hold.status === "CONVERTED") return fail("VALIDATION", "this hold has been paid for; cancel the order instead", "holdId");
    return fail("HOLD_EXPIRED", "this hold has already ended", "holdId");
  }
  await deps.seatChanges.freed(freed);
  return ok(true);
}
