/**
 * The search model both engines answer: a checked, normalised query (the API parses GraphQL input
 * into it), the hits, facets and price bands. Elasticsearch's engine lives in this part
 * (elastic-query.ts); the API's PostgreSQL engine answers the same model.
 */
export interface SearchQuery {
  text: string | null;
  /** Event categories (the EventCategory enum's values). */
  categories: string[];
  /** Lower-cased. */
  cities: string[];
  startsAfter: Date | null;
  startsBefore: Date | null;
  priceMin: number | null;
  priceMax: number | null;
  onlyAvailable: boolean;
  near: { lat: number; lon: number; radiusKm: number } | null;
  /** Order of hits; null = relevance with text, else distance with `near`, else date. */
  sort: SearchSort | null;
  /** Only these events (the trending set). */
  ids: string[] | null;
  offset: number;
  limit: number;
}

export type SearchSort = "RELEVANCE" | "DATE" | "DISTANCE" | "TRENDING";

/** The engine's order for a query: TRENDING is applied by the caller over the trending set. */
export function orderOf(query: SearchQuery): "RELEVANCE" | "DATE" | "DISTANCE" {
  if (query.sort === "RELEVANCE" || query.sort === "DATE" || query.sort === "DISTANCE") return query.sort;
  return query.text ? "RELEVANCE" : query.near ? "DISTANCE" : "DATE";
}

export interface SearchHitRef {
  id: string;
  score: number | null;
  distanceKm: number | null;
  /**
   * The event's fields as the index holds them (Elasticsearch only): enough to answer a search that
   * asks for nothing else without reading PostgreSQL per hit. Absent from the PostgreSQL engine's hits.
   */
  document?: HitDocument;
}

/** The fields of an event document a hit carries (a subset of EventDocument, in the API's shapes). */
export interface HitDocument {
  name: string;
  artist: string;
  category: string;
  status: string;
  /** ISO 8601, UTC. */
  startsAt: string;
}

export interface FacetCounts {
  field: "category" | "city" | "price";
  buckets: { value: string; count: number }[];
}

export interface SearchAnswer {
  hits: SearchHitRef[];
  total: number;
  facets: FacetCounts[];
}

export interface SearchEngine {
  readonly name: "elasticsearch" | "postgresql";
  search(query: SearchQuery): Promise<SearchAnswer>;
}

/** Price bands of the price facet, minor units: [from, to). */
export const PRICE_BANDS: readonly [number, number | null][] = [
  [0, 2_500],
  [2_500, 5_000],
  [5_000, 10_000],
  [10_000, 20_000],
  [20_000, null],
];
export const bandLabel = ([from, to]: readonly [number, number | null]) => `${from}-${to ?? ""}`;
