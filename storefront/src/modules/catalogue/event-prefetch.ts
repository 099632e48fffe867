import { loadEventReads, prefetchEventPage } from "../../app/route-chunks";

/**
 * Which event pages a list of event cards (the home page, search results) prefetches, and when: what
 * big storefronts do so the page a fan opens next is already on the device. Once the list is shown
 * and the browser is idle, the event page's chunks come first (route-chunks.ts), then the two reads
 * (event and seat map; prefetched-events.ts keeps them) of the first CARDS_PREFETCHED cards at least
 * half in view, in page order, one event at a time, each when the browser is idle, at low fetch
 * priority. Scrolling other cards into view prefetches theirs, within LIST_BUDGET per list shown.
 * No data on a connection that asks to save data or is 2G-slow (the Network Information API; where
 * it is missing, as in Firefox and Safari, the list prefetches); the chunks follow route-chunks.ts's
 * own rule (not with Save-Data). Small, and in the home page's chunk: the code that fetches is in the
 * event page's, loaded with its chunks.
 */

/**
 * Cards whose pages are prefetched: the first in view. A desktop screen shows 7 cards of the grid at
 * 1280×860 (4 a row), a phone 1–2: the fan's next click is most likely one of these. The seeded
 * arena's two reads are ~33 KB, the other venues' less.
 */
export const CARDS_PREFETCHED = 8;
/** At most this many events' reads per list shown, however far the fan scrolls. */
export const LIST_BUDGET = 16;

/** What navigator.connection says about the line (Chromium's Network Information API). */
export interface ConnectionHints {
  saveData?: boolean;
  effectiveType?: string;
}

/** False when the fan asked to save data, or the line is 2G-slow: a prefetch would cost them what they may never open. */
export function prefetchAllowed(connection: ConnectionHints | undefined): boolean {
  if (!connection) return true;
  return !connection.saveData && connection.effectiveType !== "2g" && connection.effectiveType !== "slow-2g";
}

/** The event ids of the first `count` cards of `inView`, in page order, each once. */
export function firstInView(inView: Iterable<[Element, string]>, count: number): string[] {
  const ids: string[] = [];
  const ordered = [...inView].sort(([a], [b]) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  for (const [, eventId] of ordered) {
    if (ids.length === count) break;
    if (!ids.includes(eventId)) ids.push(eventId);
  }
  return ids;
}

/** Cards at least half in view, with their event ids. */
const inView = new Map<Element, string>();
let observer: IntersectionObserver | null = null;
/** The list currently prefetching, told when cards come into view. */
let active: { schedule(): void } | null = null;

/** Watches an event card for the list's prefetch; returns a function that stops watching it. */
export function observeCard(element: Element, eventId: string): () => void {
  if (typeof IntersectionObserver !== "function") return () => {};
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const id = (entry.target as HTMLElement).dataset.eventId;
        if (entry.isIntersecting && id) inView.set(entry.target, id);
        else inView.delete(entry.target);
      }
      active?.schedule();
    },
    { threshold: 0.5 },
  );
  (element as HTMLElement).dataset.eventId = eventId;
  observer.observe(element);
  return () => {
    observer?.unobserve(element);
    inView.delete(element);
  };
}

/**
 * Starts the list's prefetch (call once its cards are shown); returns a function that stops it (the
 * list goes away). A click on a card cancels the prefetches still under way (event-reads.ts).
 */
export function prefetchListedEvents(): () => void {
  if (!prefetchAllowed((navigator as Navigator & { connection?: ConnectionHints }).connection)) return prefetchEventPage();
  let prefetch: ((eventId: string) => Promise<void>) | null = null;
  let cancelled = false;
  let running = false;
  let waiting: (() => void) | null = null;
  let budget = LIST_BUDGET;
  const asked = new Set<string>();

  const run = () => {
    waiting = null;
    if (cancelled || running || !prefetch || budget === 0) return;
    const eventId = firstInView(inView, CARDS_PREFETCHED).find((id) => !asked.has(id));
    if (eventId === undefined) return;
    asked.add(eventId);
    budget--;
    running = true;
    void prefetch(eventId).finally(() => {
      running = false;
      schedule();
    });
  };
  // One event at a time, each when the browser has nothing else to do (or after a second at most).
  const schedule = () => {
    if (cancelled || running || waiting || !prefetch) return;
    if (typeof window.requestIdleCallback === "function") {
      const idle = window.requestIdleCallback(run, { timeout: 1_000 });
      waiting = () => window.cancelIdleCallback(idle);
    } else {
      const timer = setTimeout(run, 200);
      waiting = () => clearTimeout(timer);
    }
  };
  const list = { schedule };
  active = list;
  const stopChunks = prefetchEventPage(() => {
    void loadEventReads().then((reads) => {
      prefetch = reads.prefetchEventReads;
      schedule();
    });
  });
  return () => {
    cancelled = true;
    stopChunks();
    waiting?.();
    if (active === list) active = null;
  };
}
