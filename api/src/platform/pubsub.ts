/**
 * Live updates across API processes: type-graphql's PubSub interface over graphql-redis-subscriptions,
 * so a subscriber on one process receives what any other process publishes. Payloads are plain JSON
 * (dates arrive as ISO strings). Topics are typed; each maps to one Redis channel per event, built in
 * redis-keys.ts (the prefix is applied here because RedisPubSub's triggerTransform only runs on subscribe).
 */
import { RedisPubSub } from "graphql-redis-subscriptions";
import type { PubSub } from "type-graphql";
import type { RedisKeys } from "./redis-keys.js";
import { createRedis, type Redis } from "./redis.js";

export interface SeatStatusMessage {
  eventId: string;
  sectionId: string;
  seatId: string | null;
  status: "AVAILABLE" | "HELD" | "SOLD" | "BLOCKED";
  available: number;
}

export interface SectionPriceMessage {
  eventId: string;
  sectionId: string;
  priceMinor: number;
  currency: string;
}

/** Something changed in an event's waiting room: every subscriber re-reads its own ticket. */
export interface QueueMessage {
  eventId: string;
  kind: "ADMITTED" | "LEFT" | "CLOSED";
  count: number;
  /** When the scheduler published it (ms), to measure delivery delay. */
  at: number;
}

export interface Topics {
  SEAT_STATUS: SeatStatusMessage;
  SECTION_PRICE: SectionPriceMessage;
  QUEUE: QueueMessage;
}

export type Topic = keyof Topics;

export interface LivePubSub extends PubSub {
  publishTo<T extends Topic>(topic: T, eventId: string, message: Topics[T]): Promise<void>;
  close(): Promise<void>;
}

export function createPubSub(redisUrl: string, keys: RedisKeys, onError: (connection: string) => (error: Error) => void): LivePubSub {
  const publisher: Redis = createRedis(redisUrl, "api-publisher", onError("api-publisher"));
  const subscriber: Redis = createRedis(redisUrl, "api-subscriber", onError("api-subscriber"));
  const redisPubSub = new RedisPubSub({ publisher, subscriber });
  const channel = (topic: Topic, eventId: string) =>
    topic === "SEAT_STATUS" ? keys.seatStatusChannel(eventId) : topic === "QUEUE" ? keys.queueChannel(eventId) : keys.sectionPriceChannel(eventId);
  return {
    publish(routingKey: string, ...args: unknown[]) {
      void redisPubSub.publish(routingKey, args[0]);
    },
    subscribe(routingKey: string, dynamicId?: unknown) {
      const topic = routingKey as Topic;
      return redisPubSub.asyncIterableIterator(channel(topic, String(dynamicId))) as AsyncIterable<unknown>;
    },
    publishTo(topic, eventId, message) {
      return redisPubSub.publish(channel(topic, eventId), message);
    },
    async close() {
      await redisPubSub.close();
    },
  };
}
