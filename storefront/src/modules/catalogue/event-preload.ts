import { loadedEventReads, loadEventReads } from "../../app/route-chunks";
import type { SeatMapFeed } from "../seat-map/seat-map-feed";

/**
 * The event page's two reads, started at the click on an event's link rather than once the page has
 * rendered: between the two, a lazy route renders and focus moves, which at 4× slower CPU was 0.6 s
 * or more before the first request left (issue 27, the seat map drawn < 1 s after the click on slow
 * 4G). The event (EVENT_PAGE) goes through Apollo, so the page's own query joins the one in flight
 * (Apollo sends one request for identical queries) or finds the answer in the cache; the seat map's
 * feed (live changes first, then the read) is kept here by event id and taken by useSeatMap. A feed
 * nobody takes within a few seconds (the fan did not get to the page) is stopped. Small, and on the
 * home page: the code that starts the reads is in the event page's chunks (route-chunks.ts), which the
 * home page prefetches once idle.
 */

/** How long a started feed waits for its page. */
const KEEP_MS = 10_000;

interface Preload {
  /** Set once the reads have started (the chunks that start them are loaded). */
  feed: SeatMapFeed | null;
  timer: ReturnType<typeof setTimeout>;
}

const preloads = new Map<string, Preload>();

/** Starts the event page's reads for `eventId`, unless they were started moments ago. */
export function preloadEvent(eventId: string): void {
  if (preloads.has(eventId)) return;
  const preload: Preload = {
    feed: null,
    timer: setTimeout(() => {
      if (preloads.get(eventId) !== preload) return;
      preloads.delete(eventId);
      preload.feed?.stop();
    }, KEEP_MS),
  };
  preloads.set(eventId, preload);
  // Prefetched with the event page (route-chunks.ts): started now, before the click's own work (the
  // route's render) rather than after it, as a promise of the loaded module would.
  const loaded = loadedEventReads();
  if (loaded) {
    preload.feed = loaded.startEventReads(eventId);
    return;
  }
  loadEventReads().then(
    ({ startEventReads }) => {
      if (preloads.get(eventId) === preload) preload.feed = startEventReads(eventId);
    },
    // The chunk did not load: the page loads it for real, and reports it.
    () => {
      clearTimeout(preload.timer);
      if (preloads.get(eventId) === preload) preloads.delete(eventId);
    },
  );
}

/**
 * The seat map's feed the click started for `eventId`, once (the taker stops it); null if there is
 * none, or if its chunk is still loading (the page then starts its own, and this one never starts).
 */
export function takePreloadedSeatMap(eventId: string): SeatMapFeed | null {
  const preload = preloads.get(eventId);
  if (!preload) return null;
  preloads.delete(eventId);
  clearTimeout(preload.timer);
  return preload.feed;
}
