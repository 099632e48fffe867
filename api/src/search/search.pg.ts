/**
 * The PostgreSQL search engine, used when ELASTICSEARCH_URL is unset (and as the fallback when
 * Elasticsearch fails): full text with `to_tsvector('simple', …)` and a GIN expression index, typos
 * through pg_trgm word similarity (`%>`, its default threshold 0.6; GIN trigram index), distance by the haversine formula on the same
 * Earth radius Elasticsearch uses. Facets are one GROUP BY each, with every filter but their own.
 */
import type pg from "pg";
import { bandLabel, orderOf, PRICE_BANDS, type FacetCounts, type SearchAnswer, type SearchEngine, type SearchQuery } from "@boxoffice/search-indexer/search-model";

const EARTH_RADIUS_KM = 6371.0088;

type Facet = FacetCounts["field"];

class Sql {
  readonly params: unknown[] = [];
  add(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

const TITLE = `lower(e.name || ' ' || e.artist)`;

/** Filters every facet respects, and each facet's own condition (a facet counts with all filters but its own). */
function filters(query: SearchQuery, sql: Sql): { base: string; own: Record<Facet, string> } {
  const conditions = [`e.status <> 'DRAFT'`];
  if (query.text) {
    const text = sql.add(query.text);
    // Each branch on its own index (an OR across the join would scan every event).
    conditions.push(
      `e.id IN (SELECT t.id FROM events t WHERE to_tsvector('simple', t.name || ' ' || t.artist) @@ plainto_tsquery('simple', ${text})
                UNION SELECT t.id FROM events t WHERE lower(t.name || ' ' || t.artist) %> lower(${text})
                UNION SELECT t.id FROM events t JOIN venues w ON w.id = t.venue_id
                      WHERE to_tsvector('simple', w.name || ' ' || w.city) @@ plainto_tsquery('simple', ${text}))`,
    );
  }
  if (query.ids) conditions.push(`e.id = ANY(${sql.add(query.ids)}::uuid[])`);
  if (query.startsAfter) conditions.push(`e.starts_at >= ${sql.add(query.startsAfter)}`);
  if (query.startsBefore) conditions.push(`e.starts_at < ${sql.add(query.startsBefore)}`);
  if (query.onlyAvailable) {
    // Not sold out: a seat not yet sold (held ones may come back) or a general-admission place left.
    conditions.push(`(EXISTS (SELECT 1 FROM event_seats es WHERE es.event_id = e.id AND es.status IN ('AVAILABLE', 'HELD'))
                      OR EXISTS (SELECT 1 FROM event_sections x JOIN sections s ON s.id = x.section_id
                                 WHERE x.event_id = e.id AND s.kind = 'GENERAL_ADMISSION' AND x.ga_sold < x.capacity))`);
  }
  if (query.near) conditions.push(`${distance(query, sql)} <= ${sql.add(query.near.radiusKm)}`);
  const price: string[] = [];
  if (query.priceMin !== null) price.push(`p.max_price >= ${sql.add(query.priceMin)}`);
  if (query.priceMax !== null) price.push(`p.min_price <= ${sql.add(query.priceMax)}`);
  return {
    base: conditions.join(" AND "),
    own: {
      category: query.categories.length > 0 ? `e.category::text = ANY(${sql.add(query.categories)}::text[])` : "true",
      city: query.cities.length > 0 ? `lower(v.city) = ANY(${sql.add(query.cities)}::text[])` : "true",
      price: price.length > 0 ? `coalesce(${price.join(" AND ")}, false)` : "true",
    },
  };
}

function distance(query: SearchQuery, sql: Sql): string {
  if (!query.near) return "NULL::float8";
  const lat = sql.add(query.near.lat);
  const lon = sql.add(query.near.lon);
  return `(2 * ${EARTH_RADIUS_KM} * asin(sqrt(power(sin(radians(v.latitude - ${lat}) / 2), 2)
            + cos(radians(${lat})) * cos(radians(v.latitude)) * power(sin(radians(v.longitude - ${lon}) / 2), 2))))`;
}

const LATERAL_PRICES = `LEFT JOIN LATERAL (SELECT min(x.price_minor) AS min_price, max(x.price_minor) AS max_price
  FROM event_sections x WHERE x.event_id = e.id) p ON true`;
const GROUPED_PRICES = `LEFT JOIN (SELECT event_id, min(price_minor) AS min_price, max(price_minor) AS max_price
  FROM event_sections GROUP BY event_id) p ON p.event_id = e.id`;

export function createPostgresSearch(pool: pg.Pool): SearchEngine {
  return {
    name: "postgresql",
    /**
     * One statement: the events matching every non-facet filter are read once (`matched`), with a flag
     * per facet filter; hits, total and the three facets are computed from that set.
     */
    async search(query: SearchQuery): Promise<SearchAnswer> {
      const sql = new Sql();
      const { base, own } = filters(query, sql);
      let score = "NULL::float8";
      if (query.text) {
        const text = sql.add(query.text);
        score = `(ts_rank(to_tsvector('simple', e.name || ' ' || e.artist), plainto_tsquery('simple', ${text}))
                  + word_similarity(lower(${text}), ${TITLE}) + CASE WHEN lower(e.name) = lower(${text}) THEN 10 ELSE 0 END)`;
      }
      const distanceKm = distance(query, sql);
      const order = { RELEVANCE: `score DESC, id`, DISTANCE: `distance_km ASC, id`, DATE: `starts_at ASC, id` }[orderOf(query)];
      const bands = PRICE_BANDS.map(([from, to], index) => `WHEN min_price >= ${from}${to === null ? "" : ` AND min_price < ${to}`} THEN ${index}`).join(" ");
      // Text and distance narrow the events first: price ranges are then looked up per event; without
      // them most events match and one grouped pass over the sections is cheaper.
      const selective = query.text !== null || query.near !== null || query.ids !== null;
      const limit = sql.add(query.limit);
      const offset = sql.add(query.offset);
      const { rows } = await pool.query<{ result: RawResult }>(
        `WITH matched AS MATERIALIZED (
           SELECT e.id, e.category::text AS category, v.city, e.starts_at, p.min_price,
                  ${score} AS score, ${distanceKm} AS distance_km,
                  ${own.category} AS category_ok, ${own.city} AS city_ok, ${own.price} AS price_ok
           FROM events e JOIN venues v ON v.id = e.venue_id
           ${selective ? LATERAL_PRICES : GROUPED_PRICES}
           WHERE ${base}
         )
         SELECT json_build_object(
           'hits', (SELECT coalesce(json_agg(h), '[]') FROM (SELECT id, score, distance_km FROM matched
                    WHERE category_ok AND city_ok AND price_ok ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) h),
           'total', (SELECT count(*) FROM matched WHERE category_ok AND city_ok AND price_ok),
           'category', (SELECT coalesce(json_agg(f), '[]') FROM (SELECT category AS value, count(*)::int AS count FROM matched
                        WHERE city_ok AND price_ok GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50) f),
           'city', (SELECT coalesce(json_agg(f), '[]') FROM (SELECT city AS value, count(*)::int AS count FROM matched
                    WHERE category_ok AND price_ok GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50) f),
           'price', (SELECT coalesce(json_agg(f), '[]') FROM (SELECT CASE ${bands} END AS band, count(*)::int AS count FROM matched
                     WHERE category_ok AND city_ok AND min_price IS NOT NULL GROUP BY 1) f)
         ) AS result`,
        sql.params,
      );
      const result = rows[0]!.result;
      const priceCounts = new Map(result.price.map((row) => [row.band, row.count]));
      const facets: FacetCounts[] = [
        { field: "category", buckets: result.category },
        { field: "city", buckets: result.city },
        { field: "price", buckets: PRICE_BANDS.map((band, index) => ({ value: bandLabel(band), count: priceCounts.get(index) ?? 0 })).filter((bucket) => bucket.count > 0) },
      ];
      return { hits: result.hits.map((hit) => ({ id: hit.id, score: hit.score, distanceKm: hit.distance_km })), total: result.total, facets };
    },
  };
}

interface RawResult {
  hits: { id: string; score: number | null; distance_km: number | null }[];
  total: number;
  category: { value: string; count: number }[];
  city: { value: string; count: number }[];
  price: { band: number; count: number }[];
}
