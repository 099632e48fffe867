import { useEffect, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useFetchQuery } from "../../../app/graphql-fetch";
import { describeFailure } from "../../../shared/errors";
import { CATEGORY_LABELS } from "../../../shared/format";
import { useDocumentTitle } from "../../../shared/use-document-title";
import { prefetchListedEvents } from "../event-prefetch";
import type { EventCardData } from "../graphql";
import { HOME_EVENTS } from "../home-events";
import { EventCard } from "./EventCard";

/**
 * Upcoming and on-sale events, with a search box and category shortcuts. The first page most fans
 * open: it fetches with the small fetch client, not Apollo (app/graphql-fetch.ts says why).
 */
export function HomePage() {
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const { data, loading, error } = useFetchQuery<{ events: { edges: { node: EventCardData }[] } }>(HOME_EVENTS, { first: 50 });
  const events = data?.events.edges.map((edge) => edge.node) ?? [];
  const onSale = events.filter((event) => event.status === "ON_SALE" || event.status === "SOLD_OUT");
  const upcoming = events.filter((event) => event.status === "SCHEDULED");
  useDocumentTitle("Tickets for concerts, sports, theatre and more");
  // Once the events are on screen (never competing with their own read), the event page's chunks,
  // then the data of the events in view (event-prefetch.ts).
  const shown = data !== undefined;
  useEffect(() => (shown ? prefetchListedEvents() : undefined), [shown]);

  function search(event: FormEvent) {
    event.preventDefault();
    navigate(text.trim() ? `/search?q=${encodeURIComponent(text.trim())}` : "/search");
  }

  return (
    <main className="page">
      <section className="hero">
        <h1>Live events, fair tickets</h1>
        <p>
          Concerts, sports, theatre and more — the price you see is the price you pay: every price includes all mandatory fees, with
          the breakdown one click away.
        </p>
        <form role="search" className="search-box" onSubmit={search}>
          <label className="visually-hidden" htmlFor="home-search">
            Search events
          </label>
          <input
            id="home-search"
            type="search"
            placeholder="Artist, team, show or venue"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <button className="primary" type="submit">
            Search
          </button>
        </form>
        <nav aria-label="Categories" className="chips">
          {Object.entries(CATEGORY_LABELS).map(([value, label]) => (
            <button key={value} type="button" className="chip" onClick={() => navigate(`/search?category=${value}`)}>
              {label}
            </button>
          ))}
          <button type="button" className="chip" onClick={() => navigate("/search?near=me")}>
            Near me
          </button>
        </nav>
      </section>
      {error != null && (
        <p className="error" role="alert">
          {describeFailure(error)}
        </p>
      )}
      {loading && !data && <p aria-live="polite">Loading events…</p>}
      {/* Until the events have loaded (a slow answer, or retries while we are busy), an empty list would say "nothing on sale". */}
      {data && (
        <>
          <EventList title="On sale now" events={onSale} empty="Nothing is on sale right now." />
          <EventList title="Coming soon" events={upcoming} empty="No announced on-sales yet." />
        </>
      )}
    </main>
  );
}

function EventList({ title, events, empty }: { title: string; events: EventCardData[]; empty: string }) {
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {events.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="event-grid">
          {events.map((event) => (
            <EventCard key={event.id} event={event} />
          ))}
        </ul>
      )}
    </section>
  );
}
