/**
 * Live dashboard snapshots, shared per event inside one API process.
 *
 * How it works, for a newcomer:
 * - The first subscriber of an event opens a *feed* for it. The feed listens to the event's existing
 *   Redis channels (platform/pubsub.ts): SEAT_STATUS (seats held, sold, freed, blocked: a paid order
 *   publishes its seats as SOLD after commit), SECTION_PRICE (new prices) and QUEUE (admissions). It
 *   does not care what a message says: any message only means "the numbers changed".
 * - A change does not compute a snapshot at once for each message. The feed *coalesces*: it computes
 *   at most once per `minIntervalMs` (one second). The first change after a quiet second is computed
 *   immediately (a purchase shows within the SQL time, well under the 2 s promise); changes during a
 *   computation or within the second after it wait for one computation at the end of that second,
 *   which sees all of them. A stadium on-sale publishing thousands of seat changes a second still
 *   costs one snapshot a second per event.
 * - One computation serves every subscriber of the event in this process: each subscriber holds only
 *   the latest snapshot it has not read yet (a slow client skips intermediate ones, never queues them).
 * - A timer recomputes every `refreshMs` (five seconds) even without messages: queue numbers and
 *   "holds expiring in the next minutes" move with time alone, and it heals anything missed (a message
 *   published between the first computation and the Redis subscription becoming active).
 * - When the last subscriber leaves (client unsubscribes or its socket closes: graphql-ws calls the
 *   iterator's return()), the feed clears its timers and unsubscribes from Redis. `activeEvents()`
 *   lets tests check that nothing is left behind.
 * Other API processes run their own feeds for their own subscribers; Redis pub/sub tells each of them.
 */
import type { Logger } from "../platform/logger.js";
import type { LivePubSub, Topic } from "../platform/pubsub.js";

const TOPICS: readonly Topic[] = ["SEAT_STATUS", "SECTION_PRICE", "QUEUE"];

export interface DashboardFeeds<S> {
  /** The event's snapshots: the latest first (computed now if the feed is new), then a fresh one after changes. */
  follow(eventId: string): AsyncIterableIterator<S>;
  /** Events with at least one subscriber in this process. */
  activeEvents(): number;
  /** Ends every feed (process shutdown). */
  close(): void;
}

export interface DashboardFeedOptions<S> {
  pubsub: Pick<LivePubSub, "subscribe">;
  logger: Logger;
  /** The snapshot of an event; null when the event is gone (its subscribers are ended). */
  compute(eventId: string): Promise<S | null>;
  minIntervalMs?: number;
  refreshMs?: number;
}

/** One subscriber's end: the snapshot waiting to be read, or the reader waiting for one. */
interface Subscriber<S> {
  pending: S | undefined;
  waiting: ((result: IteratorResult<S>) => void) | null;
  ended: boolean;
}

interface Feed<S> {
  subscribers: Set<Subscriber<S>>;
  latest: S | undefined;
  /** A change arrived that no computation has seen yet. */
  dirty: boolean;
  computing: boolean;
  lastStartedAt: number;
  scheduled: ReturnType<typeof setTimeout> | null;
  refresh: ReturnType<typeof setInterval>;
  upstream: AsyncIterator<unknown>[];
  stopped: boolean;
}

export function createDashboardFeeds<S>(options: DashboardFeedOptions<S>): DashboardFeeds<S> {
  const minIntervalMs = options.minIntervalMs ?? 1_000;
  const refreshMs = options.refreshMs ?? 5_000;
  const feeds = new Map<string, Feed<S>>();

  function deliver(subscriber: Subscriber<S>, value: S): void {
    if (subscriber.waiting) {
      const resolve = subscriber.waiting;
      subscriber.waiting = null;
      resolve({ done: false, value });
    } else subscriber.pending = value;
  }

  function end(subscriber: Subscriber<S>): void {
    subscriber.ended = true;
    subscriber.pending = undefined;
    const resolve = subscriber.waiting;
    subscriber.waiting = null;
    resolve?.({ done: true, value: undefined });
  }

  /** Runs the computation now, or arms one timer for when the interval since the last one has passed. */
  function schedule(eventId: string, feed: Feed<S>): void {
    if (feed.stopped || feed.computing || feed.scheduled) return;
    const wait = Math.max(0, feed.lastStartedAt + minIntervalMs - Date.now());
    feed.scheduled = setTimeout(() => {
      feed.scheduled = null;
      void compute(eventId, feed);
    }, wait);
  }

  async function compute(eventId: string, feed: Feed<S>): Promise<void> {
    if (feed.stopped || !feed.dirty) return;
    feed.dirty = false;
    feed.computing = true;
    feed.lastStartedAt = Date.now();
    try {
      const value = await options.compute(eventId);
      if (feed.stopped) return;
      if (value === null) {
        for (const subscriber of feed.subscribers) end(subscriber);
        stop(eventId, feed);
        return;
      }
      feed.latest = value;
      for (const subscriber of feed.subscribers) deliver(subscriber, value);
    } catch (error) {
      // An outage: keep the last snapshot on screen and try again at the next change or refresh.
      options.logger.warn({ err: error, eventId }, "dashboard snapshot failed");
    } finally {
      feed.computing = false;
      if (feed.dirty) schedule(eventId, feed);
    }
  }

  function changed(eventId: string, feed: Feed<S>): void {
    feed.dirty = true;
    schedule(eventId, feed);
  }

  /** Reads one Redis channel until the feed stops; each message marks the feed changed. */
  async function listen(eventId: string, feed: Feed<S>, messages: AsyncIterator<unknown>): Promise<void> {
    try {
      for (;;) {
        const result = await messages.next();
        if (result.done || feed.stopped) return;
        changed(eventId, feed);
      }
    } catch (error) {
      if (!feed.stopped) options.logger.warn({ err: error, eventId }, "dashboard feed lost a channel; the periodic refresh continues");
    }
  }

  function start(eventId: string): Feed<S> {
    const feed: Feed<S> = {
      subscribers: new Set(),
      latest: undefined,
      dirty: true,
      computing: false,
      lastStartedAt: 0,
      scheduled: null,
      refresh: setInterval(() => changed(eventId, feed), refreshMs),
      upstream: [],
      stopped: false,
    };
    feeds.set(eventId, feed);
    for (const topic of TOPICS) {
      const messages = options.pubsub.subscribe(topic, eventId) as AsyncIterable<unknown>;
      const iterator = messages[Symbol.asyncIterator]();
      feed.upstream.push(iterator);
      void listen(eventId, feed, iterator);
    }
    schedule(eventId, feed);
    return feed;
  }

  function stop(eventId: string, feed: Feed<S>): void {
    if (feed.stopped) return;
    feed.stopped = true;
    clearInterval(feed.refresh);
    if (feed.scheduled) clearTimeout(feed.scheduled);
    feed.scheduled = null;
    if (feeds.get(eventId) === feed) feeds.delete(eventId);
    // return() unsubscribes from Redis and ends the pending next() of listen().
    for (const iterator of feed.upstream) void iterator.return?.().catch(() => undefined);
  }

  function follow(eventId: string): AsyncIterableIterator<S> {
    const feed = feeds.get(eventId) ?? start(eventId);
    const subscriber: Subscriber<S> = { pending: feed.latest, waiting: null, ended: false };
    feed.subscribers.add(subscriber);
    const leave = () => {
      end(subscriber);
      feed.subscribers.delete(subscriber);
      if (feed.subscribers.size === 0) stop(eventId, feed);
    };
    const iterator: AsyncIterableIterator<S> = {
      next() {
        if (subscriber.ended) return Promise.resolve({ done: true, value: undefined });
        if (subscriber.pending !== undefined) {
          const value = subscriber.pending;
          subscriber.pending = undefined;
          return Promise.resolve({ done: false, value });
        }
        return new Promise((resolve) => (subscriber.waiting = resolve));
      },
      return() {
        leave();
        return Promise.resolve({ done: true, value: undefined });
      },
      throw(error?: unknown) {
        leave();
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  return {
    follow,
    activeEvents: () => feeds.size,
    close() {
      for (const [eventId, feed] of [...feeds]) {
        for (const subscriber of feed.subscribers) end(subscriber);
        stop(eventId, feed);
      }
    },
  };
}
