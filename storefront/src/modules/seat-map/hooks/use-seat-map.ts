import { useApolloClient } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { takePreloadedSeatMap } from "../../catalogue/event-preload";
import type { SeatStatusChange } from "../graphql";
import { startSeatMapFeed } from "../seat-map-feed";
import { SeatStore } from "../seat-store";

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
 * loading are buffered and applied after it, in order, and never lost.
 * Section counts are passed on at most twice a second so a busy on-sale cannot storm React.
 */
export function useSeatMap(eventId: string): SeatMapState {
  const client = useApolloClient();
  const [state, setState] = useState<SeatMapState>({ store: null, error: null, availability: new Map() });

  useEffect(() => {
    let store: SeatStore | null = null;
    let cancelled = false;
    const buffered: SeatStatusChange[] = [];
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
        if (store) apply(change);
        else buffered.push(change);
      },
      // The socket reconnects on its own; the map may be stale until then, so say so.
      () => {
        if (!cancelled) setState((previous) => ({ ...previous, error: "Live seat updates paused: reconnecting…" }));
      },
    );

    feed.sections
      .then((sections) => {
        if (cancelled) return;
        if (!sections) {
          setState((previous) => ({ ...previous, error: "This event's seat map could not be loaded." }));
          return;
        }
        const building = performance.now();
        store = new SeatStore(sections);
        // In the browser's performance timeline (devtools, and e2e/seat-map.test.ts's breakdown).
        performance.measure("seat map: store built", { start: building });
        for (const change of buffered.splice(0)) apply(change);
        setState((previous) => ({ ...previous, store, error: null }));
      })
      .catch(() => {
        if (!cancelled) setState((previous) => ({ ...previous, error: "This event's seat map could not be loaded. Reload to try again." }));
      });

    return () => {
      cancelled = true;
      feed.stop();
      if (countsTimer) clearTimeout(countsTimer);
    };
  }, [client, eventId]);

  return state;
}
