/**
 * The dynamic imports of the pages that need more than the home page, in one place, so App.tsx's
 * routes and the home page's prefetch fetch the same chunks. The home page is most fans' first page
 * and the event page usually their next: once the home page shows its events and the browser is
 * idle, the event page's chunks (its own with the seat map, Apollo, and the code that starts its
 * reads at the click: catalogue/event-preload.ts) are fetched and evaluated, so a click on an event
 * waits only for the event's data (and that too is prefetched for the cards in view:
 * catalogue/event-prefetch.ts). Not on a connection that asks to save data. The home page's budget
 * (e2e/build.test.ts) does not count these: they are fetched after the page is up, never before it.
 */
export const loadApolloPage = () => import("./ApolloPage");
export const loadEventPage = () => import("../modules/catalogue/components/EventPage");
/** What the click on an event's link starts before the page renders (catalogue/event-preload.ts). */
type EventReads = typeof import("../modules/catalogue/event-reads");
let eventReads: EventReads | null = null;
export const loadEventReads = (): Promise<EventReads> => import("../modules/catalogue/event-reads").then((module) => (eventReads = module));
/** The module of loadEventReads once loaded, so the click can start the reads at once, not a task later. */
export const loadedEventReads = () => eventReads;

/** How long to wait for the browser to be idle before prefetching anyway. */
const IDLE_TIMEOUT_MS = 2_000;

/**
 * Fetches the event page's chunks once the window has loaded and the browser is idle, then calls
 * `loaded` (if the chunks loaded and nothing was cancelled); returns a function that cancels what has
 * not started.
 */
export function prefetchEventPage(loaded?: () => void): () => void {
  const connection = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection;
  if (connection?.saveData) return () => {};
  let cancelled = false;
  let idle: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const fetchChunks = () => {
    if (cancelled) return;
    // A failure here is the click's to report, when it loads the chunk for real.
    void Promise.all([loadApolloPage(), loadEventPage(), loadEventReads()]).then(
      () => !cancelled && loaded?.(),
      () => undefined,
    );
  };
  const whenIdle = () => {
    if (cancelled) return;
    if (typeof window.requestIdleCallback === "function") idle = window.requestIdleCallback(fetchChunks, { timeout: IDLE_TIMEOUT_MS });
    else timer = setTimeout(fetchChunks, IDLE_TIMEOUT_MS / 2);
  };
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true });
  return () => {
    cancelled = true;
    window.removeEventListener("load", whenIdle);
    if (idle !== null) window.cancelIdleCallback(idle);
    if (timer !== null) clearTimeout(timer);
  };
}
