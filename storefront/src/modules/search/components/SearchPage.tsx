import { useQuery } from "@apollo/client/react";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { describeFailure } from "../../../shared/errors";
import { CATEGORY_LABELS, formatMoney } from "../../../shared/format";
import { EventCard } from "../../catalogue/components/EventCard";
import { prefetchListedEvents } from "../../catalogue/event-prefetch";
import { CITIES, SEARCH_EVENTS, type City, type SearchResult } from "../graphql";
import { useDocumentTitle } from "../../../shared/use-document-title";

const PAGE_SIZE = 12;
const RADII = [10, 25, 50, 100, 250];

/** Search state lives in the URL, so results can be shared, reloaded and navigated back to. */
function useSearchState() {
  const [params, setParams] = useSearchParams();
  const list = (name: string) => (params.get(name) ?? "").split(",").filter(Boolean);
  const state = {
    text: params.get("q") ?? "",
    categories: list("category"),
    cities: list("city"),
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    price: params.get("price") ?? "",
    near: params.get("near") ?? "",
    radiusKm: Number(params.get("radius") ?? 50) || 50,
    sort: params.get("sort") ?? "",
  };
  function update(changes: Partial<Record<"q" | "category" | "city" | "from" | "to" | "price" | "near" | "radius" | "sort", string | null>>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: false });
  }
  return { state, update };
}

function toggle(values: string[], value: string): string {
  return (values.includes(value) ? values.filter((item) => item !== value) : [...values, value]).join(",");
}

function parseNear(near: string): { lat: number; lon: number } | null {
  const [lat, lon] = near.split(";").map(Number);
  return Number.isFinite(lat) && Number.isFinite(lon) && near.includes(";") ? { lat: lat!, lon: lon! } : null;
}

export function SearchPage() {
  const { state, update } = useSearchState();
  const [text, setText] = useState(state.text);
  const [locating, setLocating] = useState(false);
  const [locationError, setLocationError] = useState<string | null>(null);
  const cities = useQuery<{ cities: City[] }>(CITIES);
  useDocumentTitle(state.text ? `“${state.text}”: search events` : "Search events");
  useEffect(() => setText(state.text), [state.text]);

  // "near=me" asks the browser once, then stores the coordinates in the URL.
  useEffect(() => {
    if (state.near !== "me") return;
    if (!("geolocation" in navigator)) {
      setLocationError("Your browser cannot share its location: choose a city instead.");
      update({ near: null });
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        setLocationError(null);
        update({ near: `${position.coords.latitude.toFixed(4)};${position.coords.longitude.toFixed(4)}`, sort: "DISTANCE" });
      },
      () => {
        setLocating(false);
        setLocationError("We could not get your location: choose a city instead.");
        update({ near: null });
      },
      { timeout: 10_000, maximumAge: 600_000 },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.near]);

  const near = parseNear(state.near) ?? cities.data?.cities.find((city) => city.name === state.near)?.location ?? null;
  // Without a "From" date only upcoming events are listed (a past event would come first by date);
  // fixed when the page opens, so the query stays the same while the fan refines it.
  const [openedAt] = useState(() => new Date().toISOString());
  const input = useMemo(() => {
    const [min, max] = state.price.split("-").map((value) => (value === "" ? null : Number(value)));
    const sort = state.sort || (state.text ? "RELEVANCE" : near ? "DISTANCE" : "DATE");
    return {
      text: state.text || null,
      category: state.categories.length ? state.categories : null,
      city: state.cities.length ? state.cities : null,
      startsAfter: state.from ? new Date(`${state.from}T00:00:00`).toISOString() : openedAt,
      startsBefore: state.to ? new Date(`${state.to}T23:59:59`).toISOString() : null,
      // Facet bands are [from, to) in minor units; the filter's max is inclusive.
      price: state.price ? { min: min ?? null, max: max == null ? null : max - 1 } : null,
      near: near ? { lat: near.lat, lon: near.lon, radiusKm: state.radiusKm } : null,
      sort: (sort === "RELEVANCE" && !state.text) || (sort === "DISTANCE" && !near) ? "DATE" : sort,
      first: PAGE_SIZE,
    };
  }, [openedAt, state.text, state.categories.join(), state.cities.join(), state.from, state.to, state.price, near?.lat, near?.lon, state.radiusKm, state.sort]); // eslint-disable-line react-hooks/exhaustive-deps

  const { data, previousData, loading, error, fetchMore } = useQuery<{ searchEvents: SearchResult }>(SEARCH_EVENTS, {
    variables: { input },
    skip: state.near === "me",
  });
  const result = data?.searchEvents ?? previousData?.searchEvents;
  // Once results are shown, the pages of those in view, as on the home page (event-prefetch.ts).
  const shown = result !== undefined;
  useEffect(() => (shown ? prefetchListedEvents() : undefined), [shown]);
  // Price bands count minor units whatever the currency (the API does not convert): label them in a
  // currency only when every match is priced in it, else as plain amounts in each event's currency.
  const currencies = [...new Set(result?.hits.map((hit) => hit.event.currency) ?? [])];
  const bandCurrency = currencies.length === 1 && !result?.pageInfo.hasNextPage ? currencies[0]! : null;
  const facet = (field: string) => result?.facets.find((item) => item.field === field)?.buckets ?? [];

  function submit(event: FormEvent) {
    event.preventDefault();
    update({ q: text.trim() || null, sort: null });
  }

  async function showMore() {
    if (!result?.pageInfo.endCursor) return;
    await fetchMore({
      variables: { input: { ...input, after: result.pageInfo.endCursor } },
      updateQuery: (previous, { fetchMoreResult }) => ({
        searchEvents: {
          ...fetchMoreResult.searchEvents,
          hits: [...previous.searchEvents.hits, ...fetchMoreResult.searchEvents.hits],
        },
      }),
    });
  }

  return (
    <main className="page search-page">
      <h1>Search events</h1>
      <form role="search" className="search-box" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="search-text">
          Search events
        </label>
        <input id="search-text" type="search" placeholder="Artist, team, show or venue" value={text} onChange={(event) => setText(event.target.value)} />
        <button className="primary" type="submit">
          Search
        </button>
      </form>
      <div className="search-layout">
        <aside className="filters" aria-label="Filters">
          <FacetGroup
            title="Category"
            buckets={facet("category")}
            selected={state.categories}
            label={(value) => CATEGORY_LABELS[value] ?? value}
            onToggle={(value) => update({ category: toggle(state.categories, value) })}
          />
          <FacetGroup
            title="City"
            buckets={facet("city")}
            selected={state.cities}
            label={(value) => value}
            onToggle={(value) => update({ city: toggle(state.cities, value) })}
          />
          <FacetGroup
            // The API's bands and price filter are all-in (base + mandatory fees per ticket), as on every card.
            title="Price (all-in)"
            buckets={facet("price")}
            selected={state.price ? [state.price] : []}
            label={(value) => priceBandLabel(value, bandCurrency)}
            onToggle={(value) => update({ price: state.price === value ? null : value })}
            note={bandCurrency ? undefined : "In each event’s own currency, not converted."}
          />
          <fieldset>
            <legend>Dates</legend>
            <label>
              From
              <input type="date" value={state.from} onChange={(event) => update({ from: event.target.value })} />
            </label>
            <label>
              To
              <input type="date" value={state.to} onChange={(event) => update({ to: event.target.value })} />
            </label>
          </fieldset>
          <fieldset>
            <legend>Near</legend>
            <button type="button" onClick={() => update({ near: "me" })} disabled={locating}>
              {locating ? "Finding you…" : "Use my location"}
            </button>
            <label>
              or a city
              <select value={parseNear(state.near) ? "" : state.near} onChange={(event) => update({ near: event.target.value || null })}>
                <option value="">Anywhere</option>
                {cities.data?.cities.map((city) => (
                  <option key={`${city.name}-${city.country}`} value={city.name}>
                    {city.name}, {city.country}
                  </option>
                ))}
              </select>
            </label>
            {near && (
              <label>
                Within
                <select value={state.radiusKm} onChange={(event) => update({ radius: event.target.value })}>
                  {RADII.map((radius) => (
                    <option key={radius} value={radius}>
                      {radius} km
                    </option>
                  ))}
                </select>
              </label>
            )}
            {locationError && <p className="error">{locationError}</p>}
          </fieldset>
        </aside>
        <section className="results" aria-labelledby="results-heading" aria-busy={loading}>
          {/* The cards' titles are h3: this keeps the outline h1 → h2 → h3 for screen readers' heading lists. */}
          <h2 id="results-heading" className="visually-hidden">
            Results
          </h2>
          <div className="results-head">
            <p aria-live="polite">
              {result ? `${result.totalCount} ${result.totalCount === 1 ? "event" : "events"}` : loading ? "Searching…" : ""}
            </p>
            <label>
              Sort by{" "}
              <select value={input.sort} onChange={(event) => update({ sort: event.target.value })}>
                {state.text && <option value="RELEVANCE">Best match</option>}
                <option value="DATE">Date</option>
                {near && <option value="DISTANCE">Distance</option>}
                <option value="TRENDING">Trending</option>
              </select>
            </label>
          </div>
          {error && (
            <p className="error" role="alert">
              {describeFailure(error)}
            </p>
          )}
          {result && result.hits.length === 0 && <p>No events match. Try fewer filters or another word.</p>}
          <ul className="event-grid">
            {result?.hits.map((hit) => (
              <EventCard key={hit.event.id} event={hit.event} distanceKm={hit.distanceKm} />
            ))}
          </ul>
          {result?.pageInfo.hasNextPage && (
            <button type="button" onClick={() => void showMore()} disabled={loading}>
              Show more
            </button>
          )}
        </section>
      </div>
    </main>
  );
}

const plainAmount = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A band `min-max` (minor units) as "£25.00 – £50.00", or "25.00 – 50.00" when currencies mix. */
function priceBandLabel(value: string, currency: string | null): string {
  const [min, max] = value.split("-");
  const money = (amount: string) => (currency ? formatMoney({ amount: Number(amount), currency }) : plainAmount.format(Number(amount) / 100));
  if (min && max) return `${money(min)} – ${money(max)}`;
  if (min) return `${money(min)} and up`;
  return `up to ${money(max ?? "0")}`;
}

function FacetGroup(props: {
  title: string;
  buckets: { value: string; count: number }[];
  selected: string[];
  label: (value: string) => string;
  onToggle: (value: string) => void;
  note?: string;
}) {
  if (props.buckets.length === 0 && props.selected.length === 0) return null;
  return (
    <fieldset>
      <legend>{props.title}</legend>
      {props.buckets.map((bucket) => (
        <label key={bucket.value} className="facet">
          <input type="checkbox" checked={props.selected.includes(bucket.value)} onChange={() => props.onToggle(bucket.value)} />
          <span>{props.label(bucket.value)}</span>
          <span className="count">{bucket.count}</span>
        </label>
      ))}
      {props.note && <p className="hint">{props.note}</p>}
    </fieldset>
  );
}
