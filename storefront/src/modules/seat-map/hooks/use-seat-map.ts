import { useApolloClient } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { takePreloadedSeatMap } from "../../catalogue/event-preload";
import type { SeatStatusChange } from "../graphql";
import { startSeatMapFeed } from "../seat-map-feed";
import { revalidateStore, SeatStore } from "../seat-store";

export interface SeatMapState {
  store: SeatStore | null;
  error: string | null;
  /** Latest available count per section, from live changes (for counts beside the map). */
  availability: Map<string, number>;
}

/**
 * Loads every seat of the event once and keeps it live from seatStatusChanged (seat-map-feed.ts: the
 * subscription starts first, then the read). The feed is the one the click on the event's link started
 * if there is one (catalogue/event-preload.ts), else its own. Changes that land while the map is
 * loading are buffered and applied after it, in order, and never lost. When the click brought a copy
 * prefetched from the home page (the feed's `prefetched`), the map is drawn from it at once and
 * corrected when the fresh read arrives (revalidateStore: the read, then every change since the feed
 * started); a fresh read that comes first wins and the copy is ignored.
 * Section counts are passed on at most twice a second so a busy on-sale cannot storm React.
 */
export function useSeatMap(eventId: string): SeatMapState {
  const client = useApolloClient();
  const [state, setState] = useState<SeatMapState>({ store: null, error: null, availability: new Map() });

  useEffect(() => {
    let store: SeatStore | null = null;
    let cancelled = false;
    // Every change since the feed started, until the fresh read is in: replayed onto it (buffered
    // until then when there is no map yet).
    let changes: SeatStatusChange[] | null = [];
    const counts = new Map<string, number>();
    let countsTimer: ReturnType<typeof setTimeout> | null = null;

    const flushCounts = () => {
      countsTimer = null;
      if (!cancelled) setState((previous) => ({ ...previous, availability: new Map(counts) }));
    };
    const apply = (change: SeatStatusChange) => {
      if (change.row !== null && change.number !== null && store) store.apply({ sectionId: change.sectionId, row: change.row, number: change.number }, change.status);
      counts.set(change.sectionId, change.available);
      countsTimer ??= setTimeout(flushCounts, 500);
    };

    const feed = takePreloadedSeatMap(eventId) ?? startSeatMapFeed(client, eventId);
    feed.listen(
      (change) => {
        changes?.push(change);
        if (store) apply(change);
      },
      // The socket reconnects on its own; the map may be stale until then, so say so.
      () => {
        if (!cancelled) setState((previous) => ({ ...previous, error: "Live seat updates paused: reconnecting…" }));
      },
    );

    feed.prefetched?.then(
      (sections) => {
        if (cancelled || store || changes === null || !sections) return;
        const building = performance.now();
        store = new SeatStore(sections);
        performance.measure("seat map: store built from a prefetched copy", { start: building });
        for (const change of changes) apply(change);
        setState((previous) => ({ ...previous, store }));
      },
      // No copy after all: the fresh read draws the map.
      () => undefined,
    );

    feed.sections
      .then((sections) => {
        if (cancelled) return;
        const since = changes ?? [];
        changes = null;
        if (!sections) {
          setState((previous) => ({ ...previous, store: null, error: "This event's seat map could not be loaded." }));
          return;
        }
        const building = performance.now();
        if (store) {
          store = revalidateStore(store, sections, since);
          // In the browser's performance timeline (devtools, and e2e/seat-map.test.ts).
          performance.measure("seat map: revalidated", { start: building });
        } else {
          store = new SeatStore(sections);
          // In the browser's performance timeline (devtools, and e2e/seat-map.test.ts's breakdown).
          performance.measure("seat map: store built", { start: building });
          for (const change of since) apply(change);
        }
        // A new state object even when the store was refreshed in place: the page re-renders its counts and filters.
        setState((previous) => ({ ...previous, store, error: null }));
      })
      .catch(() => {
        changes = null;
        if (cancelled) return;
        // A copy on screen stays (the server checks every hold), but the fan is told it may be out of date.
        setState((previous) => ({
          ...previous,
          error: previous.store ? "Seat availability could not be refreshed: some seats shown as free may be taken. Reload to try again." : "This event's seat map could not be loaded. Reload to try again.",
        }));
      });

    return () => {
      cancelled = true;
      feed.stop();
      if (countsTimer) clearTimeout(countsTimer);
    };
  }, [client, eventId]);

  return state;
}
