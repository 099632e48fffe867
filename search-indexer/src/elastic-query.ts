/**
 * The Elasticsearch engine the API searches with (`@boxoffice/search-indexer/elastic-query`): the
 * search model (search-model.ts) as one Elasticsearch query, with facets counted as post-filters so
 * each facet's counts ignore its own selection. Text is matched in two passes, the same rule as the
 * PostgreSQL engine: the words as written first, and only when that finds nothing again with typos
 * allowed (fuzziness): the fuzzy pass builds a Levenshtein automaton per word and field and expands it
 * over each segment's terms, the costly part of a text query, which a query spelled right never pays.
 * Answers come from the shard request cache while the index has not changed (a refresh with changes
 * empties it): popular searches and their facets are computed once per refresh. Official client 8.x,
 * matching the 8.14 server: a 9.x client sends compatibility headers an 8.x server refuses.
 */
import { Client } from "@elastic/elasticsearch";
import type { EventDocument } from "./event-document.js";
import { bandLabel, orderOf, PRICE_BANDS, type FacetCounts, type SearchAnswer, type SearchEngine, type SearchQuery } from "./search-model.js";

export function createElasticClient(url: string, timeoutMs: number): Client {
  return new Client({ node: url, requestTimeout: timeoutMs, maxRetries: 0 });
}

const EARTH_RADIUS_KM = 6371.0088;

function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const h = Math.sin(radians(b.lat - a.lat) / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(radians(b.lon - a.lon) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

type Clause = Record<string, unknown>;

/** The document fields a hit carries (HitDocument) plus its location for distanceKm. */
const SOURCE_FIELDS = ["id", "name", "artist", "category", "status", "starts_at", "location"];
const FILTER_PATH = ["took", "hits.total.value", "hits.hits._source", "hits.hits._score", "aggregations.*.values.buckets.key", "aggregations.*.values.buckets.doc_count"];

function facetFilters(query: SearchQuery): Record<FacetCounts["field"], Clause[]> {
  const price: Clause[] = [];
  if (query.priceMin !== null) price.push({ range: { price_max: { gte: query.priceMin } } });
  if (query.priceMax !== null) price.push({ range: { price_min: { lte: query.priceMax } } });
  return {
    category: query.categories.length > 0 ? [{ terms: { category: query.categories } }] : [],
    city: query.cities.length > 0 ? [{ terms: { "city.lowercase": query.cities } }] : [],
    price,
  };
}

function baseFilters(query: SearchQuery): Clause[] {
  const filters: Clause[] = [{ bool: { must_not: { term: { status: "DRAFT" } } } }];
  if (query.ids) filters.push({ terms: { id: query.ids } });
  if (query.startsAfter || query.startsBefore) {
    filters.push({ range: { starts_at: { ...(query.startsAfter ? { gte: query.startsAfter.toISOString() } : {}), ...(query.startsBefore ? { lt: query.startsBefore.toISOString() } : {}) } } });
  }
  if (query.onlyAvailable) filters.push({ term: { available: true } });
  if (query.near) filters.push({ geo_distance: { distance: `${query.near.radiusKm}km`, distance_type: "arc", location: { lat: query.near.lat, lon: query.near.lon } } });
  return filters;
}

function textClauses(text: string | null, typos: boolean): Clause[] {
  if (!text) return [];
  const words = { query: text, fields: ["name^3", "artist^2", "venue", "city.text"], operator: "and" };
  return [
    {
      bool: {
        should: [
          // Typos after the first letter: a fuzzy term then expands only among the terms sharing its
          // first letter instead of the whole dictionary (100,000 events carry ~100,000 distinct terms).
          { multi_match: typos ? { ...words, fuzziness: "AUTO", prefix_length: 1 } : words },
          { term: { "name.exact": { value: text.toLowerCase(), boost: 10 } } },
        ],
        minimum_should_match: 1,
      },
    },
  ];
}

export function createElasticSearch(client: Client, alias: string): SearchEngine {
  const searchOnce = async (query: SearchQuery, typos: boolean): Promise<SearchAnswer> => {
    const facets = facetFilters(query);
    const all = [...facets.category, ...facets.city, ...facets.price];
    const must = textClauses(query.text, typos);
    const others = (field: FacetCounts["field"]) => (Object.keys(facets) as FacetCounts["field"][]).filter((key) => key !== field).flatMap((key) => facets[key]);
    const order = orderOf(query);
    const sort =
      order === "RELEVANCE"
        ? [{ _score: "desc" }, { id: "asc" }]
        : order === "DISTANCE" && query.near
          ? [{ _geo_distance: { location: { lat: query.near.lat, lon: query.near.lon }, order: "asc", unit: "km", distance_type: "arc" } }, { id: "asc" }]
          : [{ starts_at: "asc" }, { id: "asc" }];
    const response = await client.search<EventDocument>({
      index: alias,
      request_cache: true,
      from: query.offset,
      size: query.limit,
      track_total_hits: true,
      // Only what the answer uses: the hit's own fields (the API answers `event { id name … }` from
      // them, api/src/search/search.resolver.ts) and, from the response, `filter_path` keeps the hits'
      // sources and scores, the total, the buckets' keys and counts and `took`: the rest (shard
      // statistics, each hit's _index/_id/sort values, each bucket's from/to) is never sent, so never
      // parsed. A path that matches nothing is left out of the response entirely (no hits: no
      // `hits.hits`; an empty facet: no `buckets`), hence the `?? []` below.
      _source: SOURCE_FIELDS,
      filter_path: FILTER_PATH,
      query: { bool: { must, filter: baseFilters(query) } },
      post_filter: { bool: { filter: all } },
      sort: sort as never,
      aggs: {
        category: { filter: { bool: { filter: others("category") } }, aggs: { values: { terms: { field: "category", size: 50 } } } },
        city: { filter: { bool: { filter: others("city") } }, aggs: { values: { terms: { field: "city", size: 50 } } } },
        price: {
          filter: { bool: { filter: others("price") } },
          aggs: { values: { range: { field: "price_min", ranges: PRICE_BANDS.map(([from, to]) => (to === null ? { key: bandLabel([from, to]), from } : { key: bandLabel([from, to]), from, to })) } } },
        },
      },
    });
    const total = typeof response.hits.total === "number" ? response.hits.total : (response.hits.total?.value ?? 0);
    const aggregations = (response.aggregations ?? {}) as Record<string, { values?: { buckets?: { key: string; doc_count: number }[] } } | undefined>;
    const buckets = (name: string) =>
      (aggregations[name]?.values?.buckets ?? []).filter((bucket) => bucket.doc_count > 0).map((bucket) => ({ value: String(bucket.key), count: bucket.doc_count }));
    const byCount = (list: { value: string; count: number }[]) => list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    return {
      hits: (response.hits.hits ?? []).map((hit) => {
        const source = hit._source!;
        return {
          id: source.id,
          score: query.text ? (hit._score ?? null) : null,
          distanceKm: query.near ? haversineKm(query.near, source.location) : null,
          document: { name: source.name, artist: source.artist, category: source.category, status: source.status, startsAt: source.starts_at },
        };
      }),
      total,
      facets: [
        { field: "category", buckets: byCount(buckets("category")) },
        { field: "city", buckets: byCount(buckets("city")) },
        { field: "price", buckets: buckets("price") },
      ],
    };
  };
  return {
    name: "elasticsearch",
    /** Text as written first; with typos allowed only when that finds nothing (see the header). */
    async search(query: SearchQuery): Promise<SearchAnswer> {
      const exact = await searchOnce(query, false);
      if (!query.text || exact.total > 0) return exact;
      return searchOnce(query, true);
    },
  };
}
