/**
 * What a partner key may spend: every request is charged its query cost, the way Shopify meters its
 * GraphQL API, so a partner asking for 100 events with their sections pays for them and one asking
 * for a name pays almost nothing.
 *
 * - Requested cost: the cost the request gate computed (platform/graphql-limits.ts: objects 1, a page
 *   `first` × its selection), plus 10 for each mutation field (Shopify's weight of a mutation).
 * - Charged before anything runs; refused with RATE_LIMITED and `retryAfterSeconds` when the key's
 *   budget cannot cover it.
 * - Actual cost: after the request ran, the objects it really returned (a page of 3 when 100 were asked
 *   for) plus the mutation weight; the unused part is given back.
 * - Every answer carries `extensions.cost { requestedQueryCost, actualQueryCost, throttleStatus {
 *   maximumAvailable, currentlyAvailable, restoreRate } }`.
 *
 * The budget is a rate-limiter-flexible limiter in Redis, shared by every API process: a window of
 * PARTNER_BUDGET_POINTS points per PARTNER_BUDGET_WINDOW_SECONDS per key (1,000 points per 20 s by
 * default: 50 points a second on average, bursts up to 1,000), with `reward` for the refund. It is a
 * fixed window rather than Shopify's continuously leaking bucket (the library has no leaky bucket):
 * the sustained rate is the same, and a burst across a window's edge can reach twice the points.
 * While Redis is away each process keeps its own budget (the library's insurance limiter).
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { RedisKeys } from "../platform/redis-keys.js";
import type { Redis } from "../platform/redis.js";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  /** Points per second given back on average. */
  restoreRate: number;
}

export interface CostReport {
  requestedQueryCost: number;
  actualQueryCost: number;
  throttleStatus: ThrottleStatus;
}

export type Charge = { ok: true; status: ThrottleStatus } | { ok: false; retryAfterSeconds: number; status: ThrottleStatus };

export interface PartnerBudget {
  /** The most one request may cost: the whole budget. */
  readonly maximum: number;
  charge(keyId: string, cost: number): Promise<Charge>;
  /** Gives back what a request did not use; answers the key's status afterwards. */
  refund(keyId: string, points: number, status: ThrottleStatus): Promise<ThrottleStatus>;
}

export function createPartnerBudget(redis: Redis, keys: RedisKeys, options: { points: number; windowSeconds: number }): PartnerBudget {
  const limits = { points: options.points, duration: options.windowSeconds };
  const limiter = new RateLimiterRedis({ ...limits, storeClient: redis, keyPrefix: `${keys.rateLimit}partner-key`, insuranceLimiter: new RateLimiterMemory(limits) });
  const restoreRate = options.points / options.windowSeconds;
  const status = (remaining: number): ThrottleStatus => ({ maximumAvailable: options.points, currentlyAvailable: Math.max(0, remaining), restoreRate });

  return {
    maximum: options.points,
    async charge(keyId, cost) {
      try {
        const taken = await limiter.consume(keyId, cost);
        return { ok: true, status: status(taken.remainingPoints) };
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // The refused request took nothing: put back what consume counted.
        const after = await limiter.reward(keyId, cost);
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), status: status(after.remainingPoints) };
      }
    },
    async refund(keyId, points, current) {
      if (points <= 0) return current;
      const after = await limiter.reward(keyId, points);
      return status(after.remainingPoints);
    },
  };
}

/**
 * The objects a response's data returned (scalars are free), not counting the data object itself: the
 * actual cost of what came back, in the units the requested cost counts.
 */
export function returnedObjects(data: unknown): number {
  return Math.max(0, countObjects(data) - 1);
}

function countObjects(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countObjects(item), 0);
  let count = 1;
  for (const field of Object.values(value)) count += countObjects(field);
  return count;
}
