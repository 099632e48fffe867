/**
 * Every SQL statement of the admin console's venues and seat maps. Seats move in sets: a section's
 * rows and seats are written by one INSERT ... SELECT FROM unnest(...) (an 18,000-seat arena is a
 * few dozen statements, not 18,000), and removed by one DELETE per table. Event inventory rows are
 * deleted first with a RETURNING count of the sold or held ones, so the same statement that removes
 * them decides whether the change may go ahead (a hold racing it either waits for the delete or is
 * counted by it); the service rolls back when that count is not zero.
 */
import type pg from "pg";
import type { GeneratedSection, SeatLayout } from "./admin.seat-map.js";

export type SectionKind = "SEATED" | "GENERAL_ADMISSION";

export interface VenueRow {
  id: string;
  organizationId: string | null;
  name: string;
  slug: string;
  address: string;
  city: string;
  country: string;
  timezone: string;
  latitude: number;
  longitude: number;
  capacity: number;
  createdAt: Date;
}

export interface SectionRow {
  id: string;
  venueId: string;
  name: string;
  kind: SectionKind;
  capacity: number;
  sortOrder: number;
  rows: number;
  seats: number;
  layout: SeatLayout | null;
}

export interface SeatRow {
  id: string;
  sectionId: string;
  row: string;
  number: number;
  x: number;
  y: number;
  accessible: boolean;
  restrictedView: boolean;
}

/** A section with what a change to it needs: its venue's organization and the venue's stage point. */
export interface LockedSection extends SectionRow {
  organizationId: string | null;
  stage: { x: number; y: number };
}

const VENUE_COLUMNS = `v.id, v.organization_id AS "organizationId", v.name, v.slug, v.address, v.city, v.country, v.timezone,
  v.latitude, v.longitude, v.capacity, v.created_at AS "createdAt"`;

const SECTION_COLUMNS = `s.id, s.venue_id AS "venueId", s.name, s.kind, s.capacity, s.sort_order AS "sortOrder", s.layout,
  (SELECT count(*)::int FROM seat_rows r WHERE r.section_id = s.id) AS rows,
  (SELECT count(*)::int FROM seats seat WHERE seat.section_id = s.id) AS seats`;

const SEAT_COLUMNS = `seat.id, seat.section_id AS "sectionId", r.label AS row, seat.number, seat.x, seat.y, seat.accessible,
  seat.restricted_view AS "restrictedView"`;

export interface VenueQuery {
  /** null: every organization's venues (an admin). */
  organizationId: string | null;
  q: string | null;
  ids: string[] | null;
  orderBy: string;
  descending: boolean;
  offset: number;
  limit: number;
}

export async function findVenues(db: pg.Pool, query: VenueQuery): Promise<{ rows: VenueRow[]; total: number }> {
  const where = `($1::uuid IS NULL OR v.organization_id = $1)
    AND ($2::text IS NULL OR v.name ILIKE '%' || $2 || '%' OR v.city ILIKE '%' || $2 || '%')
    AND ($3::uuid[] IS NULL OR v.id = ANY($3))`;
  const params = [query.organizationId, query.q, query.ids];
  const [{ rows }, { rows: count }] = await Promise.all([
    db.query<VenueRow>(
      `SELECT ${VENUE_COLUMNS} FROM venues v WHERE ${where}
       ORDER BY ${query.orderBy} ${query.descending ? "DESC" : "ASC"}, v.id OFFSET $4 LIMIT $5`,
      [...params, query.offset, query.limit],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM venues v WHERE ${where}`, params),
  ]);
  return { rows, total: count[0]!.n };
}

export async function findVenue(db: pg.Pool | pg.PoolClient, id: string): Promise<VenueRow | null> {
  const { rows } = await db.query<VenueRow>(`SELECT ${VENUE_COLUMNS} FROM venues v WHERE v.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function lockVenue(tx: pg.PoolClient, id: string): Promise<VenueRow | null> {
  const { rows } = await tx.query<VenueRow>(`SELECT ${VENUE_COLUMNS} FROM venues v WHERE v.id = $1 FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

/** The sections of many venues, in their display order. */
export async function findSections(db: pg.Pool | pg.PoolClient, venueIds: readonly string[]): Promise<SectionRow[]> {
  const { rows } = await db.query<SectionRow>(
    `SELECT ${SECTION_COLUMNS} FROM sections s WHERE s.venue_id = ANY($1::uuid[]) ORDER BY s.sort_order, s.name`,
    [venueIds],
  );
  return rows;
}

export async function findSection(db: pg.Pool | pg.PoolClient, id: string): Promise<SectionRow | null> {
  const { rows } = await db.query<SectionRow>(`SELECT ${SECTION_COLUMNS} FROM sections s WHERE s.id = $1`, [id]);
  return rows[0] ?? null;
}

/** Locks the section (and, first, its venue: the fixed order every change here takes). */
export async function lockSection(tx: pg.PoolClient, id: string): Promise<LockedSection | null> {
  const { rows } = await tx.query<LockedSection>(
    `WITH venue AS (
       SELECT v.id, v.organization_id, v.map FROM venues v WHERE v.id = (SELECT venue_id FROM sections WHERE id = $1) FOR UPDATE
     )
     SELECT ${SECTION_COLUMNS}, venue.organization_id AS "organizationId",
            json_build_object(
              'x', coalesce((venue.map->'stage'->>'x')::float8 + coalesce((venue.map->'stage'->>'width')::float8, 0) / 2, 0),
              'y', coalesce((venue.map->'stage'->>'y')::float8 + coalesce((venue.map->'stage'->>'height')::float8, 0) / 2, 0)
            ) AS stage
     FROM sections s JOIN venue ON venue.id = s.venue_id WHERE s.id = $1 FOR UPDATE OF s`,
    [id],
  );
  return rows[0] ?? null;
}

export interface VenueFields {
  name: string;
  address: string;
  city: string;
  country: string;
  timezone: string;
  latitude: number;
  longitude: number;
}

export async function insertVenue(tx: pg.PoolClient, venue: VenueFields & { organizationId: string | null; slug: string }): Promise<VenueRow> {
  const { rows } = await tx.query<VenueRow>(
    `INSERT INTO venues AS v (organization_id, slug, name, address, city, country, timezone, latitude, longitude, capacity)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0) RETURNING ${VENUE_COLUMNS}`,
    [venue.organizationId, venue.slug, venue.name, venue.address, venue.city, venue.country, venue.timezone, venue.latitude, venue.longitude],
  );
  return rows[0]!;
}

export async function updateVenue(tx: pg.PoolClient, id: string, venue: VenueFields): Promise<VenueRow> {
  const { rows } = await tx.query<VenueRow>(
    `UPDATE venues v SET name = $2, address = $3, city = $4, country = $5, timezone = $6, latitude = $7, longitude = $8
     WHERE v.id = $1 RETURNING ${VENUE_COLUMNS}`,
    [id, venue.name, venue.address, venue.city, venue.country, venue.timezone, venue.latitude, venue.longitude],
  );
  return rows[0]!;
}

export async function countEventsAtVenue(tx: pg.PoolClient, venueId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE venue_id = $1`, [venueId]);
  return rows[0]!.n;
}

/** Events at the venue that have not ended and are not cancelled (their times are in its time zone). */
export async function countUpcomingEventsAtVenue(tx: pg.PoolClient, venueId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events
      WHERE venue_id = $1 AND status NOT IN ('CANCELLED', 'ENDED') AND coalesce(ends_at, starts_at) > now()`,
    [venueId],
  );
  return rows[0]!.n;
}

/** Removes a venue no event uses: its seats in one statement, then the venue (sections and rows cascade). */
export async function deleteVenue(tx: pg.PoolClient, venueId: string): Promise<void> {
  await tx.query(`DELETE FROM seats WHERE section_id IN (SELECT id FROM sections WHERE venue_id = $1)`, [venueId]);
  await tx.query(`DELETE FROM venues WHERE id = $1`, [venueId]);
}

/**
 * Sets each section's capacity from its seats (seated) and the venue's from its sections, and raises
 * the venue's layout version (every change to sections, rows or seats ends here).
 */
export async function refreshCapacity(tx: pg.PoolClient, venueId: string): Promise<void> {
  await tx.query(
    `UPDATE sections s SET capacity = (SELECT count(*)::int FROM seats WHERE section_id = s.id)
     WHERE s.venue_id = $1 AND s.kind = 'SEATED'`,
    [venueId],
  );
  await tx.query(
    `UPDATE venues SET capacity = (SELECT coalesce(sum(capacity), 0)::int FROM sections WHERE venue_id = $1), layout_version = layout_version + 1
     WHERE id = $1`,
    [venueId],
  );
}

export async function insertSection(
  tx: pg.PoolClient,
  section: { venueId: string; name: string; kind: SectionKind; capacity: number },
): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO sections (venue_id, name, kind, capacity, sort_order)
     VALUES ($1, $2, $3::"SectionKind", $4, (SELECT coalesce(max(sort_order) + 1, 0) FROM sections WHERE venue_id = $1))
     ON CONFLICT (venue_id, name) DO NOTHING RETURNING id`,
    [section.venueId, section.name, section.kind, section.capacity],
  );
  return rows[0]?.id ?? null;
}

export async function sectionNameTaken(tx: pg.PoolClient, venueId: string, name: string, exceptId: string): Promise<boolean> {
  const { rows } = await tx.query(`SELECT 1 FROM sections WHERE venue_id = $1 AND name = $2 AND id <> $3`, [venueId, name, exceptId]);
  return rows.length > 0;
}

export async function updateSection(tx: pg.PoolClient, id: string, change: { name: string; capacity: number; sortOrder: number }): Promise<void> {
  await tx.query(`UPDATE sections SET name = $2, capacity = $3, sort_order = $4 WHERE id = $1`, [id, change.name, change.capacity, change.sortOrder]);
}

/** The most general-admission places any event has held or sold in the section. */
export async function gaPlacesTaken(tx: pg.PoolClient, sectionId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT coalesce(max(ga_held + ga_sold), 0)::int AS n FROM event_sections WHERE section_id = $1`,
    [sectionId],
  );
  return rows[0]!.n;
}

/** Events' general-admission capacity follows the section's (callers checked it covers what is taken). */
export async function setEventGaCapacity(tx: pg.PoolClient, sectionId: string, capacity: number): Promise<void> {
  await tx.query(`UPDATE event_sections SET capacity = $2, version = version + 1 WHERE section_id = $1`, [sectionId, capacity]);
}

/**
 * Deletes the event inventory of some (or all, `seatIds` null) seats of a section, and counts the
 * rows that were sold or held (unexpired): the caller rolls back unless that count is zero.
 * Reached through event_sections, so each event's rows come by the (event_id, section_id) index.
 */
export async function deleteEventSeats(
  tx: pg.PoolClient,
  sectionId: string,
  seatIds: string[] | null,
): Promise<{ taken: number; example: { row: string; number: number } | null }> {
  const { rows } = await tx.query<{ taken: number; row: string | null; number: number | null }>(
    `WITH deleted AS (
       DELETE FROM event_seats es
       WHERE es.event_id = ANY(ARRAY(SELECT event_id FROM event_sections WHERE section_id = $1)) AND es.section_id = $1
         AND ($2::uuid[] IS NULL OR es.seat_id = ANY($2))
       RETURNING es.seat_id, es.status = 'SOLD' OR (es.status = 'HELD' AND es.held_until > now()) AS taken
     ),
     taken AS (SELECT seat_id FROM deleted WHERE taken)
     SELECT (SELECT count(*)::int FROM taken) AS taken, r.label AS row, seat.number
     FROM (SELECT 1) one
     LEFT JOIN seats seat ON seat.id = (SELECT seat_id FROM taken LIMIT 1)
     LEFT JOIN seat_rows r ON r.id = seat.row_id`,
    [sectionId, seatIds],
  );
  const result = rows[0]!;
  return { taken: result.taken, example: result.row === null ? null : { row: result.row, number: result.number! } };
}

/** Places held or sold by any event in a general-admission section. */
export async function gaPlacesHeldOrSold(tx: pg.PoolClient, sectionId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(`SELECT coalesce(sum(ga_held + ga_sold), 0)::int AS n FROM event_sections WHERE section_id = $1`, [
    sectionId,
  ]);
  return rows[0]!.n;
}

/** Removes a section whose event inventory is already gone: its seats, the events' section rows, then it. */
export async function deleteSection(tx: pg.PoolClient, sectionId: string): Promise<void> {
  await tx.query(`DELETE FROM seats WHERE section_id = $1`, [sectionId]);
  await tx.query(`DELETE FROM event_sections WHERE section_id = $1`, [sectionId]);
  await tx.query(`DELETE FROM sections WHERE id = $1`, [sectionId]);
}

/**
 * Replaces a section's rows and seats with a generated set (two statements: rows, then seats joined
 * to their rows by sort order), stores the layout, and gives every event that sells the section a
 * fresh AVAILABLE inventory row per seat. The caller deleted the old inventory first.
 */
export async function replaceSectionSeats(tx: pg.PoolClient, sectionId: string, layout: SeatLayout, generated: GeneratedSection): Promise<void> {
  await tx.query(`DELETE FROM seats WHERE section_id = $1`, [sectionId]);
  await tx.query(`DELETE FROM seat_rows WHERE section_id = $1`, [sectionId]);
  const { seats } = generated;
  await tx.query(
    `WITH new_rows AS (
       INSERT INTO seat_rows (section_id, label, sort_order)
       SELECT $1, label, (ordinality - 1)::int FROM unnest($2::text[]) WITH ORDINALITY AS l(label, ordinality)
       RETURNING id, sort_order
     )
     INSERT INTO seats (section_id, row_id, number, x, y, stage_distance, accessible, restricted_view, companion, aisle)
     SELECT $1, new_rows.id, s.number, s.x, s.y, s.stage_distance, s.accessible, s.restricted_view, s.companion, s.aisle
     FROM unnest($3::int[], $4::int[], $5::float8[], $6::float8[], $7::float8[], $8::bool[], $9::bool[], $10::bool[], $11::bool[])
          AS s(row_index, number, x, y, stage_distance, accessible, restricted_view, companion, aisle)
     JOIN new_rows ON new_rows.sort_order = s.row_index`,
    [
      sectionId,
      generated.rows.map((row) => row.label),
      seats.map((seat) => seat.row),
      seats.map((seat) => seat.number),
      seats.map((seat) => seat.x),
      seats.map((seat) => seat.y),
      seats.map((seat) => seat.stageDistance),
      seats.map((seat) => seat.accessible),
      seats.map((seat) => seat.restrictedView),
      seats.map((seat) => seat.companion),
      seats.map((seat) => seat.aisle),
    ],
  );
  await tx.query(`UPDATE sections SET layout = $2::jsonb WHERE id = $1`, [sectionId, JSON.stringify(layout)]);
  await tx.query(
    `INSERT INTO event_seats (event_id, seat_id, section_id)
     SELECT es.event_id, seat.id, seat.section_id FROM event_sections es JOIN seats seat ON seat.section_id = es.section_id
     WHERE es.section_id = $1`,
    [sectionId],
  );
  await syncEventSeatedCapacity(tx, sectionId);
}

async function syncEventSeatedCapacity(tx: pg.PoolClient, sectionId: string): Promise<void> {
  await tx.query(
    `UPDATE event_sections SET capacity = (SELECT count(*)::int FROM seats WHERE section_id = $1), version = version + 1 WHERE section_id = $1`,
    [sectionId],
  );
}

/** Deletes seats of one section (their inventory already gone); returns the ones deleted. */
export async function deleteSeats(tx: pg.PoolClient, sectionId: string, seatIds: string[]): Promise<SeatRow[]> {
  const { rows } = await tx.query<SeatRow>(
    `WITH deleted AS (DELETE FROM seats WHERE section_id = $1 AND id = ANY($2::uuid[]) RETURNING *)
     SELECT ${SEAT_COLUMNS} FROM deleted seat JOIN seat_rows r ON r.id = seat.row_id ORDER BY r.sort_order, seat.number`,
    [sectionId, seatIds],
  );
  await syncEventSeatedCapacity(tx, sectionId);
  return rows;
}

export async function findVenueSeats(db: pg.Pool, venueId: string): Promise<SeatRow[]> {
  const { rows } = await db.query<SeatRow>(
    `SELECT ${SEAT_COLUMNS} FROM sections s JOIN seats seat ON seat.section_id = s.id JOIN seat_rows r ON r.id = seat.row_id
     WHERE s.venue_id = $1 ORDER BY s.sort_order, r.sort_order, seat.number`,
    [venueId],
  );
  return rows;
}

/** Locks one seat with its section and the venue's organization. */
export async function lockSeat(tx: pg.PoolClient, id: string): Promise<(SeatRow & { venueId: string; organizationId: string | null; rowId: string }) | null> {
  const { rows } = await tx.query<SeatRow & { venueId: string; organizationId: string | null; rowId: string }>(
    `SELECT ${SEAT_COLUMNS}, s.venue_id AS "venueId", v.organization_id AS "organizationId", seat.row_id AS "rowId"
     FROM seats seat JOIN seat_rows r ON r.id = seat.row_id JOIN sections s ON s.id = seat.section_id JOIN venues v ON v.id = s.venue_id
     WHERE seat.id = $1 FOR UPDATE OF seat`,
    [id],
  );
  return rows[0] ?? null;
}

export async function seatNumberTaken(tx: pg.PoolClient, rowId: string, number: number, exceptId: string): Promise<boolean> {
  const { rows } = await tx.query(`SELECT 1 FROM seats WHERE row_id = $1 AND number = $2 AND id <> $3`, [rowId, number, exceptId]);
  return rows.length > 0;
}

export async function updateSeat(
  tx: pg.PoolClient,
  id: string,
  change: { accessible: boolean; restrictedView: boolean; number: number },
): Promise<SeatRow> {
  const { rows } = await tx.query<SeatRow>(
    `WITH updated AS (UPDATE seats SET accessible = $2, restricted_view = $3, number = $4 WHERE id = $1 RETURNING *)
     SELECT ${SEAT_COLUMNS} FROM updated seat JOIN seat_rows r ON r.id = seat.row_id`,
    [id, change.accessible, change.restrictedView, change.number],
  );
  return rows[0]!;
}

export async function venueOfSeat(tx: pg.PoolClient, seatId: string): Promise<string | null> {
  const { rows } = await tx.query<{ venueId: string }>(`SELECT s.venue_id AS "venueId" FROM seats seat JOIN sections s ON s.id = seat.section_id WHERE seat.id = $1`, [seatId]);
  return rows[0]?.venueId ?? null;
}

export async function organizationExists(tx: pg.PoolClient, id: string): Promise<boolean> {
  const { rows } = await tx.query(`SELECT 1 FROM organizations WHERE id = $1`, [id]);
  return rows.length > 0;
}

export async function findSeat(db: pg.Pool, id: string): Promise<SeatRow | null> {
  const { rows } = await db.query<SeatRow>(`SELECT ${SEAT_COLUMNS} FROM seats seat JOIN seat_rows r ON r.id = seat.row_id WHERE seat.id = $1`, [id]);
  return rows[0] ?? null;
}

/** Whether any event has sold the seat or holds it (unexpired); locks those inventory rows. */
export async function seatSoldOrHeld(tx: pg.PoolClient, seatId: string): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM event_seats WHERE seat_id = $1 AND (status = 'SOLD' OR (status = 'HELD' AND held_until > now())) FOR UPDATE`,
    [seatId],
  );
  return rows.length > 0;
}
