import type { ApolloClient } from "@apollo/client";
import { fetchGraphQL } from "../../app/graphql-fetch";
import { SEAT_STATUS_CHANGED, type SeatMapSection, type SeatStatusChange } from "./graphql";
import { SEAT_MAP } from "./seat-map-query";

/**
 * The seat map's two sources for one event, started together: the live seatStatusChanged
 * subscription first, then the whole map read once (with the small fetch client, outside Apollo and
 * its cache: flat arrays, no 18,000 cache objects). Changes that arrive before anyone listens are kept
 * and handed over, in order, to the first listener. Started by useSeatMap, or earlier, at the click on
 * an event's link (catalogue/event-preload.ts), and then handed to useSeatMap.
 */
export interface SeatMapFeed {
  /** The map's sections; null when the event has none (or is not found). Rejects as fetchGraphQL does. */
  readonly sections: Promise<SeatMapSection[] | null>;
  /**
   * A copy of the map prefetched before the click (catalogue/prefetched-events.ts, at most a minute
   * old), to draw until `sections` is in; null without one. Read before this feed's subscription
   * started, so only `sections` with the changes since the start is the map as it is.
   */
  readonly prefetched: Promise<SeatMapSection[] | null> | null;
  /** Receives every change since the feed started (kept ones first), and a subscription error. */
  listen(onChange: (change: SeatStatusChange) => void, onError: () => void): void;
  /** Ends the subscription and cancels the read if it is still under way. */
  stop(): void;
}

export function startSeatMapFeed(client: ApolloClient, eventId: string, prefetched: Promise<SeatMapSection[] | null> | null = null): SeatMapFeed {
  const kept: SeatStatusChange[] = [];
  let failed = false;
  let listener: { onChange: (change: SeatStatusChange) => void; onError: () => void } | null = null;
  const subscription = client
    .subscribe<{ seatStatusChanged: SeatStatusChange }>({ query: SEAT_STATUS_CHANGED, variables: { eventId } })
    .subscribe({
      next: (result) => {
        const change = result.data?.seatStatusChanged;
        if (!change) return;
        if (listener) listener.onChange(change);
        else kept.push(change);
      },
      error: () => {
        failed = true;
        listener?.onError();
      },
    });
  const controller = new AbortController();
  const sections = fetchGraphQL<{ event: { id: string; seatMap: SeatMapSection[] } | null }>(SEAT_MAP, { eventId }, { signal: controller.signal }).then(
    (data) => data.event?.seatMap ?? null,
  );
  // A preloaded feed nobody took is stopped unread: its failure is nobody's to report.
  sections.catch(() => undefined);
  return {
    sections,
    prefetched,
    listen(onChange, onError) {
      listener = { onChange, onError };
      for (const change of kept.splice(0)) onChange(change);
      if (failed) onError();
    },
    stop() {
      controller.abort();
      subscription.unsubscribe();
    },
  };
}
