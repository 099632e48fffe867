/** What the search index holds per event, read from PostgreSQL (the source of truth). */
import type pg from "pg";

export interface EventDocument {
  id: string;
  version: number;
  name: string;
  artist: string;
  category: string;
  status: string;
  venue: string;
  city: string;
  starts_at: string;
  /** All-in prices (base + mandatory fees per ticket), minor units, of the cheapest and dearest section. */
  price_min: number | null;
  price_max: number | null;
  /** Not sold out: a seat not yet sold, or a general-admission place left. */
  available: boolean;
  location: { lat: number; lon: number };
}

/**
 * Price range, availability and location come from the event's search row (event_search, computed by
 * prisma/sql/functions/event_search_refresh.sql in the transaction that wrote the outbox row), so the
 * document and the PostgreSQL engine agree, and prices are all-in: base + mandatory fees per ticket.
 */
const DOCUMENT = `SELECT e.id, e.version, e.name, e.artist, e.category::text AS category, e.status::text AS status, v.name AS venue, v.city,
    to_char(e.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS starts_at,
    s.price_min_minor AS price_min, s.price_max_minor AS price_max, s.available,
    json_build_object('lat', s.latitude, 'lon', s.longitude) AS location
  FROM events e JOIN venues v ON v.id = e.venue_id JOIN event_search s ON s.event_id = e.id`;

export async function findDocuments(db: pg.Pool, eventIds: readonly string[]): Promise<EventDocument[]> {
  const { rows } = await db.query<EventDocument>(`${DOCUMENT} WHERE e.id = ANY($1::uuid[])`, [eventIds]);
  return rows;
}

/** All events, in pages by id (full reindex). */
export async function findDocumentPage(db: pg.Pool, afterId: string | null, limit: number): Promise<EventDocument[]> {
  const { rows } = await db.query<EventDocument>(`${DOCUMENT} WHERE ($1::uuid IS NULL OR e.id > $1::uuid) ORDER BY e.id LIMIT $2`, [afterId, limit]);
  return rows;
}
