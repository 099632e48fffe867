/**
 * The Redis layout the API and the pricing engine share: the API writes demand signals and subscribes
 * to price changes; the engine reads the signals and publishes the changes. Defined here once; the
 * API's platform/redis-keys.ts builds every key of an event from `eventKey` and re-exposes these.
 *
 * Demand signals are per-minute buckets: one hash per event per minute (`demandBucket`), fields
 * `<sectionId>:<kind>` holding counts, plus `queue:joins` for the waiting room. Each bucket expires
 * DEMAND_BUCKET_TTL_SECONDS after its last write, so the engine's window (the last few whole minutes)
 * always finds its buckets and nothing grows without bound. A bucket that is missing counts as zero,
 * which is why the engine also keeps `demandEpoch`: a key written once (SET NX) that vanishes when Redis
 * loses its data (a restart without persistence, a flush). The engine treats minutes before the epoch
 * as unknown (NO_SIGNAL), so lost counters hold prices instead of reading as "no demand".
 */

/** Every key of one event shares the hash tag `{event:ID}`, so a Redis Cluster keeps them on one shard. */
export function eventKey(prefix: string, eventId: string): string {
  return `${prefix}{event:${eventId}}`;
}

/** Buckets outlive the longest window the engine reads (10 minutes) with room to spare. */
export const DEMAND_BUCKET_TTL_SECONDS = 15 * 60;

export type DemandKind = "views" | "holdsPlaced" | "holdsReleased" | "seatsSold";

/** Field suffixes: short, since a busy event writes them every second. */
export const DEMAND_FIELD: Record<DemandKind, string> = { views: "v", holdsPlaced: "h", holdsReleased: "r", seatsSold: "s" };
export const QUEUE_JOINS_FIELD = "queue:joins";

export function demandField(sectionId: string, kind: DemandKind): string {
  return `${sectionId}:${DEMAND_FIELD[kind]}`;
}

/** The minute a timestamp falls in: the bucket number. */
export function demandMinute(ms: number): number {
  return Math.floor(ms / 60_000);
}

export interface PricingKeys {
  /** Hash of one event's demand counts in one minute (see the header). */
  demandBucket(eventId: string, minute: number): string;
  /** Since when (ms) Redis has kept the demand counters: gone after a data loss. */
  demandEpoch: string;
  /** Channel of section price changes of one event (the API's sectionPriceChanged subscription). */
  sectionPriceChannel(eventId: string): string;
  /** Sorted sets of fans waiting in an event's waiting room: the queue and the pre-queue before on-sale. */
  waitingQueue(eventId: string): string;
  waitingPreQueue(eventId: string): string;
}

export function pricingKeys(prefix: string): PricingKeys {
  return {
    demandBucket: (eventId, minute) => `${eventKey(prefix, eventId)}:demand:${minute}`,
    demandEpoch: `${prefix}pricing:demand-epoch`,
    sectionPriceChannel: (eventId) => `${eventKey(prefix, eventId)}:section-price`,
    waitingQueue: (eventId) => `${eventKey(prefix, eventId)}:wr:queue`,
    waitingPreQueue: (eventId) => `${eventKey(prefix, eventId)}:wr:pre`,
  };
}

/** What the engine publishes on sectionPriceChannel: the API's SectionPriceMessage, as JSON. */
export interface SectionPriceMessage {
  eventId: string;
  sectionId: string;
  priceMinor: number;
  currency: string;
}
