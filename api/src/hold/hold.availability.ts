/**
 * Per-section availability for the event page and the seat map, served from one Redis hash per event
 * and kept within a few seconds of PostgreSQL: the hash is filled from PostgreSQL with a short TTL
 * (AVAILABILITY_CACHE_TTL_MS), every hold, release, expiry and sale adjusts it by the change, a hash
 * in use is recounted in the background in the last second of its life (by one API process of all:
 * the first to take a short Redis lease), and when one has expired the next reader recounts. A process
 * fills each event at most once at a time. When Redis is away, counts come straight from PostgreSQL.
 */
import type pg from "pg";
import type { RedisKeys } from "../platform/redis-keys.js";
import { runScript, together, type Redis } from "../platform/redis.js";
import { createTickBatch } from "../platform/tick-batch.js";
import { createTtlCache } from "../platform/ttl-cache.js";
import type { FastPath } from "../platform/fast-path.js";
import { countAvailability, type AvailabilityRow } from "./hold.db.js";

export interface SectionCount {
  available: number;
  total: number;
  /** General admission: when the first counted hold expires; after that the count may be too low. */
  nextExpiryMs: number | null;
}

/** sectionId → counts, for one event. */
export type EventCounts = Map<string, SectionCount>;

export interface Availability {
  /**
   * Counts of every section of each event (an event without sections maps to an empty map). When
   * Redis has no opinion they are recounted in PostgreSQL; `sharedRecount` accepts a recount up to a
   * second old, shared by the process (counts published with live updates).
   */
  counts(eventIds: readonly string[], options?: { sharedRecount?: boolean }): Promise<Map<string, EventCounts>>;
  /** Applies a change of `delta` places to a cached section; returns the new count, or null when not cached. */
  adjust(eventId: string, sectionId: string, delta: number): Promise<number | null>;
  /** The current count of one section (cached, else recounted). */
  available(eventId: string, sectionId: string): Promise<number>;
  /** Sets a cached section to a count PostgreSQL just returned; returns it. */
  set(eventId: string, sectionId: string, available: number): Promise<number>;
  /** Notes a new general-admission hold's expiry, so cached counts are not trusted past it. */
  noteExpiry(eventId: string, sectionId: string, expiresAt: Date): Promise<void>;
}

/**
 * Applies (section, delta) pairs in order to a cached event; returns each new count followed by the
 * hash's remaining lifetime (ms), or 0 when not cached.
 */
const ADJUST_EACH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local counts = {}
for i = 1, #ARGV, 2 do counts[#counts + 1] = redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
counts[#counts + 1] = redis.call('PTTL', KEYS[1])
return counts`;

const SET = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1`;

const NOTE_EXPIRY = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
if current == nil or tonumber(ARGV[2]) < current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1`;

const FILL = `
redis.call('DEL', KEYS[1])
if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

export function createAvailability(
  pool: pg.Pool,
  redis: Redis,
  keys: RedisKeys,
  ttlMs: number,
  fastPath: FastPath,
): Availability {
  const filling = new Map<string, Promise<EventCounts>>();
  // Counts are recounted ahead of their expiry while they are in use, so no reader (in particular no
  // hold, whose published count needs one) waits for a recount: on a stadium the recount reads ~200,000
  // rows, and every hold answered while it ran waited for it (bench:holds' p99 went from ~20 to ~70 ms).
  const refreshAheadMs = Math.min(1_000, ttlMs / 2);
  /** When this process last refilled each event: answers read before that refill landed do not start another. */
  const refilledAt = new Map<string, number>();
  // Of all API processes, the one that takes the event's refresh lease first recounts it; the others
  // see the refilled hash. On a stadium a recount reads every seat, and each process running its own
  // multiplied that by the number of processes.
  const refreshIfEnding = (eventId: string, remainingMs: number) => {
    if (remainingMs < 0 || remainingMs >= refreshAheadMs || filling.has(eventId)) return;
    if (Date.now() - (refilledAt.get(eventId) ?? 0) < ttlMs / 2) return;
    refilledAt.set(eventId, Date.now());
    if (refilledAt.size > 10_000) refilledAt.delete(refilledAt.keys().next().value!);
    void fastPath("lease availability refresh", () => redis.set(keys.availabilityRefresh(eventId), "1", "PX", Math.ceil(ttlMs / 2), "NX"))
      .then((leased) => (leased === "OK" ? fillOnce([eventId]) : undefined))
      .catch(() => undefined);
  };
  // Every change made in this turn of the event loop goes in one script per event (a PostgreSQL batch
  // of holds resolves together), applied in call order.
  const adjustTogether = createTickBatch<{ sectionId: string; delta: number }, number | null>(async (eventId, changes) => {
    const reply = await fastPath("adjust availability", () =>
      runScript(redis, ADJUST_EACH, 1, keys.availability(eventId), ...changes.flatMap((change) => [change.sectionId, change.delta])),
    );
    if (!Array.isArray(reply)) return changes.map(() => null);
    refreshIfEnding(eventId, Number(reply[reply.length - 1]));
    return changes.map((_, index) => Math.max(0, Number(reply[index])));
  });
  // With Redis away, the count published after each hold would be a recount of the whole event per
  // hold (a stadium: ~200,000 rows each, and holds fell to a tenth). Those recounts are shared per
  // process and second instead.
  const recounts = createTtlCache(async (eventId: string) => toByEvent([eventId], await countAvailability(pool, [eventId])).get(eventId)!, 1_000);

  async function fill(eventIds: readonly string[]): Promise<Map<string, EventCounts>> {
    const byEvent = toByEvent(eventIds, await countAvailability(pool, eventIds));
    await fastPath("fill availability", () =>
      together(
        [...byEvent].map(([eventId, counts]) => {
          const fields = [...counts].flatMap(([sectionId, count]) => [
            sectionId,
            count.available,
            `${sectionId}:total`,
            count.total,
            ...(count.nextExpiryMs === null ? [] : [`${sectionId}:expiry`, count.nextExpiryMs]),
          ]);
          return runScript(redis, FILL, 1, keys.availability(eventId), ttlMs, ...fields);
        }),
      ),
    );
    return byEvent;
  }

  /** Fills the given events, sharing an in-flight fill of the same event with concurrent readers. */
  async function fillOnce(eventIds: readonly string[]): Promise<Map<string, EventCounts>> {
    const missing = eventIds.filter((id) => !filling.has(id));
    if (missing.length > 0) {
      const batch = fill(missing);
      for (const id of missing) {
        const one = batch.then((all) => all.get(id) ?? new Map<string, SectionCount>());
        filling.set(id, one);
        void one.finally(() => filling.delete(id)).catch(() => undefined);
      }
    }
    // Every promise is taken before the first await: a settled fill leaves `filling` at once, so
    // looking an event up after awaiting another would find nothing.
    const pending = eventIds.map((id) => filling.get(id)!);
    const counts = await Promise.all(pending);
    return new Map(eventIds.map((id, index) => [id, counts[index]!]));
  }

  return {
    async counts(eventIds, options = {}) {
      if (eventIds.length === 0) return new Map();
      const cached = await fastPath("read availability", () =>
        together(eventIds.flatMap((eventId) => [redis.hgetall(keys.availability(eventId)), redis.pttl(keys.availability(eventId))])),
      );
      const result = new Map<string, EventCounts>();
      const missing: string[] = [];
      eventIds.forEach((eventId, index) => {
        const hash = cached?.[2 * index]?.[1] as Record<string, string> | undefined;
        if (!hash || Object.keys(hash).length === 0) {
          missing.push(eventId);
          return;
        }
        refreshIfEnding(eventId, Number(cached?.[2 * index + 1]?.[1] ?? -1));
        const counts: EventCounts = new Map();
        for (const [field, value] of Object.entries(hash)) {
          if (field.includes(":")) continue;
          const expiry = hash[`${field}:expiry`];
          counts.set(field, {
            available: Math.max(0, Number(value)),
            total: Number(hash[`${field}:total`] ?? value),
            nextExpiryMs: expiry === undefined ? null : Number(expiry),
          });
        }
        result.set(eventId, counts);
      });
      if (missing.length > 0) {
        const filled =
          cached !== null
            ? await fillOnce(missing)
            : options.sharedRecount
              ? new Map(await Promise.all(missing.map(async (eventId) => [eventId, await recounts.get(eventId)] as const)))
              : toByEvent(missing, await countAvailability(pool, missing));
        for (const [eventId, counts] of filled) result.set(eventId, counts);
      }
      return result;
    },
    adjust(eventId, sectionId, delta) {
      return adjustTogether(eventId, { sectionId, delta });
    },
    async set(eventId, sectionId, available) {
      await fastPath("set availability", () => runScript(redis, SET, 1, keys.availability(eventId), sectionId, available));
      return available;
    },
    async noteExpiry(eventId, sectionId, expiresAt) {
      await fastPath("note expiry", () => runScript(redis, NOTE_EXPIRY, 1, keys.availability(eventId), `${sectionId}:expiry`, expiresAt.getTime()));
    },
    async available(eventId, sectionId) {
      const counts = await this.counts([eventId], { sharedRecount: true });
      return counts.get(eventId)?.get(sectionId)?.available ?? 0;
    },
  };

  function toCount(row: AvailabilityRow): SectionCount {
    return { available: row.available, total: row.total, nextExpiryMs: row.nextExpiry ? row.nextExpiry.getTime() : null };
  }

  function toByEvent(eventIds: readonly string[], rows: readonly AvailabilityRow[]): Map<string, EventCounts> {
    const byEvent = new Map<string, EventCounts>(eventIds.map((id) => [id, new Map()]));
    for (const row of rows) byEvent.get(row.eventId)?.set(row.sectionId, toCount(row));
    return byEvent;
  }
}
