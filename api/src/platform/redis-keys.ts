/**
 * Every Redis key and pub/sub channel is built here. Keys of one event share the hash tag
 * `{event:ID}` so a Redis Cluster keeps them on one shard (multi-key Lua scripts stay legal); the
 * configurable prefix gives each test run and deployment its own keyspace. Redis pub/sub ignores the
 * database index, so channels carry the prefix too. The keys the pricing engine reads or writes too
 * (demand signals, price changes, waiting-room queues) are laid out in its redis-contract.ts.
 */
import { eventKey, pricingKeys } from "@boxoffice/pricing-engine/redis-contract";

export interface RedisKeys {
  prefix: string;
  /** Channel of seat and GA status changes of one event. */
  seatStatusChannel(eventId: string): string;
  /** Channel of section price changes of one event (the pricing engine publishes on it too). */
  sectionPriceChannel(eventId: string): string;
  /** Hash of one event's demand counts in one minute, read by the pricing engine (pricing.demand.ts). */
  demandBucket(eventId: string, minute: number): string;
  /** Fast-path claim of one seat: value `userId:holdId`, expires with the hold (or sooner while pending). */
  seatClaim(eventId: string, seatId: string): string;
  /** Hash of per-section counts of one event (`<sectionId>` = available, `<sectionId>:total`). */
  availability(eventId: string): string;
  /** Held by the one API process that recounts an event's availability ahead of its expiry. */
  availabilityRefresh(eventId: string): string;
  /** The keys of one event's waiting room (see waiting-room/waiting-room.scripts.ts); one shared object per event, not to be changed. */
  waitingRoom(eventId: string): Readonly<WaitingRoomKeys>;
  /** Channel of waiting-room changes of one event (an admission batch, sold out). */
  queueChannel(eventId: string): string;
  /** Leader lock of the admission scheduler (one across all API processes). */
  schedulerLeader: string;
  /** Prefix of rate-limiter keys. */
  rateLimit: string;
  /** When the PostgreSQL server last seen started (hold.restart.ts). */
  postgresStarted: string;
  /** Prefix of the markers of proof-of-work answers already used (waiting-room.pow.ts). */
  proofOfWorkUsed: string;
  /** Sorted set of event demand in one hour (search.trending.ts); hash-tagged together with `trendingSum`. */
  trendingHour(hour: number): string;
  /** Scratch sorted set the trending sum is computed into. */
  trendingSum: string;
}

export interface WaitingRoomKeys {
  /** Hash queueToken → ticket JSON. */
  tickets: string;
  /** Hash userId → queueToken (one ticket per account). */
  users: string;
  /** Sorted set of tokens that joined before on-sale, by join sequence (shuffled at on-sale). */
  preQueue: string;
  /** Sorted set of waiting tokens by admission order. */
  queue: string;
  /** Sorted set of admitted tokens by admission expiry (ms). */
  active: string;
  /** Join sequence counter. */
  sequence: string;
  /** Hash of the room's state and counters. */
  state: string;
  /** List of the public ids of the pre-queue in shuffled order. */
  draw: string;
}

export function redisKeys(prefix: string): RedisKeys {
  const event = (eventId: string) => eventKey(prefix, eventId);
  const pricing = pricingKeys(prefix);
  // Built once per event and kept (the most recent 1,000 events): every queueStatus poll and join asks
  // for them, and building them is eight strings and an object each time.
  const rooms = new Map<string, Readonly<WaitingRoomKeys>>();
  return {
    prefix,
    seatStatusChannel: (eventId) => `${event(eventId)}:seat-status`,
    sectionPriceChannel: pricing.sectionPriceChannel,
    demandBucket: pricing.demandBucket,
    seatClaim: (eventId, seatId) => `${event(eventId)}:seat:${seatId}`,
    availability: (eventId) => `${event(eventId)}:availability`,
    availabilityRefresh: (eventId) => `${event(eventId)}:availability:refresh`,
    waitingRoom: (eventId) => {
      const kept = rooms.get(eventId);
      if (kept) return kept;
      const room = `${event(eventId)}:wr`;
      const keys: Readonly<WaitingRoomKeys> = Object.freeze({
        tickets: `${room}:tickets`,
        users: `${room}:users`,
        preQueue: pricing.waitingPreQueue(eventId),
        queue: pricing.waitingQueue(eventId),
        active: `${room}:active`,
        sequence: `${room}:seq`,
        state: `${room}:state`,
        draw: `${room}:draw`,
      });
      if (rooms.size >= 1_000) rooms.delete(rooms.keys().next().value!);
      rooms.set(eventId, keys);
      return keys;
    },
    queueChannel: (eventId) => `${event(eventId)}:queue`,
    schedulerLeader: `${prefix}waiting-room:leader`,
    rateLimit: `${prefix}rate:`,
    postgresStarted: `${prefix}postgres:started`,
    proofOfWorkUsed: `${prefix}pow:`,
    trendingHour: (hour) => `${prefix}{trending}:${hour}`,
    trendingSum: `${prefix}{trending}:sum`,
  };
}
