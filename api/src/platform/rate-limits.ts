/**
 * Rate limits on Redis (rate-limiter-flexible), shared by every API process. Each limiter counts
 * points per key in a fixed window; while Redis is away an in-memory limiter per process takes over
 * rather than letting everyone through. A refusal is an expected failure: RATE_LIMITED with the
 * seconds until the key may try again.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { DomainError } from "./errors.js";
import type { RedisKeys } from "./redis-keys.js";
import type { Redis } from "./redis.js";

export interface LimitRule {
  /** Part of the Redis key prefix: names what is counted (`login-address`). */
  name: string;
  /** Points allowed per window; one point per attempt. */
  points: number;
  windowSeconds: number;
  /** Once over the limit, the key stays refused this long (then starts again from zero); 0 = until the window ends. */
  blockSeconds?: number;
}

export type Limiter = RateLimiterRedis;

export function createLimiter(redis: Redis, keys: RedisKeys, rule: LimitRule): Limiter {
  const options = { points: rule.points, duration: rule.windowSeconds, blockDuration: rule.blockSeconds ?? 0 };
  return new RateLimiterRedis({
    ...options,
    storeClient: redis,
    keyPrefix: `${keys.rateLimit}${rule.name}`,
    // Redis away: each process limits on its own rather than letting everyone through.
    insuranceLimiter: new RateLimiterMemory(options),
  });
}

/**
 * Takes one point from `key`; RATE_LIMITED (with retryAfterSeconds ≥ 1) when that goes over the limit.
 * The point is taken before the work it guards, so attempts made at the same time all count.
 */
export async function consumeOrRefuse(limiter: Limiter, key: string): Promise<DomainError<"RATE_LIMITED"> | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rateLimitRefusal(rejection.msBeforeNext);
    throw rejection;
  }
}

/** The refusal of a key whose window ends in `msBeforeNext` ms (also for limits counted inside a Lua script). */
export function rateLimitRefusal(msBeforeNext: number): DomainError<"RATE_LIMITED"> {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return { code: "RATE_LIMITED", message: `too many attempts; try again in ${seconds} s`, retryAfterSeconds: seconds };
}
