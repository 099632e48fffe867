/**
 * The PostgreSQL search engine, used when ELASTICSEARCH_URL is unset (and as the fallback when
 * Elasticsearch fails): full text with `to_tsvector('simple', …)` and a GIN expression index, typos
 * through pg_trgm word similarity (`%>`, its default threshold 0.6; GIN trigram index), distance by the haversine formula on the same
 * Earth radius Elasticsearch uses. Facets are one GROUP BY each, with every filter but their own.
 */
import type pg from "pg";
import { bandLabel, PRICE_BANDS, type FacetCounts, type SearchAnswer, type SearchEngine, type SearchQuery } from "./search.query.js";

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

function where(query: SearchQuery, sql: Sql, except: Facet | null): string {
  const conditions = [`e.status <> 'DRAFT'`];
  if (query.text) {
    const text = sql.add(query.text);
    conditions.push(
      `(to_tsvector('simple', e.name || ' ' || e.artist) @@ plainto_tsquery('simple', ${text})
        OR to_tsvector('simple', v.name || ' ' || v.city) @@ plainto_tsquery('simple', ${text})
        OR ${TITLE} %> lower(${text}))`,
    );
  }
  if (query.categories.length > 0 && except !== "category") conditions.push(`e.category::text = ANY(${sql.add(query.categories)}::text[])`);
  if (query.cities.length > 0 && except !== "city") conditions.push(`lower(v.city) = ANY(${sql.add(query.cities)}::text[])`);
  if (query.startsAfter) conditions.push(`e.starts_at >= ${sql.add(query.startsAfter)}`);
  if (query.startsBefore) conditions.push(`e.starts_at < ${sql.add(query.startsBefore)}`);
  if (except !== "price") {
    if (query.priceMin !== null) conditions.push(`p.max_price >= ${sql.add(query.priceMin)}`);
    if (query.priceMax !== null) conditions.push(`p.min_price <= ${sql.add(query.priceMax)}`);
  }
  if (query.onlyAvailable) {
    // Not sold out: a seat not yet sold (held ones may come back) or a general-admission place left.
    conditions.push(`(EXISTS (SELECT 1 FROM event_seats es WHERE es.event_id = e.id AND es.status IN ('AVAILABLE', 'HELD'))
                      OR EXISTS (SELECT 1 FROM event_sections x JOIN sections s ON s.id = x.section_id
                                 WHERE x.event_id = e.id AND s.kind = 'GENERAL_ADMISSION' AND x.ga_sold < x.capacity))`);
  }
  if (query.near) conditions.push(`${distance(query, sql)} <= ${sql.add(query.near.radiusKm)}`);
  return conditions.join(" AND ");
}

function distance(query: SearchQuery, sql: Sql): string {
  if (!query.near) return "NULL::float8";
  const lat = sql.add(query.near.lat);
  const lon = sql.add(query.near.lon);
  return `(2 * ${EARTH_RADIUS_KM} * asin(sqrt(power(sin(radians(v.latitude - ${lat}) / 2), 2)
            + cos(radians(${lat})) * cos(radians(v.latitude)) * power(sin(radians(v.longitude - ${lon}) / 2), 2))))`;
}

const FROM = `FROM events e
  JOIN venues v ON v.id = e.venue_id
  LEFT JOIN LATERAL (SELECT min(x.price_minor) AS min_price, max(x.price_minor) AS max_price FROM event_sections x WHERE x.event_id = e.id) p ON true`;

export function createPostgresSearch(pool: pg.Pool): SearchEngine {
  async function hits(query: SearchQuery) {
    const sql = new Sql();
    const condition = where(query, sql, null);
    let score = "NULL::float8";
    if (query.text) {
      const text = sql.add(query.text);
      score = `(ts_rank(to_tsvector('simple', e.name || ' ' || e.artist), plainto_tsquery('simple', ${text}))
                + word_similarity(lower(${text}), ${TITLE}) + CASE WHEN lower(e.name) = lower(${text}) THEN 10 ELSE 0 END)`;
    }
    const distanceKm = distance(query, sql);
    const order = query.text ? `score DESC, e.id` : query.near ? `distance_km ASC, e.id` : `e.starts_at ASC, e.id`;
    const { rows } = await pool.query<{ id: string; score: number | null; distance_km: number | null; total: number }>(
      `SELECT e.id, ${score} AS score, ${distanceKm} AS distance_km, count(*) OVER ()::int AS total
       ${FROM} WHERE ${condition}
       ORDER BY ${order} LIMIT ${sql.add(query.limit)} OFFSET ${sql.add(query.offset)}`,
      sql.params,
    );
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && query.offset > 0) {
      const count = new Sql();
      const { rows: counted } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n ${FROM} WHERE ${where(query, count, null)}`, count.params);
      total = counted[0]!.n;
    }
    return { rows, total };
  }

  async function facet(query: SearchQuery, field: Facet): Promise<FacetCounts> {
    const sql = new Sql();
    const condition = where(query, sql, field);
    if (field === "price") {
      const bands = PRICE_BANDS.map(([from, to], index) => `WHEN p.min_price >= ${from}${to === null ? "" : ` AND p.min_price < ${to}`} THEN ${index}`).join(" ");
      const { rows } = await pool.query<{ band: number; count: number }>(
        `SELECT CASE ${bands} END AS band, count(*)::int AS count ${FROM} WHERE ${condition} AND p.min_price IS NOT NULL GROUP BY 1`,
        sql.params,
      );
      const counts = new Map(rows.map((row) => [row.band, row.count]));
      return { field, buckets: PRICE_BANDS.map((band, index) => ({ value: bandLabel(band), count: counts.get(index) ?? 0 })).filter((bucket) => bucket.count > 0) };
    }
    const column = field === "category" ? "e.category::text" : "v.city";
    const { rows } = await pool.query<{ value: string; count: number }>(
      `SELECT ${column} AS value, count(*)::int AS count ${FROM} WHERE ${condition} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50`,
      sql.params,
    );
    return { field, buckets: rows };
  }

  return {
    name: "postgresql",
    async search(query: SearchQuery): Promise<SearchAnswer> {
      const [found, ...facets] = await Promise.all([hits(query), facet(query, "category"), facet(query, "city"), facet(query, "price")]);
      return {
        hits: found.rows.map((row) => ({ id: row.id, score: row.score, distanceKm: row.distance_km })),
        total: found.total,
        facets,
      };
    },
  };
}
