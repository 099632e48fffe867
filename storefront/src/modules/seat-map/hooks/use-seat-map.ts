import { useApolloClient } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { fetchGraphQL } from "../../../app/graphql-fetch";
import { SEAT_STATUS_CHANGED, type SeatMapSection, type SeatStatusChange } from "../graphql";
import { SEAT_MAP } from "../seat-map-query";
import { SeatStore } from "../seat-store";

export interface SeatMapState {
  store: SeatStore | null;
  error: string | null;
  /** Latest available count per section, from live changes (for counts beside the map). */
  availability: Map<string, number>;
}

/**
 * Loads every seat of the event once (with the small fetch client, outside Apollo and its cache:
 * flat arrays, no 18,000 cache objects) and keeps it live from seatStatusChanged. The subscription starts first and buffers, so a
 * change that lands while the map is loading is applied after it, in order, and never lost.
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

    const subscription = client
      .subscribe<{ seatStatusChanged: SeatStatusChange }>({ query: SEAT_STATUS_CHANGED, variables: { eventId } })
      .subscribe({
        next: (result) => {
          const change = result.data?.seatStatusChanged;
          if (!change) return;
          if (store) apply(change);
          else buffered.push(change);
        },
        error: () => {
          // The socket reconnects on its own; the map may be stale until then, so say so.
          if (!cancelled) setState((previous) => ({ ...previous, error: "Live seat updates paused: reconnecting…" }));
        },
      });

    const controller = new AbortController();
    fetchGraphQL<{ event: { id: string; seatMap: SeatMapSection[] } | null }>(SEAT_MAP, { eventId }, { signal: controller.signal })
      .then((data) => {
        if (cancelled) return;
        const sections = data.event?.seatMap;
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
      controller.abort();
      subscription.unsubscribe();
      if (countsTimer) clearTimeout(countsTimer);
    };
  }, [client, eventId]);

  return state;
}
