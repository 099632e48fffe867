import { loadedEventReads, loadEventReads } from "../../app/route-chunks";
import type { SeatMapFeed } from "../seat-map/seat-map-feed";
import type { EventRead } from "./event-reads";

/**
 * The event page's two reads, started at the press of an event's link (or a moment before it: a
 * pointer resting on the link, focus staying on it; preloadOnIntent) rather than once the page has
 * rendered: between the two, a lazy route renders and focus moves, which at 4× slower CPU was 0.6 s
 * or more before the first request left (issue 27, the seat map drawn < 1 s after the click on slow
 * 4G). Both are kept here by event id: the event's read, taken by the event page, and the seat map's
 * feed (live changes first, then the read), taken by useSeatMap. A feed nobody takes within a few
 * seconds (the fan did not get to the page) is stopped. Small, and on the
 * home page: the code that starts the reads is in the event page's chunks (route-chunks.ts), which the
 * home page prefetches once idle.
 */

/** How long a started feed waits for its page. */
const KEEP_MS = 10_000;

interface Preload {
  /** Set once the reads have started (the chunks that start them are loaded); null again once taken. */
  feed: SeatMapFeed | null;
  event: EventRead | null;
  /** Which of the two the page has taken (the entry goes once both are). */
  taken: Set<Read>;
  timer: ReturnType<typeof setTimeout>;
}

const preloads = new Map<string, Preload>();

/** Starts the event page's reads for `eventId`, unless they were started moments ago. */
export function preloadEvent(eventId: string): void {
  if (preloads.has(eventId)) return;
  const preload: Preload = {
    feed: null,
    event: null,
    taken: new Set(),
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
    ({ feed: preload.feed, event: preload.event } = loaded.startEventReads(eventId));
    return;
  }
  loadEventReads().then(
    ({ startEventReads }) => {
      if (preloads.get(eventId) !== preload) return;
      // The page came first and started its own reads: none here.
      if (preload.taken.size > 0) {
        preload.taken.add("feed").add("event");
        settle(eventId, preload);
        return;
      }
      ({ feed: preload.feed, event: preload.event } = startEventReads(eventId));
    },
    // The chunk did not load: the page loads it for real, and reports it.
    () => {
      clearTimeout(preload.timer);
      if (preloads.get(eventId) === preload) preloads.delete(eventId);
    },
  );
}

/**
 * How long a mouse pointer rests on an event's link (or keyboard focus stays on it) before the event
 * page's reads start: a fan about to click rests there ~0.2–0.3 s before pressing, so the reads are
 * that much closer to done at the click (on slow 4G one round trip is 0.56 s); a pointer crossing
 * the list on its way elsewhere passes a card in less.
 */
export const INTENT_MS = 80;

/** The event whose reads the last intent started, while nobody has taken them. */
let intended: string | null = null;

/**
 * Starts `eventId`'s reads on a sign of intent (INTENT_MS of hover or focus). Only the latest intent
 * keeps its reads: those of the card the pointer rested on before are stopped (their download
 * cancelled if it is still under way), so moving along a list fetches one seat map at a time.
 */
export function preloadOnIntent(eventId: string): void {
  if (intended !== null && intended !== eventId) {
    const previous = preloads.get(intended);
    if (previous) {
      preloads.delete(intended);
      clearTimeout(previous.timer);
      previous.feed?.stop();
    }
  }
  intended = eventId;
  preloadEvent(eventId);
}

/**
 * The seat map's feed the click started for `eventId`, once (the taker stops it); null if there is
 * none, or if its chunk is still loading (the page then starts its own, and this one never starts).
 */
export function takePreloadedSeatMap(eventId: string): SeatMapFeed | null {
  return take(eventId, "feed");
}

/** The event's read the click started for `eventId` (with a prefetched copy if there was one), once; null as takePreloadedSeatMap. */
export function takePreloadedEvent(eventId: string): EventRead | null {
  return take(eventId, "event");
}

type Read = "feed" | "event";

/** Hands one of `eventId`'s reads to the page, once. */
function take<K extends Read>(eventId: string, read: K): Preload[K] | null {
  const preload = preloads.get(eventId);
  if (!preload || preload.taken.has(read)) return null;
  preload.taken.add(read);
  const value = preload[read];
  preload[read] = null as Preload[K];
  settle(eventId, preload);
  return value;
}

/** Forgets `preload` once the page has taken both its reads (or found them not started). */
function settle(eventId: string, preload: Preload): void {
  if (preload.taken.size < 2) return;
  preloads.delete(eventId);
  clearTimeout(preload.timer);
  if (intended === eventId) intended = null;
}
