/**
 * The queuePositionChanged fan-out of one API process. Every message on an event's queue channel
 * ("something changed: re-read your ticket") used to make each subscriber run its own GraphQL
 * execution and its own Redis read: 10,000 subscribers, 10,000 of each. Here the process keeps the
 * event's subscribers together and, per message:
 *   1. reads every subscriber's ticket with VIEWS, 1,000 tokens a call (a few ms of Redis each, so
 *      other commands are not held up for long), all at the same room snapshot per call;
 *   2. computes each view with viewOf, the function queueStatus uses;
 *   3. renders each distinct payload once: subscribers whose documents are the same and whose views
 *      agree on the fields those documents select share one rendering (`render`, the compiled
 *      subscription run on a root that carries the view — the resolver returns it as it is).
 * A subscriber whose ticket or event cannot be read this way (no such ticket, bad arguments, Redis
 * failing) gets the ordinary resolver run on the plain message, so its answer — data or typed
 * error — is the one the general path gives. Messages are handled one at a time per event, in order,
 * and each subscriber receives one result per message, as with the general path.
 */
import { GraphQLError, type ExecutionResult } from "graphql";
import type { Logger } from "../platform/logger.js";
import type { LivePubSub, QueueMessage } from "../platform/pubsub.js";
import type { RedisKeys } from "../platform/redis-keys.js";
import type { RoomEventRow } from "./waiting-room.db.js";
import type { RoomScripts, RoomSnapshot, TicketRead } from "./waiting-room.scripts.js";
import { viewOf, type TicketView, type ViewSources } from "./waiting-room.view.js";

/** Tokens read per VIEWS call. */
const READ_CHUNK = 1_000;

const VIEW = Symbol("queue ticket view");

/** The root the fan-out hands the resolver: the message, and this subscriber's view already computed. */
export type RootWithView = QueueMessage & { [VIEW]: TicketView };

/** The view the fan-out computed for this root, if it did (a symbol: nothing published over Redis can carry one). */
export function precomputedView(root: unknown): TicketView | undefined {
  return typeof root === "object" && root !== null ? (root as Partial<RootWithView>)[VIEW] : undefined;
}

export interface FanOutSubscription {
  eventId: string;
  queueToken: string;
  /** Same key ⇔ same document and operation: equal views then render equally. */
  documentKey: string;
  /** The ticket fields the document selects (a view's projection on them decides its rendering), or null for "all of them". */
  selectedFields: readonly string[] | null;
  /** Runs the subscription's operation on a root (the message, or the message with a view). */
  render(root: QueueMessage | RootWithView): Promise<ExecutionResult> | ExecutionResult;
}

export interface QueueFanOutDependencies extends ViewSources {
  pubsub: LivePubSub;
  keys: RedisKeys;
  scripts: Pick<RoomScripts, "views">;
  events: { get(eventId: string): Promise<RoomEventRow | null> };
  logger: Logger;
}

export interface QueueFanOut {
  subscribe(subscription: FanOutSubscription): AsyncIterableIterator<ExecutionResult>;
  /** Subscribers per event now (tests). */
  subscribers(eventId: string): number;
  /** Messages fanned out and operations rendered for them with a view, since the process started (tests). */
  counts(): { messages: number; renderings: number };
}

interface Subscriber {
  subscription: FanOutSubscription;
  push(result: ExecutionResult): void;
}

export function createQueueFanOut(deps: QueueFanOutDependencies): QueueFanOut {
  const rooms = new Map<string, { subscribers: Set<Subscriber>; messages: AsyncIterableIterator<unknown> }>();
  const counts = { messages: 0, renderings: 0 };

  function join(subscriber: Subscriber): void {
    const { eventId } = subscriber.subscription;
    const existing = rooms.get(eventId);
    if (existing) {
      existing.subscribers.add(subscriber);
      return;
    }
    const room = { subscribers: new Set([subscriber]), messages: deps.pubsub.subscribe("QUEUE", eventId) as AsyncIterableIterator<unknown> };
    rooms.set(eventId, room);
    void (async () => {
      try {
        for await (const message of room.messages) await deliver(eventId, [...room.subscribers], message as QueueMessage);
      } catch (error) {
        deps.logger.warn({ err: error, eventId }, "queue fan-out stopped");
      }
    })();
  }

  function leave(subscriber: Subscriber): void {
    const { eventId } = subscriber.subscription;
    const room = rooms.get(eventId);
    if (!room || !room.subscribers.delete(subscriber) || room.subscribers.size > 0) return;
    rooms.delete(eventId);
    void room.messages.return?.();
  }

  async function deliver(eventId: string, subscribers: Subscriber[], message: QueueMessage): Promise<void> {
    const views = await readViews(eventId, subscribers).catch((error: unknown) => {
      deps.logger.warn({ err: error, eventId }, "queue fan-out could not read tickets; each subscriber reads its own");
      return new Map<string, TicketView | null>();
    });
    counts.messages++;
    const rendered = new Map<string, Promise<ExecutionResult> | ExecutionResult>();
    for (const subscriber of subscribers) {
      const { subscription } = subscriber;
      const view = views.get(subscription.queueToken);
      let result: Promise<ExecutionResult> | ExecutionResult;
      if (!view) result = subscription.render(message);
      else {
        const key = `${subscription.documentKey}\u0000${payloadKey(view, subscription.selectedFields)}`;
        let shared = rendered.get(key);
        if (!shared) {
          counts.renderings++;
          shared = subscription.render({ ...message, [VIEW]: view });
          rendered.set(key, shared);
        }
        result = shared;
      }
      if (result instanceof Promise) {
        result.then(subscriber.push, (error: unknown) =>
          subscriber.push({ errors: [new GraphQLError(error instanceof Error ? error.message : String(error), { originalError: error instanceof Error ? error : undefined })] }),
        );
      } else subscriber.push(result);
    }
    await Promise.allSettled(rendered.values());
  }

  /** Each distinct token's view; tokens of no ticket (or that queueStatus would refuse) are left out. */
  async function readViews(eventId: string, subscribers: Subscriber[]): Promise<Map<string, TicketView | null>> {
    const views = new Map<string, TicketView | null>();
    const event = await deps.events.get(eventId);
    if (!event || !event.waitingRoomEnabled) return views;
    const tokens = [...new Set(subscribers.map((subscriber) => subscriber.subscription.queueToken))].filter((token) => token.length > 0 && token.length <= 100);
    const keys = deps.keys.waitingRoom(eventId);
    for (let at = 0; at < tokens.length; at += READ_CHUNK) {
      const chunk = tokens.slice(at, at + READ_CHUNK);
      const read: { snapshot: RoomSnapshot; tickets: TicketRead[] } = await deps.scripts.views(keys, chunk);
      const computed = await Promise.all(chunk.map((token, index) => viewOf(deps, event, token, read.snapshot, read.tickets[index]!)));
      chunk.forEach((token, index) => views.set(token, computed[index]!));
    }
    return views;
  }

  return {
    subscribe(subscription) {
      const results: ExecutionResult[] = [];
      let waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
      let done = false;
      const subscriber: Subscriber = {
        subscription,
        push(result) {
          if (done) return;
          if (waiting) {
            const resolve = waiting;
            waiting = null;
            resolve({ done: false, value: result });
          } else results.push(result);
        },
      };
      const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
        if (!done) {
          done = true;
          results.length = 0;
          leave(subscriber);
          waiting?.({ done: true, value: undefined });
          waiting = null;
        }
        return { done: true, value: undefined };
      };
      const iterator: AsyncIterableIterator<ExecutionResult> = {
        next() {
          if (results.length > 0) return Promise.resolve({ done: false, value: results.shift()! });
          if (done) return Promise.resolve({ done: true, value: undefined });
          return new Promise((resolve) => (waiting = resolve));
        },
        return: finish,
        throw: finish,
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      join(subscriber);
      return iterator;
    },
    subscribers: (eventId) => rooms.get(eventId)?.subscribers.size ?? 0,
    counts: () => ({ ...counts }),
  };
}

/** What of a view a document shows: the selected fields' values (JSON: dates as ISO strings, as rendered). */
function payloadKey(view: TicketView, fields: readonly string[] | null): string {
  if (!fields) return JSON.stringify(view);
  return JSON.stringify(fields.map((field) => (view as unknown as Record<string, unknown>)[field] ?? null));
}
