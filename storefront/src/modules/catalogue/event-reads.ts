import { client } from "../../app/apollo";
import { startSeatMapFeed, type SeatMapFeed } from "../seat-map/seat-map-feed";
import { EVENT_PAGE } from "./graphql";

/**
 * Starts what the event page reads first, from the click on an event's link (event-preload.ts): the
 * seat map's feed, returned for useSeatMap to take, and the event.
 *
 * The event is asked for as the page asks for it (EVENT_PAGE, "no-cache"), so the page's useQuery,
 * mounting while the answer is on its way, joins the request in flight: Apollo sends identical
 * queries once. Should the answer come before the page asks (a fast network), the page asks again:
 * one read more, never a stale one.
 */
export function startEventReads(eventId: string): SeatMapFeed {
  const feed = startSeatMapFeed(client, eventId);
  // A failure is the page's to report, from its own query.
  client.query({ query: EVENT_PAGE, variables: { id: eventId }, fetchPolicy: "no-cache" }).catch(() => undefined);
  return feed;
}
