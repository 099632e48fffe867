import { print } from "graphql";
import { DEFAULT_POLICY } from "../../app/backoff";
import { fetchGraphQL } from "../../app/graphql-fetch";
import { onTokenChange } from "../../app/session";
import type { SeatMapSection } from "../seat-map/graphql";
import { SEAT_MAP } from "../seat-map/seat-map-query";
import { EVENT_PAGE, type EventPageData } from "./graphql";

/**
 * Copies of event pages' two reads (the event and its seat map), fetched while a list of events is on
 * screen and the browser is idle (event-prefetch.ts decides which and when), so a click on a card
 * draws the page at once instead of after a round trip and 33 KB on a slow line (issue 27: on slow 4G
 * the arena's data alone came ~0.9 s after the click). A copy is only a head start: the click always
 * sends fresh reads too (event-reads.ts), which replace it as they come (stale-while-revalidate;
 * seat-store.ts's revalidateStore for the map), and the page's live updates apply throughout.
 *
 * Bounded three ways: at most KEPT copies (the oldest is dropped), a copy older than MAX_AGE_MS is
 * never drawn (the page waits for its fresh read as without one), and the requests go at low fetch
 * priority without outage retries or the busy banner (a prefetch that fails is simply not there).
 */

/** A copy older than this is not drawn: seat availability in an on-sale changes by the second. */
export const MAX_AGE_MS = 60_000;
/** Copies kept: the first cards in view (event-prefetch.ts asks for no more at a time). */
export const KEPT = 8;

export interface PrefetchedEvent {
  /** When the reads were sent (Date.now()): the copy is at least this old. */
  readonly sentAt: number;
  /** The event; null when it was not found. */
  readonly event: Promise<EventPageData | null>;
  /** The seat map's sections; null when the event has none. */
  readonly sections: Promise<SeatMapSection[] | null>;
}

interface Copy extends PrefetchedEvent {
  controller: AbortController;
  /** Both reads settled (either way). */
  settled: boolean;
}

/** By event id, oldest first (Map keeps insertion order). */
const copies = new Map<string, Copy>();

const OPTIONS = { policy: { ...DEFAULT_POLICY, maxRetries: 0 }, priority: "low" } as const;

let eventPageText: string | null = null;

/**
 * Fetches `eventId`'s two reads unless a copy younger than MAX_AGE_MS is kept or coming; resolves once
 * both are in (or failed: a failed copy is forgotten). Marks "event prefetched: <id>" in the browser's
 * performance timeline when both are in.
 */
export function prefetchEvent(eventId: string): Promise<void> {
  const kept = copies.get(eventId);
  if (kept && Date.now() - kept.sentAt < MAX_AGE_MS) return Promise.allSettled([kept.event, kept.sections]).then(() => undefined);
  if (kept) forget(eventId);
  const controller = new AbortController();
  const options = { ...OPTIONS, signal: controller.signal };
  eventPageText ??= print(EVENT_PAGE);
  const event = fetchGraphQL<{ event: EventPageData | null }>(eventPageText, { id: eventId }, options).then((data) => data.event);
  const sections = fetchGraphQL<{ event: { seatMap: SeatMapSection[] } | null }>(SEAT_MAP, { eventId }, options).then((data) => data.event?.seatMap ?? null);
  const copy: Copy = { sentAt: Date.now(), event, sections, controller, settled: false };
  copies.set(eventId, copy);
  for (const oldest of copies.keys()) {
    if (copies.size <= KEPT) break;
    forget(oldest);
  }
  return Promise.all([event, sections]).then(
    () => {
      copy.settled = true;
      performance.mark(`event prefetched: ${eventId}`);
    },
    () => {
      copy.settled = true;
      if (copies.get(eventId) === copy) forget(eventId);
    },
  );
}

/**
 * `eventId`'s copy for its page to draw from while its fresh reads are under way, once (the page's own
 * reads supersede it); null if there is none or it is older than MAX_AGE_MS. A copy still coming is
 * handed over too: the page uses it only if it arrives before the fresh reads.
 */
export function takePrefetchedEvent(eventId: string): PrefetchedEvent | null {
  const copy = copies.get(eventId);
  if (!copy) return null;
  copies.delete(eventId);
  if (Date.now() - copy.sentAt < MAX_AGE_MS) return copy;
  copy.controller.abort();
  return null;
}

/** Cancels the prefetches still under way (the fan chose an event: the line is its reads'). */
export function cancelPrefetches(): void {
  for (const [eventId, copy] of copies) if (!copy.settled) forget(eventId);
}

function forget(eventId: string): void {
  copies.get(eventId)?.controller.abort();
  copies.delete(eventId);
}

// Copies were read with the previous account's token: none is handed to the next.
onTokenChange(() => {
  for (const eventId of [...copies.keys()]) forget(eventId);
});
