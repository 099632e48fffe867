/**
 * The Elasticsearch engine (official client 8.x, matching the 8.14 server: a 9.x client sends
 * compatibility headers an 8.x server refuses). The index is versioned behind an alias; documents
 * carry the event's version and are written with external versioning, so several indexers can never
 * apply an older state over a newer one.
 */
import { Client, errors } from "@elastic/elasticsearch";
import type { SearchDocument } from "./search.documents.js";
import { bandLabel, orderOf, PRICE_BANDS, type FacetCounts, type SearchAnswer, type SearchEngine, type SearchQuery } from "./search.query.js";

export function createElasticClient(url: string, timeoutMs: number): Client {
  return new Client({ node: url, requestTimeout: timeoutMs, maxRetries: 0 });
}

export const INDEX_BODY = {
  settings: {
    number_of_shards: 1,
    number_of_replicas: 0,
    analysis: {
      analyzer: { folded: { type: "custom" as const, tokenizer: "standard", filter: ["lowercase", "asciifolding"] } },
      normalizer: { lowercase: { type: "custom" as const, filter: ["lowercase", "asciifolding"] } },
    },
  },
  mappings: {
    dynamic: "strict" as const,
    properties: {
      id: { type: "keyword" as const },
      version: { type: "long" as const },
      name: { type: "text" as const, analyzer: "folded", fields: { exact: { type: "keyword" as const, normalizer: "lowercase" } } },
      artist: { type: "text" as const, analyzer: "folded" },
      venue: { type: "text" as const, analyzer: "folded" },
      city: { type: "keyword" as const, fields: { text: { type: "text" as const, analyzer: "folded" }, lowercase: { type: "keyword" as const, normalizer: "lowercase" } } },
      category: { type: "keyword" as const },
      status: { type: "keyword" as const },
      starts_at: { type: "date" as const },
      price_min: { type: "integer" as const },
      price_max: { type: "integer" as const },
      available: { type: "boolean" as const },
      location: { type: "geo_point" as const },
    },
  },
};

const EARTH_RADIUS_KM = 6371.0088;

function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const h = Math.sin(radians(b.lat - a.lat) / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(radians(b.lon - a.lon) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

type Clause = Record<string, unknown>;

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

export function createElasticSearch(client: Client, alias: string): SearchEngine {
  return {
    name: "elasticsearch",
    async search(query: SearchQuery): Promise<SearchAnswer> {
      const facets = facetFilters(query);
      const all = [...facets.category, ...facets.city, ...facets.price];
      const must: Clause[] = query.text
        ? [
            {
              bool: {
                should: [
                  { multi_match: { query: query.text, fields: ["name^3", "artist^2", "venue", "city.text"], fuzziness: "AUTO", operator: "and" } },
                  { term: { "name.exact": { value: query.text.toLowerCase(), boost: 10 } } },
                ],
                minimum_should_match: 1,
              },
            },
          ]
        : [];
      const others = (field: FacetCounts["field"]) => (Object.keys(facets) as FacetCounts["field"][]).filter((key) => key !== field).flatMap((key) => facets[key]);
      const order = orderOf(query);
      const sort =
        order === "RELEVANCE"
          ? [{ _score: "desc" }, { id: "asc" }]
          : order === "DISTANCE" && query.near
            ? [{ _geo_distance: { location: { lat: query.near.lat, lon: query.near.lon }, order: "asc", unit: "km", distance_type: "arc" } }, { id: "asc" }]
            : [{ starts_at: "asc" }, { id: "asc" }];
      const response = await client.search<SearchDocument>({
        index: alias,
        from: query.offset,
        size: query.limit,
        track_total_hits: true,
        _source: ["id", "location"],
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
      const aggregations = response.aggregations as Record<string, { values: { buckets: { key: string; doc_count: number }[] } }>;
      const buckets = (name: string) =>
        aggregations[name]!.values.buckets.filter((bucket) => bucket.doc_count > 0).map((bucket) => ({ value: String(bucket.key), count: bucket.doc_count }));
      const byCount = (list: { value: string; count: number }[]) => list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      return {
        hits: response.hits.hits.map((hit) => ({
          id: hit._source!.id,
          score: query.text ? (hit._score ?? null) : null,
          distanceKm: query.near ? haversineKm(query.near, hit._source!.location) : null,
        })),
        total,
        facets: [
          { field: "category", buckets: byCount(buckets("category")) },
          { field: "city", buckets: byCount(buckets("city")) },
          { field: "price", buckets: buckets("price") },
        ],
      };
    },
  };
}

/** Writes documents with external versioning; a version the index already has (or a newer one) is not an error. */
export async function indexDocuments(client: Client, index: string, documents: readonly SearchDocument[], deletedIds: readonly string[] = []): Promise<{ failed: string[] }> {
  if (documents.length === 0 && deletedIds.length === 0) return { failed: [] };
  const operations: unknown[] = [];
  for (const document of documents) {
    operations.push({ index: { _index: index, _id: document.id, version: document.version, version_type: "external" } }, document);
  }
  for (const id of deletedIds) operations.push({ delete: { _index: index, _id: id } });
  const response = await client.bulk({ operations, refresh: false });
  const failed: string[] = [];
  for (const item of response.items) {
    const result = item.index ?? item.delete;
    if (!result?.error) continue;
    if (result.status === 409 || (item.delete && result.status === 404)) continue;
    failed.push(String(result._id));
  }
  return { failed };
}

/** Creates the first versioned index behind the alias when there is none. */
export async function ensureIndex(client: Client, alias: string): Promise<void> {
  if (await client.indices.existsAlias({ name: alias })) return;
  const index = `${alias}-${Date.now()}`;
  try {
    await client.indices.create({ index, ...INDEX_BODY, aliases: { [alias]: {} } });
  } catch (error) {
    // Another process made it first.
    if (!(error instanceof errors.ResponseError && error.statusCode === 400 && (await client.indices.existsAlias({ name: alias })))) throw error;
    await client.indices.delete({ index, ignore_unavailable: true });
  }
}
