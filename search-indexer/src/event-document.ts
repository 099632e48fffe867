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
  price_min: number | null;
  price_max: number | null;
  /** Not sold out: a seat not yet sold, or a general-admission place left. */
  available: boolean;
  location: { lat: number; lon: number };
}

const DOCUMENT = `SELECT e.id, e.version, e.name, e.artist, e.category::text AS category, e.status::text AS status, v.name AS venue, v.city,
    to_char(e.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS starts_at,
    p.min_price AS price_min, p.max_price AS price_max,
    (EXISTS (SELECT 1 FROM event_seats es WHERE es.event_id = e.id AND es.status IN ('AVAILABLE', 'HELD'))
     OR EXISTS (SELECT 1 FROM event_sections x JOIN sections s ON s.id = x.section_id
                WHERE x.event_id = e.id AND s.kind = 'GENERAL_ADMISSION' AND x.ga_sold < x.capacity)) AS available,
    json_build_object('lat', v.latitude, 'lon', v.longitude) AS location
  FROM events e JOIN venues v ON v.id = e.venue_id
  LEFT JOIN LATERAL (SELECT min(x.price_minor) AS min_price, max(x.price_minor) AS max_price FROM event_sections x WHERE x.event_id = e.id) p ON true`;

export async function findDocuments(db: pg.Pool, eventIds: readonly string[]): Promise<EventDocument[]> {
  const { rows } = await db.query<EventDocument>(`${DOCUMENT} WHERE e.id = ANY($1::uuid[])`, [eventIds]);
  return rows;
}

/** All events, in pages by id (full reindex). */
export async function findDocumentPage(db: pg.Pool, afterId: string | null, limit: number): Promise<EventDocument[]> {
  const { rows } = await db.query<EventDocument>(`${DOCUMENT} WHERE ($1::uuid IS NULL OR e.id > $1::uuid) ORDER BY e.id LIMIT $2`, [afterId, limit]);
  return rows;
}
