import type { ApolloClient } from "@apollo/client";
import { client } from "../../app/apollo";
import { startSeatMapFeed, type SeatMapFeed } from "../seat-map/seat-map-feed";
import { EVENT_PAGE, type EventPageData } from "./graphql";
import { cancelPrefetches, prefetchEvent, takePrefetchedEvent } from "./prefetched-events";

/** The event page's two reads, under way. */
export interface EventReads {
  /** The seat map's feed, for useSeatMap to take. */
  feed: SeatMapFeed;
  /** The event, for the page to take. */
  event: EventRead;
}

/** The event's read, and the copy prefetched before the click if there is one. */
export interface EventRead {
  /** The event (null: not found); rejects as Apollo's query does. */
  fresh: Promise<EventPageData | null>;
  /** A copy fetched up to a minute before (prefetched-events.ts), to show until `fresh` is in; null without one. */
  prefetched: Promise<EventPageData | null> | null;
}

/**
 * Reads the event as its page shows it. Not through Apollo's cache ("no-cache"): writing the answer
 * there and reading it back took ~0.5 s at 4× slower CPU before the seat map could be drawn (issue 27),
 * and nothing else on the page reads the event from the cache. Live prices come on top (useLivePrices).
 */
export function readEvent(apollo: ApolloClient, eventId: string): Promise<EventPageData | null> {
  return apollo.query<{ event: EventPageData | null }>({ query: EVENT_PAGE, variables: { id: eventId }, fetchPolicy: "no-cache" }).then((result) => result.data?.event ?? null);
}

/**
 * Starts what the event page reads first, from the press of an event's link or a moment before it
 * (event-preload.ts): the seat map's feed and the event, both kept for the page to take — the event's
 * answer too, so one that comes before the page mounts (the pointer rested on the link longer than a
 * round trip) is used rather than asked for again. Always fresh reads: a copy the list prefetched is
 * handed on beside them to draw from until they are in, never instead of them.
 */
export function startEventReads(eventId: string): EventReads {
  const copy = takePrefetchedEvent(eventId);
  // The other cards' prefetches still under way would share the line with these reads.
  cancelPrefetches();
  const feed = startSeatMapFeed(client, eventId, copy?.sections ?? null);
  const fresh = readEvent(client, eventId);
  // A failure is the page's to report, when it takes the read.
  fresh.catch(() => undefined);
  return { feed, event: { fresh, prefetched: copy?.event ?? null } };
}

/** Prefetches `eventId`'s reads for a later click (prefetched-events.ts); resolves once they are in or failed. */
export function prefetchEventReads(eventId: string): Promise<void> {
  return prefetchEvent(eventId);
}
