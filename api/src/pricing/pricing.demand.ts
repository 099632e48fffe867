/**
 * Demand signals for the pricing engine, written by the API on its hot paths: per section per minute,
 * seat-map views, seats/places held, released or expired, and sold; per event, waiting-room joins
 * (the queue's depth the engine reads from the room itself). Layout: pricing-engine/src/redis-contract.ts.
 *
 * Cost on the hot path is one Map increment: counts are summed in memory and flushed every
 * DEMAND_FLUSH_MS in one pipeline (HINCRBY per field that moved, one EXPIRE per bucket), so a hold costs
 * no Redis command of its own, however busy the sale (bench:holds measures it with the signals on and
 * off). A flush never blocks a request and never fails one: when Redis is slow or down the counts of
 * that second are dropped with a warning (at most one a minute). Up to a second of counts is lost
 * when the process dies; the engine reads minutes, not seconds, so it barely notices. A minute's counts
 * from several API processes add up in the same hash.
 */
import {
  DEMAND_BUCKET_TTL_SECONDS,
  QUEUE_JOINS_FIELD,
  demandField,
  demandMinute,
  type DemandKind,
} from "@boxoffice/pricing-engine/redis-contract";
import type { Logger } from "../platform/logger.js";
import type { RedisKeys } from "../platform/redis-keys.js";
import type { Redis } from "../platform/redis.js";

export const DEMAND_FLUSH_MS = 1_000;

export interface DemandSignals {
  /** `count` seats or places of one section moved this way just now. */
  section(eventId: string, sectionId: string, kind: DemandKind, count?: number): void;
  /** A fan joined the event's waiting room. */
  queueJoin(eventId: string): void;
  /** Sends what is pending now (tests; shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Signals that go nowhere: DEMAND_SIGNALS=off (bench:holds compares the hot path with and without). */
export const NO_DEMAND_SIGNALS: DemandSignals = {
  section() {},
  queueJoin() {},
  flush: async () => {},
  close: async () => {},
};

export function createDemandSignals(redis: Redis, keys: RedisKeys, logger: Logger, flushMs = DEMAND_FLUSH_MS): DemandSignals {
  /** bucket key → field → count, for the minute each count happened in. */
  let pending = new Map<string, Map<string, number>>();
  let lastWarning = 0;

  function add(eventId: string, field: string, count: number): void {
    if (!(count > 0)) return;
    const bucket = keys.demandBucket(eventId, demandMinute(Date.now()));
    let fields = pending.get(bucket);
    if (!fields) pending.set(bucket, (fields = new Map()));
    fields.set(field, (fields.get(field) ?? 0) + count);
  }

  async function flush(): Promise<void> {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const pipeline = redis.pipeline();
    for (const [bucket, fields] of batch) {
      for (const [field, count] of fields) pipeline.hincrby(bucket, field, count);
      pipeline.expire(bucket, DEMAND_BUCKET_TTL_SECONDS);
    }
    try {
      const replies = (await pipeline.exec()) ?? [];
      const failed = replies.find(([error]) => error);
      if (failed) throw failed[0];
    } catch (error) {
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        logger.warn({ err: error }, "demand signals not recorded (the pricing engine holds prices without them)");
      }
    }
  }

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();
  return {
    section: (eventId, sectionId, kind, count = 1) => add(eventId, demandField(sectionId, kind), count),
    queueJoin: (eventId) => add(eventId, QUEUE_JOINS_FIELD, 1),
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
