/**
 * The reads an event link's press starts: once per event while kept, handed over once, stopped when
 * nobody takes them, and never started when the page has already started its own. The browser case
 * (the request leaving before the route renders) is e2e/seat-map.test.ts's slow 4G test.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SeatMapFeed } from "../seat-map/seat-map-feed";

const started: { eventId: string; feed: SeatMapFeed & { stopped: boolean } }[] = [];
let loaded = true;
let resolveLoad: (() => void) | null = null;
const reads = {
  startEventReads: (eventId: string) => {
    const feed = { sections: Promise.resolve(null), prefetched: null, listen: () => {}, stopped: false, stop: () => void (feed.stopped = true) };
    started.push({ eventId, feed });
    return { feed, event: { fresh: Promise.resolve(null), prefetched: null } };
  },
};
vi.mock("../../app/route-chunks", () => ({
  loadedEventReads: () => (loaded ? reads : null),
  loadEventReads: () => new Promise((resolve) => (resolveLoad = () => resolve(reads))),
}));
const { preloadEvent, preloadOnIntent, takePreloadedEvent, takePreloadedSeatMap } = await import("./event-preload");

beforeEach(() => {
  vi.useFakeTimers();
  started.length = 0;
  loaded = true;
});
afterEach(() => {
  vi.runOnlyPendingTimers();
  vi.useRealTimers();
});

describe("event preload", () => {
  it("starts the reads at once, once per event, and hands the feed over once", () => {
    preloadEvent("e1");
    preloadEvent("e1");
    expect(started.map((item) => item.eventId)).toEqual(["e1"]);
    expect(takePreloadedSeatMap("e2")).toBeNull();
    expect(takePreloadedSeatMap("e1")).toBe(started[0]!.feed);
    expect(takePreloadedSeatMap("e1")).toBeNull();
    vi.advanceTimersByTime(60_000);
    expect(started[0]!.feed.stopped).toBe(false);
  });

  it("hands the event's read over once, beside the feed, and forgets the reads once both are taken", async () => {
    preloadEvent("e9");
    const event = takePreloadedEvent("e9");
    expect(event!.fresh).toBeInstanceOf(Promise);
    expect(await event!.fresh).toBeNull();
    expect(takePreloadedEvent("e9")).toBeNull();
    expect(takePreloadedSeatMap("e9")).toBe(started[0]!.feed);
    // Both taken: a later press starts new reads.
    preloadEvent("e9");
    expect(started.map((item) => item.eventId)).toEqual(["e9", "e9"]);
  });

  it("stops a feed nobody took after a few seconds", () => {
    preloadEvent("e3");
    vi.advanceTimersByTime(10_000);
    expect(started[0]!.feed.stopped).toBe(true);
    expect(takePreloadedSeatMap("e3")).toBeNull();
  });

  it("does not start the reads once the page, finding them still loading, has started its own", async () => {
    loaded = false;
    preloadEvent("e4");
    expect(takePreloadedSeatMap("e4")).toBeNull();
    resolveLoad!();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([]);
  });

  it("keeps only the latest intent's reads: resting on another card stops the previous card's, not a pressed one's", () => {
    preloadOnIntent("e5");
    preloadOnIntent("e5");
    preloadOnIntent("e6");
    expect(started.map((item) => item.eventId)).toEqual(["e5", "e6"]);
    expect(started[0]!.feed.stopped).toBe(true);
    expect(takePreloadedSeatMap("e5")).toBeNull();
    // Pressed (taken by its page), then another card hovered: the taken feed is the page's, left running.
    expect(takePreloadedSeatMap("e6")).toBe(started[1]!.feed);
    preloadOnIntent("e7");
    expect(started[1]!.feed.stopped).toBe(false);
    // A press on a card that was not hovered leaves the hovered one's reads alone.
    preloadEvent("e8");
    expect(started[2]!.feed.stopped).toBe(false);
    expect(takePreloadedSeatMap("e7")).toBe(started[2]!.feed);
    expect(takePreloadedSeatMap("e8")).toBe(started[3]!.feed);
  });
});
