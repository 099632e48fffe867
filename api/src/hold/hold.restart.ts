/**
 * Redis claims after a PostgreSQL restart. Holds commit asynchronously (HOLD_SYNCHRONOUS_COMMIT=off), so
 * a crash of PostgreSQL can lose the holds it answered in its last few hundred milliseconds, while
 * Redis still claims their seats: other fans would be turned away in Redis until the lost holds'
 * expiry. Every sweeper pass notes PostgreSQL's start time in Redis (SET … GET); the one process
 * that replaces a different value drops the seat claims and cached counts of every event on sale.
 * PostgreSQL then decides alone, and the claims come back from its answers as after a Redis flush
 * (hold.claims.ts). A Redis without the note (first start, flushed) has no claims to doubt.
 */
import type pg from "pg";
import type { Logger } from "../platform/logger.js";
import type { RedisKeys } from "../platform/redis-keys.js";
import { connected, type Redis } from "../platform/redis.js";
import { findEventsOnSale, postgresStartedAt } from "./hold.db.js";
import type { VenueLayout } from "./hold.layout.js";

/** The first check runs as the process starts, usually before Redis has connected: it waits this long for it. */
const CONNECT_WAIT_MS = 5_000;

/** Keys per UNLINK: an event's keys share a hash slot, so a chunk is one command even on a cluster. */
const CHUNK = 1_000;

export interface RestartWatchDependencies {
  pool: pg.Pool;
  redis: Redis;
  keys: RedisKeys;
  layouts: { get(venueId: string, layoutVersion: number): Promise<VenueLayout> };
  logger: Logger;
}

/** Returns a check for the sweeper: the number of claims dropped (0 when PostgreSQL has not restarted). */
export function createRestartWatch(deps: RestartWatchDependencies): () => Promise<number> {
  return async function check() {
    const started = await postgresStartedAt(deps.pool);
    await connected(deps.redis, CONNECT_WAIT_MS);
    const previous = await deps.redis.set(deps.keys.postgresStarted, started, "GET");
    if (previous === null || previous === started) return 0;
    deps.logger.warn({ previous, started }, "PostgreSQL restarted: dropping seat claims, PostgreSQL decides until they are rebuilt");
    let dropped = 0;
    try {
      for (const event of await findEventsOnSale(deps.pool)) {
        const layout = await deps.layouts.get(event.venueId, event.venueLayoutVersion);
        const keys = [...layout.seats.keys()].map((seatId) => deps.keys.seatClaim(event.id, seatId));
        for (let start = 0; start < keys.length; start += CHUNK) dropped += await deps.redis.unlink(...keys.slice(start, start + CHUNK));
        await deps.redis.unlink(deps.keys.availability(event.id));
      }
    } catch (error) {
      // Put the old note back so the next pass (of any process) drops them again, from the start.
      await deps.redis.set(deps.keys.postgresStarted, previous).catch(() => undefined);
      throw error;
    }
    deps.logger.warn({ dropped }, "seat claims dropped after a PostgreSQL restart");
    return dropped;
  };
}
