/**
 * Every SQL statement of the catalogue. Batch readers take many keys and return one statement's rows
 * (the DataLoaders in catalogue.loaders.ts call them); list queries use keyset pagination.
 * An expired hold counts as AVAILABLE here, as everywhere (lazy expiry).
 */
import type pg from "pg";
import type { EventCategory, EventStatus, SeatStatus, SectionKind } from "./catalogue.types.js";

export interface EventRow {
  id: string;
  name: string;
  artist: string;
  category: EventCategory;
  status: EventStatus;
  startsAt: Date;
  onSaleAt: Date;
  waitingRoomEnabled: boolean;
  presaleEnabled: boolean;
  holdDurationSeconds: number;
  maxSeatsPerUser: number;
  currency: string;
  venueId: string;
  organizationId: string;
  serviceFeeBasisPoints: number;
  facilityFeeMinor: number;
}

export interface VenueRow {
  id: string;
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
  capacity: number;
  /** Drawing extent and stage as stored by the seed or the admin console (see venue-layouts.ts). */
  map: unknown;
}

export interface SectionRow {
  id: string;
  venueId: string;
  name: string;
  kind: SectionKind;
  capacity: number;
  /** Outline polygon and label position, `{ polygon: [[x, y], …], label: [x, y] }`. */
  shape: unknown;
}

export interface EventSectionRow {
  eventId: string;
  section: SectionRow;
  priceMinor: number;
  currency: string;
  total: number;
  available: number;
}

export interface SeatRow {
  id: string;
  sectionId: string;
  row: string;
  number: number;
  x: number;
  y: number;
  status: SeatStatus;
}

const EVENT_COLUMNS = `e.id, e.name, e.artist, e.category, e.status, e.starts_at AS "startsAt", e.on_sale_at AS "onSaleAt",
  e.waiting_room_enabled AS "waitingRoomEnabled", e.presale_enabled AS "presaleEnabled", e.hold_duration_seconds AS "holdDurationSeconds",
  e.max_seats_per_user AS "maxSeatsPerUser", e.currency, e.venue_id AS "venueId", e.organization_id AS "organizationId",
  e.service_fee_basis_points AS "serviceFeeBasisPoints", e.facility_fee_minor AS "facilityFeeMinor"`;

export interface EventListFilter {
  category?: EventCategory | null;
  venueId?: string | null;
  city?: string | null;
  artist?: string | null;
  startsAfter?: Date | null;
  startsBefore?: Date | null;
}

/** Whose events a list shows: the public (no drafts), or everything of one organization / of all (admins). */
export type EventScope = { kind: "public" } | { kind: "managed"; organizationId: string | null };

function eventFilterSql(filter: EventListFilter, scope: EventScope, params: unknown[]): string {
  const where: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (scope.kind === "public") where.push(`e.status <> 'DRAFT'`);
  else if (scope.organizationId) add((p) => `e.organization_id = ${p}::uuid`, scope.organizationId);
  if (filter.category) add((p) => `e.category = ${p}::"EventCategory"`, filter.category);
  if (filter.venueId) add((p) => `e.venue_id = ${p}::uuid`, filter.venueId);
  if (filter.city) add((p) => `e.venue_id IN (SELECT id FROM venues WHERE lower(city) = lower(${p}))`, filter.city);
  if (filter.artist) add((p) => `e.artist ILIKE '%' || ${p} || '%'`, filter.artist.replace(/[%_\\]/g, "\\$&"));
  if (filter.startsAfter) add((p) => `e.starts_at >= ${p}`, filter.startsAfter);
  if (filter.startsBefore) add((p) => `e.starts_at < ${p}`, filter.startsBefore);
  return where.length > 0 ? where.join(" AND ") : "true";
}

/** Events of a scope, newest on-sale first; `after` is the (onSaleAt, id) of the last row already seen. */
export async function listEvents(
  db: pg.Pool,
  filter: EventListFilter,
  scope: EventScope,
  page: { limit: number; after: { onSaleAt: Date; id: string } | null },
): Promise<EventRow[]> {
  const params: unknown[] = [];
  let where = eventFilterSql(filter, scope, params);
  if (page.after) {
    params.push(page.after.onSaleAt, page.after.id);
    where += ` AND (e.on_sale_at, e.id) < ($${params.length - 1}, $${params.length}::uuid)`;
  }
  params.push(page.limit);
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events e WHERE ${where} ORDER BY e.on_sale_at DESC, e.id DESC LIMIT $${params.length}`,
    params,
  );
  return rows;
}

export async function countEvents(db: pg.Pool, filter: EventListFilter, scope: EventScope): Promise<number> {
  const params: unknown[] = [];
  const { rows } = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM events e WHERE ${eventFilterSql(filter, scope, params)}`,
    params,
  );
  return rows[0]!.count;
}

export async function findEventsByIds(db: pg.Pool, ids: readonly string[]): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = ANY($1::uuid[])`, [ids]);
  return rows;
}

export async function findVenuesByIds(db: pg.Pool, ids: readonly string[]): Promise<VenueRow[]> {
  const { rows } = await db.query<VenueRow>(
    `SELECT id, name, city, country, latitude, longitude, timezone, capacity, map FROM venues WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}

export async function findSectionsByVenueIds(db: pg.Pool, venueIds: readonly string[]): Promise<SectionRow[]> {
  const { rows } = await db.query<SectionRow>(
    `SELECT id, venue_id AS "venueId", name, kind, capacity, shape FROM sections
     WHERE venue_id = ANY($1::uuid[]) ORDER BY sort_order, name`,
    [venueIds],
  );
  return rows;
}

export async function findSectionsByIds(db: pg.Pool, ids: readonly string[]): Promise<SectionRow[]> {
  const { rows } = await db.query<SectionRow>(
    `SELECT id, venue_id AS "venueId", name, kind, capacity, shape FROM sections WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}

/**
 * Price of every section of the given events in one statement. Counts (available, total) come from
 * the availability cache (hold.availability.ts), which recounts in PostgreSQL every few seconds.
 */
export async function findEventSectionsByEventIds(
  db: pg.Pool,
  eventIds: readonly string[],
): Promise<Omit<EventSectionRow, "available" | "total">[]> {
  const { rows } = await db.query<{
    eventId: string;
    sectionId: string;
    venueId: string;
    name: string;
    kind: SectionKind;
    sectionCapacity: number;
    shape: unknown;
    priceMinor: number;
    currency: string;
  }>(
    `SELECT x.event_id AS "eventId", s.id AS "sectionId", s.venue_id AS "venueId", s.name, s.kind,
            s.capacity AS "sectionCapacity", s.shape, x.price_minor AS "priceMinor", x.currency
     FROM event_sections x
     JOIN sections s ON s.id = x.section_id
     WHERE x.event_id = ANY($1::uuid[])
     ORDER BY s.sort_order, s.name`,
    [eventIds],
  );
  return rows.map((row) => ({
    eventId: row.eventId,
    section: {
      id: row.sectionId,
      venueId: row.venueId,
      name: row.name,
      kind: row.kind,
      capacity: row.sectionCapacity,
      shape: row.shape,
    },
    priceMinor: row.priceMinor,
    currency: row.currency,
  }));
}

/** A seat of an event with its live status: an expired hold shows as AVAILABLE (lazy expiry). */
const SEAT_COLUMNS = `es.event_id AS "eventId", s.id, s.section_id AS "sectionId", r.label AS row, s.number, s.x, s.y,
  CASE WHEN es.status = 'HELD' AND es.held_until <= now() THEN 'AVAILABLE' ELSE es.status::text END AS status`;

/** Seats of the given (event, section) pairs with live status, in row then seat order. */
export async function findSeatsByEventSections(
  db: pg.Pool,
  keys: readonly { eventId: string; sectionId: string }[],
): Promise<(SeatRow & { eventId: string })[]> {
  const { rows } = await db.query<SeatRow & { eventId: string }>(
    `SELECT ${SEAT_COLUMNS}
     FROM unnest($1::uuid[], $2::uuid[]) AS k(event_id, section_id)
     JOIN event_seats es ON es.event_id = k.event_id AND es.section_id = k.section_id
     JOIN seats s ON s.id = es.seat_id
     JOIN seat_rows r ON r.id = s.row_id
     ORDER BY r.sort_order, s.number`,
    [keys.map((key) => key.eventId), keys.map((key) => key.sectionId)],
  );
  return rows;
}

/** Individual seats of events with live status (hold lines, tickets). */
export async function findEventSeats(
  db: pg.Pool,
  keys: readonly { eventId: string; seatId: string }[],
): Promise<(SeatRow & { eventId: string })[]> {
  const { rows } = await db.query<SeatRow & { eventId: string }>(
    `SELECT ${SEAT_COLUMNS}
     FROM unnest($1::uuid[], $2::uuid[]) AS k(event_id, seat_id)
     JOIN event_seats es ON es.event_id = k.event_id AND es.seat_id = k.seat_id
     JOIN seats s ON s.id = es.seat_id
     JOIN seat_rows r ON r.id = s.row_id`,
    [keys.map((key) => key.eventId), keys.map((key) => key.seatId)],
  );
  return rows;
}

export interface SeatMapRow {
  sectionId: string;
  /** Only when asked for (findSeatMap's `seatIds`): random ids are most of the map's bytes and aggregation time. */
  seatIds?: string[];
  rows: string[];
  numbers: number[];
  x: number[];
  y: number[];
  statuses: string;
  features: string;
}

/**
 * Every seat of an event, one row per seated section with its seats as parallel arrays (row then seat
 * order), aggregated in PostgreSQL so an 18,000-seat arena is a few dozen rows, not 18,000 objects.
 * Seat ids are aggregated only when `seatIds` is true.
 */
export async function findSeatMap(db: pg.Pool, eventId: string, options: { seatIds: boolean } = { seatIds: true }): Promise<SeatMapRow[]> {
  const { rows } = await db.query<SeatMapRow>(
    `SELECT es.section_id AS "sectionId",
            ${options.seatIds ? `array_agg(s.id ORDER BY r.sort_order, s.number) AS "seatIds",` : ""}
            array_agg(r.label ORDER BY r.sort_order, s.number) AS rows,
            array_agg(s.number ORDER BY r.sort_order, s.number) AS numbers,
            array_agg(s.x ORDER BY r.sort_order, s.number) AS x,
            array_agg(s.y ORDER BY r.sort_order, s.number) AS y,
            string_agg(CASE WHEN es.status = 'HELD' AND es.held_until <= now() THEN 'A'
                            ELSE left(es.status::text, 1) END, '' ORDER BY r.sort_order, s.number) AS statuses,
            string_agg(to_hex(s.aisle::int | (s.accessible::int << 1) | (s.companion::int << 2) | (s.restricted_view::int << 3)), ''
                       ORDER BY r.sort_order, s.number) AS features
     FROM event_seats es
     JOIN seats s ON s.id = es.seat_id
     JOIN seat_rows r ON r.id = s.row_id
     JOIN sections sec ON sec.id = es.section_id
     WHERE es.event_id = $1
     GROUP BY es.section_id, sec.sort_order, sec.name
     ORDER BY sec.sort_order, sec.name`,
    [eventId],
  );
  return rows;
}

export interface CityRow {
  name: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
}

/** Cities whose venues have public (not DRAFT) events, with the centre of those venues and their usual time zone. */
export async function findCities(db: pg.Pool): Promise<CityRow[]> {
  const { rows } = await db.query<CityRow>(
    `SELECT v.city AS name, v.country, avg(v.latitude)::float8 AS latitude, avg(v.longitude)::float8 AS longitude,
            mode() WITHIN GROUP (ORDER BY v.timezone) AS timezone
     FROM venues v
     WHERE EXISTS (SELECT 1 FROM events e WHERE e.venue_id = v.id AND e.status <> 'DRAFT')
     GROUP BY v.city, v.country
     ORDER BY v.city`,
  );
  return rows;
}
