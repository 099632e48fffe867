/**
 * Live updates across API processes: type-graphql's PubSub interface over graphql-redis-subscriptions,
 * so a subscriber on one process receives what any other process publishes. Payloads are plain JSON
 * (dates arrive as ISO strings). Topics are typed; each maps to one Redis channel per event, built in
 * redis-keys.ts (the prefix is applied here because RedisPubSub's triggerTransform only runs on subscribe).
 * Messages published to one channel in the same turn of the event loop (a PostgreSQL batch of holds)
 * travel as one Redis message holding an array; subscribers receive them one by one, in order.
 */
import { RedisPubSub } from "graphql-redis-subscriptions";
import type { PubSub } from "type-graphql";
import type { RedisKeys } from "./redis-keys.js";
import { createRedis, type Redis } from "./redis.js";
import { createTickBatch } from "./tick-batch.js";

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
  const publishTogether = createTickBatch<unknown, void>(async (name, messages) => {
    await redisPubSub.publish(name, messages.length === 1 ? messages[0] : messages);
    return messages.map(() => undefined);
  });
  return {
    publish(routingKey: string, ...args: unknown[]) {
      void redisPubSub.publish(routingKey, args[0]);
    },
    subscribe(routingKey: string, dynamicId?: unknown) {
      const topic = routingKey as Topic;
      return oneByOne(redisPubSub.asyncIterableIterator(channel(topic, String(dynamicId))));
    },
    publishTo(topic, eventId, message) {
      return publishTogether(channel(topic, eventId), message);
    },
    async close() {
      await redisPubSub.close();
    },
  };
}

/**
 * The messages of a subscription one at a time, arrays (messages published together) unpacked.
 * Written as an iterator rather than an async generator so that ending the subscription unsubscribes
 * at once: a generator waiting for the next message would only see its return() after that message.
 */
function oneByOne(messages: AsyncIterator<unknown>): AsyncIterableIterator<unknown> {
  const waiting: unknown[] = [];
  const iterator: AsyncIterableIterator<unknown> = {
    async next() {
      while (waiting.length === 0) {
        const result = await messages.next();
        if (result.done) return result;
        if (Array.isArray(result.value)) waiting.push(...(result.value as unknown[]));
        else return result;
      }
      return { done: false, value: waiting.shift() };
    },
    return(value?: unknown) {
      waiting.length = 0;
      return messages.return ? messages.return(value) : Promise.resolve({ done: true, value });
    },
    throw(error?: unknown) {
      waiting.length = 0;
      return messages.throw ? messages.throw(error) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
