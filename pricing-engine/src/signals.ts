/**
 * Reads the demand signals of a tick from Redis (layout: redis-contract.ts): per section, views, seats
 * held, released and sold over the last whole minutes; per event, the waiting room's depth now and its
 * joins per minute. One pipeline per tick, whatever the number of sections.
 *
 * Missing data must not read as "no demand" (that would drop prices): the epoch key says since when
 * Redis has kept the counters. Minutes that began before it are unknown and left out of the window; if
 * no minute of the window is known (Redis restarted empty, was flushed, or this is the engine's first
 * minute) or Redis cannot be reached, the reading is null and every section holds its price (NO_SIGNAL).
 */
import type { Redis } from "ioredis";
import { DEMAND_FIELD, QUEUE_JOINS_FIELD, demandMinute, type PricingKeys } from "./redis-contract.js";
import type { DemandWindow } from "./strategy.js";

export interface EventDemand {
  queueDepth: number;
  queueJoinsPerMinute: number;
  /** By section id; a section with no counts in the window is absent (all zero). */
  sections: Map<string, DemandWindow>;
}

export interface DemandReading {
  /** Whole minutes the window covers (1..windowMinutes). */
  minutes: number;
  byEvent: Map<string, EventDemand>;
}

export function emptyWindow(minutes: number): DemandWindow {
  return { minutes, views: 0, holdsPlaced: 0, holdsReleased: 0, seatsSold: 0 };
}

export async function readDemand(
  redis: Redis,
  keys: PricingKeys,
  eventIds: readonly string[],
  nowMs: number,
  windowMinutes: number,
): Promise<DemandReading | null> {
  const current = demandMinute(nowMs);
  const pipeline = redis.pipeline();
  // First use (or after a data loss): the epoch starts now, and this tick has no known minute.
  pipeline.set(keys.demandEpoch, String(nowMs), "NX");
  pipeline.get(keys.demandEpoch);
  const minutes = Array.from({ length: windowMinutes }, (_, index) => current - windowMinutes + index);
  for (const eventId of eventIds) {
    for (const minute of minutes) pipeline.hgetall(keys.demandBucket(eventId, minute));
    pipeline.zcard(keys.waitingQueue(eventId));
    pipeline.zcard(keys.waitingPreQueue(eventId));
  }
  const replies = await pipeline.exec();
  if (!replies || replies.some(([error]) => error)) return null;
  const epoch = Number(replies[1]![1]);
  // A minute is known when the counters were being kept from its first millisecond.
  const known = minutes.map((minute) => minute * 60_000 >= epoch);
  const knownMinutes = known.filter(Boolean).length;
  if (!Number.isFinite(epoch) || knownMinutes === 0) return null;

  const byEvent = new Map<string, EventDemand>();
  let reply = 2;
  for (const eventId of eventIds) {
    const sections = new Map<string, DemandWindow>();
    let joins = 0;
    for (const [index] of minutes.entries()) {
      const bucket = replies[reply++]![1] as Record<string, string>;
      if (!known[index]) continue;
      for (const [field, raw] of Object.entries(bucket)) {
        const count = Number(raw);
        if (field === QUEUE_JOINS_FIELD) {
          joins += count;
          continue;
        }
        const split = field.lastIndexOf(":");
        const kind = FIELD_KIND.get(field.slice(split + 1));
        if (!kind) continue;
        const sectionId = field.slice(0, split);
        const window = sections.get(sectionId) ?? emptyWindow(knownMinutes);
        window[kind] += count;
        sections.set(sectionId, window);
      }
    }
    const queueDepth = Number(replies[reply++]![1]) + Number(replies[reply++]![1]);
    byEvent.set(eventId, { queueDepth, queueJoinsPerMinute: joins / knownMinutes, sections });
  }
  return { minutes: knownMinutes, byEvent };
}

const FIELD_KIND = new Map(Object.entries(DEMAND_FIELD).map(([kind, field]) => [field, kind as keyof typeof DEMAND_FIELD]));
