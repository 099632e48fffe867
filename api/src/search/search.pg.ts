/**
 * The PostgreSQL search engine, used when ELASTICSEARCH_URL is unset (and as the fallback when
 * Elasticsearch fails). It reads one table, event_search: a row per event with what search filters,
 * ranks and counts (all-in price range, availability, city, location, text), kept by the trigger that
 * writes the event's search outbox row (prisma/sql/functions/event_search_refresh.sql), so a query
 * never joins venues or aggregates sections per event. Text is matched in two passes, the same rule
 * as the Elasticsearch engine: first the words as written (the stored `to_tsvector('simple', …)` of
 * the title and of the place, two GIN indexes in one BitmapOr); only when that finds nothing, again
 * with typos allowed through pg_trgm word similarity on the title (`%>`, its default threshold 0.6, a
 * third GIN index). The typo branch is what costs: its index returns thousands of candidates whose
 * recheck computes word_similarity over every word window of each title, ten times the exact
 * branches' time, so a query spelled right never pays it. The vectors are stored (generated columns)
 * because ranking reads the title's vector for every scored row, and parsing the title there was most
 * of a broad query's time; the score is computed only for rows that pass the facet filters (the hits'
 * candidates), not for every row the facets count. Geo: a bounding box in degrees on a GiST index
 * over the venue's point narrows the rows, then the haversine formula (on the Earth radius
 * Elasticsearch uses) decides (see "Distance once" below). Facets are one GROUP BY each, with every
 * filter but their own.
 *
 * Distance once. The haversine formula ends in `2R·asin(√a)`, which only grows with `a` (its first
 * part, the squared half-chord). So each row in the box computes `a` once, as the column `nearness`:
 * the circle keeps the rows with `a <= sin²(r / 2R)` (the same circle, without asin and square root
 * per row), the hits sort on it, and only the page's hits are turned into kilometres. The box's rows
 * are computed in a subquery that `OFFSET 0` keeps from being merged into the outer query: merged,
 * PostgreSQL would compute the expression twice, once for the filter and once for the column. A geo
 * search at 100,000 events (7,500 rows in the box, 5,000 in the circle) went from 13.5–14.6 to
 * 11.0–13.2 ms (docs/performance-history.md, "PostgreSQL geo: the distance once").
 *
 * Narrow rows. Every matched row is copied into the statement's `matched` set (18,946 rows for a
 * one-word query such as "Jazz" at 100,000 events) before the hits and facets read it. PostgreSQL
 * keeps each copy in a memory chunk rounded up to a power of two, and a row that carried every column
 * (starts_at, a NULL distance, ...) needed 128 bytes where 64 hold the columns a query reads: twice
 * the memory, taken fresh and page-faulted each time. So the set carries only what the query reads
 * (starts_at for the date order, the score with text, the distance with `near`), fixed-width columns
 * first and the city's text last so no alignment padding is added: one-word queries went from 33 to
 * 19 ms, and from 46 to 30 ms without a category (docs/performance-history.md, "PostgreSQL search:
 * narrow rows").
 *
 * A few statements at a time. A search statement is pure CPU for PostgreSQL (5–25 ms here), so more
 * of them at once than the database has cores do not finish sooner: they share the cores, and each
 * one, a broad query above all, takes as long as all of them together. So each API process sends at
 * most `concurrency` (SEARCH_DATABASE_CONCURRENCY) at once and queues the rest in arrival order
 * (p-limit): a query waits for the few ahead of it instead of being slowed by every one in flight, the
 * backends thrash less, and searches can never take every connection of the pool that holds and
 * checkouts share (an Elasticsearch outage sends every search here). On the 2-core bench machine at
 * concurrency 16, 2 at a time cut the text+facets p99 through the API from 258–289 to 134–159 ms and
 * raised its rate by a fifth (docs/performance-history.md, "PostgreSQL search: a few at a time").
 */
import pLimit from "p-limit";
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

/** Filters every facet respects, and each facet's own condition (a facet counts with all filters but its own). */
function filters(query: SearchQuery, sql: Sql, typos: boolean): { base: string; own: Record<Facet, string> } {
  const conditions = [`s.listed`];
  if (query.text) {
    const text = sql.add(query.text);
    // The columns and expression of the three GIN indexes (migrations 20261203020000_event_search,
    // 20261204100000_search_vectors).
    conditions.push(
      `(s.title_vector @@ plainto_tsquery('simple', ${text})
        ${typos ? `OR lower(s.title) %> lower(${text})` : ""}
        OR s.place_vector @@ plainto_tsquery('simple', ${text}))`,
    );
  }
  if (query.ids) conditions.push(`s.event_id = ANY(${sql.add(query.ids)}::uuid[])`);
  if (query.startsAfter) conditions.push(`s.starts_at >= ${sql.add(query.startsAfter)}`);
  if (query.startsBefore) conditions.push(`s.starts_at < ${sql.add(query.startsBefore)}`);
  if (query.onlyAvailable) conditions.push(`s.available`);
  if (query.near) {
    // The box only: the circle is applied to `nearness` outside (searchOnce, "Distance once").
    const box = boundingBox(query.near);
    if (box) {
      conditions.push(
        `point(s.longitude, s.latitude) <@ box(point(${sql.add(box.lonMin)}, ${sql.add(box.latMin)}), point(${sql.add(box.lonMax)}, ${sql.add(box.latMax)}))`,
      );
    }
  }
  const price: string[] = [];
  if (query.priceMin !== null) price.push(`s.price_max_minor >= ${sql.add(query.priceMin)}`);
  if (query.priceMax !== null) price.push(`s.price_min_minor <= ${sql.add(query.priceMax)}`);
  return {
    base: conditions.join(" AND "),
    own: {
      category: query.categories.length > 0 ? `s.category = ANY(${sql.add(query.categories)}::"EventCategory"[])` : "true",
      city: query.cities.length > 0 ? `s.city_key = ANY(${sql.add(query.cities)}::text[])` : "true",
      price: price.length > 0 ? `coalesce(${price.join(" AND ")}, false)` : "true",
    },
  };
}

/**
 * The smallest latitude/longitude box holding every point within radiusKm of the centre (a spherical
 * cap spans asin(sin r / cos lat) of longitude), widened by a hair for rounding. Null when the circle
 * reaches a pole or crosses the antimeridian: then no box is used and the exact distance alone decides.
 */
export function boundingBox(near: { lat: number; lon: number; radiusKm: number }): { latMin: number; latMax: number; lonMin: number; lonMax: number } | null {
  const angle = near.radiusKm / EARTH_RADIUS_KM;
  const degrees = (radians: number) => (radians * 180) / Math.PI;
  const slack = 1e-6;
  const latMin = near.lat - degrees(angle) - slack;
  const latMax = near.lat + degrees(angle) + slack;
  if (latMin <= -90 || latMax >= 90 || angle >= Math.PI / 2) return null;
  const spread = Math.sin(angle) / Math.cos((near.lat * Math.PI) / 180);
  if (spread >= 1) return null;
  const lonSpread = degrees(Math.asin(spread)) + slack;
  const lonMin = near.lon - lonSpread;
  const lonMax = near.lon + lonSpread;
  if (lonMin < -180 || lonMax > 180) return null;
  return { latMin, latMax, lonMin, lonMax };
}

/** Haversine's `a` between the row's venue and the centre: the distance is 2R·asin(√a) (see "Distance once"). */
function nearness(near: NonNullable<SearchQuery["near"]>, sql: Sql): string {
  const lat = sql.add(near.lat);
  const lon = sql.add(near.lon);
  return `(power(sin(radians(s.latitude - ${lat}) / 2), 2)
            + cos(radians(${lat})) * cos(radians(s.latitude)) * power(sin(radians(s.longitude - ${lon}) / 2), 2))`;
}

/** The largest `a` within radiusKm: sin²(r / 2R), which grows up to half the Earth's circumference (then 1: everywhere). */
export function nearnessWithin(radiusKm: number): number {
  return Math.sin(Math.min(radiusKm / (2 * EARTH_RADIUS_KM), Math.PI / 2)) ** 2;
}

/** `concurrency`: most search statements in flight at once (see "A few statements at a time" above). */
export function createPostgresSearch(pool: pg.Pool, concurrency: number): SearchEngine {
  const limit = pLimit(concurrency);
  return {
    name: "postgresql",
    /** Text as written first; with typos allowed only when that finds nothing (see the header). */
    async search(query: SearchQuery): Promise<SearchAnswer> {
      const exact = await limit(searchOnce, pool, query, false);
      if (!query.text || exact.total > 0) return exact;
      return limit(searchOnce, pool, query, true);
    },
  };
}

/**
 * One statement: the events matching every non-facet filter are read once (`matched`), with a flag
 * per facet filter; hits, total and the three facets are computed from that set. The score is only
 * computed (CASE evaluates lazily) for rows that pass every facet filter: the others are counted by
 * a facet but never ranked. The category stays an enum until its facet's few groups are labelled.
 */
async function searchOnce(pool: pg.Pool, query: SearchQuery, typos: boolean): Promise<SearchAnswer> {
  const sql = new Sql();
  const { base, own } = filters(query, sql, typos);
  const order = orderOf(query);
  // Only the columns this query reads, fixed-width first and the city's text last (no alignment
  // padding): see "Narrow rows" above. A column left out is a NULL in the hits.
  const columns = [`s.event_id AS id`, `s.category`, `s.price_min_minor AS min_price`];
  if (query.text) {
    const text = sql.add(query.text);
    columns.push(`CASE WHEN ${own.category} AND ${own.city} AND ${own.price}
              THEN ts_rank(s.title_vector, plainto_tsquery('simple', ${text}))
                   ${typos ? `+ word_similarity(lower(${text}), lower(s.title))` : ""} + CASE WHEN lower(s.name) = lower(${text}) THEN 10 ELSE 0 END END AS score`);
  }
  if (query.near) columns.push(`${nearness(query.near, sql)} AS nearness`);
  if (order === "DATE") columns.push(`s.starts_at`);
  columns.push(`${own.category} AS category_ok`, `${own.city} AS city_ok`, `${own.price} AS price_ok`, `s.city`);
  const hitColumns = `id, ${query.text ? "score" : "NULL::float8 AS score"}, ${query.near ? `2 * ${EARTH_RADIUS_KM} * asin(sqrt(nearness)) AS distance_km` : "NULL::float8 AS distance_km"}`;
  const orderBy = { RELEVANCE: `score DESC, id`, DISTANCE: `nearness ASC, id`, DATE: `starts_at ASC, id` }[order];
  // With a centre, each row in the box gets its `nearness` once, in a subquery; the circle filters on it.
  const matched = query.near
    ? `SELECT * FROM (SELECT ${columns.join(", ")} FROM event_search s WHERE ${base} OFFSET 0) near
       WHERE nearness <= ${sql.add(nearnessWithin(query.near.radiusKm))}`
    : `SELECT ${columns.join(", ")} FROM event_search s WHERE ${base}`;
  const bands = PRICE_BANDS.map(([from, to], index) => `WHEN min_price >= ${from}${to === null ? "" : ` AND min_price < ${to}`} THEN ${index}`).join(" ");
  const limit = sql.add(query.limit);
  const offset = sql.add(query.offset);
  const { rows } = await pool.query<{ result: RawResult }>(
    `WITH matched AS MATERIALIZED (
       ${matched}
     )
     SELECT json_build_object(
       'hits', (SELECT coalesce(json_agg(h), '[]') FROM (SELECT ${hitColumns} FROM matched
                WHERE category_ok AND city_ok AND price_ok ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}) h),
       'total', (SELECT count(*) FROM matched WHERE category_ok AND city_ok AND price_ok),
       'category', (SELECT coalesce(json_agg(f), '[]') FROM (SELECT category::text AS value, count(*)::int AS count FROM matched
                    WHERE city_ok AND price_ok GROUP BY category ORDER BY 2 DESC, 1 LIMIT 50) f),
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
}

interface RawResult {
  hits: { id: string; score: number | null; distance_km: number | null }[];
  total: number;
  category: { value: string; count: number }[];
  city: { value: string; count: number }[];
  price: { band: number; count: number }[];
}
