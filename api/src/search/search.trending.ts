/**
 * Demand counters for the TRENDING sort: every hold, sale and event-page view adds weight to the
 * event in an hourly Redis sorted set (kept 26 hours); "trending" is the last 24 hours summed with
 * weights halving every 6 hours, so recent demand counts most. Keys share the `{trending}` hash tag
 * (one Redis Cluster shard, so ZUNIONSTORE is legal). Counting never fails a request.
 */
import type { Logger } from "../platform/logger.js";
import type { RedisKeys } from "../platform/redis-keys.js";
import type { Redis } from "../platform/redis.js";

const HOUR_MS = 3_600_000;
const HOURS = 24;
const HALF_LIFE_HOURS = 6;
const CACHE_MS = 30_000;

export const DEMAND_WEIGHT = { view: 0.2, held: 1, sold: 2 } as const;

export interface Trending {
  record(eventId: string, weight: number): void;
  /** Event ids by trending score, highest first (at most `limit`). */
  top(limit: number): Promise<string[]>;
}

export function createTrending(redis: Redis, keys: RedisKeys, logger: Logger): Trending {
  const key = keys.trendingHour;
  let cached: { at: number; limit: number; ids: Promise<string[]> } | null = null;
  let lastWarning = 0;
  return {
    record(eventId, weight) {
      const hourKey = key(Math.floor(Date.now() / HOUR_MS));
      redis
        .multi()
        .zincrby(hourKey, weight, eventId)
        .pexpire(hourKey, (HOURS + 2) * HOUR_MS)
        .exec()
        .catch((error: unknown) => {
          if (Date.now() - lastWarning > 60_000) {
            lastWarning = Date.now();
            logger.warn({ err: error }, "demand counter not recorded");
          }
        });
    },
    top(limit) {
      if (cached && Date.now() - cached.at < CACHE_MS && cached.limit >= limit) return cached.ids.then((ids) => ids.slice(0, limit));
      const now = Math.floor(Date.now() / HOUR_MS);
      const hours = Array.from({ length: HOURS }, (_, age) => now - age);
      const weights = hours.map((_, age) => 0.5 ** (age / HALF_LIFE_HOURS));
      const aggregate = keys.trendingSum;
      const ids = (async () => {
        await redis.zunionstore(aggregate, hours.length, ...hours.map(key), "WEIGHTS", ...weights);
        await redis.pexpire(aggregate, CACHE_MS * 2);
        return redis.zrevrange(aggregate, 0, limit - 1);
      })();
      ids.catch(() => (cached = null));
      cached = { at: Date.now(), limit, ids };
      return ids;
    },
  };
}
