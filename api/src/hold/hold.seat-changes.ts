/**
 * What follows a change of seats in PostgreSQL, in one place for every path that changes them (a hold
 * placed, holds ended by a release or the sweeper, a sale, a refund): the Redis claims made to agree
 * with PostgreSQL, the cached counts moved (hold.availability.ts), seatStatusChanged published, and
 * demand noted. It runs after the commit and never fails the request that made the change: Redis is
 * only a filter and a cache, and a subscriber that misses a message catches up from the next count.
 */
import type { Logger } from "../platform/logger.js";
import type { DemandSignals } from "../pricing/pricing.demand.js";
import type { LivePubSub } from "../platform/pubsub.js";
import type { Availability } from "./hold.availability.js";
import { claimValue, type AuthoritativeClaim, type SeatClaims } from "./hold.claims.js";
import type { FreedPlace, HoldLineRow } from "./hold.db.js";
import type { UnavailableSeat } from "./hold.placer.js";

/** Sold and blocked seats are remembered in Redis this long (a refund or unblock clears them sooner). */
const PERMANENT_CLAIM_MS = 24 * 3600_000;

export interface SeatChangeDependencies {
  claims: SeatClaims;
  availability: Availability;
  pubsub: LivePubSub;
  logger: Logger;
  /** Demand counters (the TRENDING search sort): places just held. */
  demand: (eventId: string, places: number) => void;
  /** The pricing engine's per-section signals: seats held, released or expired, sold. */
  signals: DemandSignals;
}

export interface SeatChanges {
  /** A hold of seats committed: its claims confirmed until it expires, counts lowered, HELD published. */
  seatsHeld(hold: { eventId: string; userId: string; holdId: string; expiresAt: Date; lines: readonly HoldLineRow[] }): Promise<void>;
  /** A hold of general-admission places committed; `available` is PostgreSQL's count after it. */
  placesHeld(hold: { eventId: string; sectionId: string; quantity: number; expiresAt: Date; available: number }): Promise<void>;
  /** PostgreSQL turned down seats Redis let through: their real holders (or SOLD/BLOCKED) go back into Redis. */
  seatsTaken(eventId: string, seats: readonly UnavailableSeat[]): Promise<void>;
  /** Places given back by ended holds: claims dropped, counts raised, AVAILABLE published. */
  freed(places: readonly FreedPlace[]): Promise<void>;
  /** After a sale: sold seats remembered in Redis, GA counts set to PostgreSQL's figure, SOLD published. */
  sold(eventId: string, seats: readonly { seatId: string; sectionId: string }[], places: readonly { sectionId: string; quantity: number; available: number }[]): Promise<void>;
  /** After a cancellation: the SOLD markers leave Redis, counts rise, AVAILABLE published. */
  refunded(
    eventId: string,
    seats: readonly { seatId: string; sectionId: string }[],
    places: readonly { sectionId: string; quantity: number; available: number }[],
  ): Promise<void>;
  /** House seats blocked by the promoter: BLOCKED remembered in Redis, counts lowered, BLOCKED published. */
  seatsBlocked(eventId: string, seats: readonly { seatId: string; sectionId: string }[]): Promise<void>;
  /** House seats given back to the sale: the BLOCKED markers leave Redis, counts rise, AVAILABLE published. */
  seatsUnblocked(eventId: string, seats: readonly { seatId: string; sectionId: string }[]): Promise<void>;
}

export function createSeatChanges(deps: SeatChangeDependencies): SeatChanges {
  function publish(
    changes: readonly { eventId: string; sectionId: string; seatId: string | null; available: number }[],
    status: "HELD" | "AVAILABLE" | "SOLD" | "BLOCKED",
  ): void {
    for (const { eventId, sectionId, seatId, available } of changes) {
      deps.pubsub
        .publishTo("SEAT_STATUS", eventId, { eventId, sectionId, seatId, status, available })
        .catch((error: unknown) => deps.logger.warn({ err: error }, "seatStatusChanged not published"));
    }
  }

  /** Moves the cached counts by the change (per section) and publishes one message per seat (per section for places). */
  async function announce(
    changes: readonly { eventId: string; sectionId: string; seatId: string | null; quantity: number }[],
    status: "HELD" | "AVAILABLE" | "BLOCKED",
  ): Promise<void> {
    const sign = status === "AVAILABLE" ? 1 : -1;
    const bySection = new Map<string, { eventId: string; sectionId: string; quantity: number }>();
    for (const change of changes) {
      const key = `${change.eventId}:${change.sectionId}`;
      const entry = bySection.get(key) ?? { eventId: change.eventId, sectionId: change.sectionId, quantity: 0 };
      entry.quantity += change.quantity;
      bySection.set(key, entry);
    }
    const counts = new Map<string, number>();
    await Promise.all(
      [...bySection].map(async ([key, entry]) => {
        const adjusted = await deps.availability.adjust(entry.eventId, entry.sectionId, sign * entry.quantity);
        counts.set(key, adjusted ?? (await deps.availability.available(entry.eventId, entry.sectionId)));
      }),
    );
    publish(
      changes.map((change) => ({ ...change, available: counts.get(`${change.eventId}:${change.sectionId}`) ?? 0 })),
      status,
    );
  }

  return {
    async seatsHeld({ eventId, userId, holdId, expiresAt, lines }) {
      await Promise.all([
        deps.claims.record(eventId, lines.map((line) => ({ seatId: line.seatId!, value: claimValue(userId, holdId), expiresAt }))),
        announce(lines.map((line) => ({ eventId, sectionId: line.sectionId, seatId: line.seatId, quantity: 1 })), "HELD"),
      ]);
      deps.demand(eventId, lines.length);
      for (const line of lines) deps.signals.section(eventId, line.sectionId, "holdsPlaced");
    },
    async placesHeld({ eventId, sectionId, quantity, expiresAt, available }) {
      // The cached count moves by this hold's places (deltas commute, so racing holds cannot leave an
      // older total behind, as setting PostgreSQL's figure could when the writes land out of order).
      // Places of expired holds PostgreSQL freed on the way are picked up at the next recount.
      await deps.availability.adjust(eventId, sectionId, -quantity);
      await deps.availability.noteExpiry(eventId, sectionId, expiresAt);
      publish([{ eventId, sectionId, seatId: null, available }], "HELD");
      deps.demand(eventId, quantity);
      deps.signals.section(eventId, sectionId, "holdsPlaced", quantity);
    },
    async seatsTaken(eventId, seats) {
      await deps.claims.record(eventId, rebuiltClaims(seats));
    },
    async freed(freed) {
      for (const place of freed) deps.signals.section(place.eventId, place.sectionId, "holdsReleased", place.quantity);
      const byHold = new Map<string, FreedPlace[]>();
      for (const place of freed) {
        const places = byHold.get(place.holdId);
        if (places) places.push(place);
        else byHold.set(place.holdId, [place]);
      }
      await Promise.all([
        ...[...byHold.values()].map((places) => {
          const seats = places.filter((place) => place.seatId !== null).map((place) => place.seatId!);
          const first = places[0]!;
          return deps.claims.release(first.eventId, seats, first.userId, first.holdId);
        }),
        announce(freed, "AVAILABLE"),
      ]);
    },
    async sold(eventId, seats, places) {
      for (const seat of seats) deps.signals.section(eventId, seat.sectionId, "seatsSold");
      for (const place of places) deps.signals.section(eventId, place.sectionId, "seatsSold", place.quantity);
      const soldUntil = new Date(Date.now() + PERMANENT_CLAIM_MS);
      const [, placeCounts, seatCounts] = await Promise.all([
        deps.claims.record(eventId, seats.map((seat) => ({ seatId: seat.seatId, value: "SOLD:", expiresAt: soldUntil }))),
        Promise.all(places.map((place) => deps.availability.set(eventId, place.sectionId, place.available))),
        Promise.all([...new Set(seats.map((seat) => seat.sectionId))].map(async (sectionId) => [sectionId, await deps.availability.available(eventId, sectionId)] as const)),
      ]);
      const counts = new Map(seatCounts);
      publish(
        [
          ...seats.map((seat) => ({ eventId, sectionId: seat.sectionId, seatId: seat.seatId, available: counts.get(seat.sectionId) ?? 0 })),
          ...places.map((place, index) => ({ eventId, sectionId: place.sectionId, seatId: null, available: placeCounts[index] ?? place.available })),
        ],
        "SOLD",
      );
    },
    async refunded(eventId, seats, places) {
      const gone = new Date(0);
      await Promise.all([
        deps.claims.record(eventId, seats.map((seat) => ({ seatId: seat.seatId, value: "", expiresAt: gone }))),
        ...places.map((place) => deps.availability.set(eventId, place.sectionId, place.available)),
      ]);
      await announce(seats.map((seat) => ({ eventId, sectionId: seat.sectionId, seatId: seat.seatId, quantity: 1 })), "AVAILABLE");
      publish(places.map((place) => ({ eventId, sectionId: place.sectionId, seatId: null, available: place.available })), "AVAILABLE");
    },
    async seatsBlocked(eventId, seats) {
      const until = new Date(Date.now() + PERMANENT_CLAIM_MS);
      await Promise.all([
        deps.claims.record(eventId, seats.map((seat) => ({ seatId: seat.seatId, value: "BLOCKED:", expiresAt: until }))),
        announce(seats.map((seat) => ({ eventId, sectionId: seat.sectionId, seatId: seat.seatId, quantity: 1 })), "BLOCKED"),
      ]);
    },
    async seatsUnblocked(eventId, seats) {
      await deps.claims.record(eventId, seats.map((seat) => ({ seatId: seat.seatId, value: "", expiresAt: new Date(0) })));
      await announce(seats.map((seat) => ({ eventId, sectionId: seat.sectionId, seatId: seat.seatId, quantity: 1 })), "AVAILABLE");
    },
  };
}

/** What PostgreSQL says about seats Redis did not know were taken, as claims. */
function rebuiltClaims(seats: readonly UnavailableSeat[]): AuthoritativeClaim[] {
  const claims: AuthoritativeClaim[] = [];
  for (const seat of seats) {
    if (seat.status === "HELD" && seat.holdId && seat.holderUserId && seat.heldUntil) {
      claims.push({ seatId: seat.seatId, value: claimValue(seat.holderUserId, seat.holdId), expiresAt: seat.heldUntil });
    } else if (seat.status === "SOLD" || seat.status === "BLOCKED") {
      claims.push({ seatId: seat.seatId, value: `${seat.status}:`, expiresAt: new Date(Date.now() + PERMANENT_CLAIM_MS) });
    }
  }
  return claims;
}
