/**
 * Every SQL statement of the admin console's events. Writers take the transaction's client; each
 * change is decided by a conditional UPDATE ... RETURNING on a row locked first, so the record it
 * replaces (the audit's "before") is known exactly and zero rows means a rule refused it. The
 * events_search_version trigger bumps an event's version (and so writes its search outbox row) when
 * a change touches what search shows; these statements leave the version to it.
 */
import type pg from "pg";
import type { EventCategory, EventStatus } from "../catalogue/catalogue.types.js";
import type { PacingCurve } from "../pricing/pricing.rules.js";
import type { EventSettings } from "./admin.events.rules.js";

export interface AdminEventRow extends EventSettings {
  id: string;
  organizationId: string;
  venueId: string;
  venueName: string;
  venueCity: string;
  venueTimezone: string;
  slug: string;
  status: EventStatus;
  pricingFreezeMinutes: number;
  pricingCurve: PacingCurve;
  sellOutBy: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `e.id, e.organization_id AS "organizationId", e.venue_id AS "venueId", v.name AS "venueName", v.city AS "venueCity",
  v.timezone AS "venueTimezone", e.slug, e.name, e.artist, e.description, e.category, e.status, e.starts_at AS "startsAt",
  e.ends_at AS "endsAt", e.on_sale_at AS "onSaleAt", e.currency, e.hold_duration_seconds AS "holdDurationSeconds",
  e.max_seats_per_user AS "maxSeatsPerUser", e.allow_single_seat_gaps AS "allowSingleSeatGaps",
  e.service_fee_basis_points AS "serviceFeeBasisPoints", e.facility_fee_minor AS "facilityFeeMinor",
  e.waiting_room_enabled AS "waitingRoomEnabled", e.waiting_room_max_active_shoppers AS "waitingRoomMaxActiveShoppers",
  e.waiting_room_admission_interval_seconds AS "waitingRoomAdmissionIntervalSeconds", e.presale_enabled AS "presaleEnabled",
  e.proof_of_work_enabled AS "proofOfWorkEnabled", e.pricing_freeze_minutes AS "pricingFreezeMinutes",
  e.pricing_curve AS "pricingCurve", e.pricing_sell_out_at AS "sellOutBy", e.created_at AS "createdAt", e.updated_at AS "updatedAt"`;

/** Sort fields of adminEvents and their columns (admin.types.ts sortColumn). */
export const EVENT_SORT_COLUMNS: Record<string, string> = {
  name: "e.name",
  startsAt: "e.starts_at",
  onSaleAt: "e.on_sale_at",
  status: "e.status",
  createdAt: "e.created_at",
};

export interface AdminEventQuery {
  /** null: every organization's (an admin). */
  organizationId: string | null;
  q?: string | null;
  status?: EventStatus | null;
  venueId?: string | null;
  ids?: readonly string[] | null;
  orderBy: string;
  descending: boolean;
  offset: number;
  limit: number;
}

export async function listEvents(db: pg.Pool, query: AdminEventQuery): Promise<{ rows: AdminEventRow[]; total: number }> {
  const where = `($1::uuid IS NULL OR e.organization_id = $1)
    AND ($2::text IS NULL OR e.name ILIKE '%' || $2 || '%' OR e.artist ILIKE '%' || $2 || '%')
    AND ($3::"EventStatus" IS NULL OR e.status = $3) AND ($4::uuid IS NULL OR e.venue_id = $4)
    AND ($5::uuid[] IS NULL OR e.id = ANY($5))`;
  const params = [
    query.organizationId,
    query.q ? query.q.replace(/[%_\\]/g, "\\$&") : null,
    query.status ?? null,
    query.venueId ?? null,
    query.ids ?? null,
  ];
  const direction = query.descending ? "DESC" : "ASC";
  const [{ rows }, { rows: count }] = await Promise.all([
    db.query<AdminEventRow>(
      `SELECT ${COLUMNS} FROM events e JOIN venues v ON v.id = e.venue_id WHERE ${where}
       ORDER BY ${query.orderBy} ${direction}, e.id ${direction} OFFSET $6 LIMIT $7`,
      [...params, query.offset, query.limit],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events e WHERE ${where}`, params),
  ]);
  return { rows, total: count[0]!.n };
}

export async function findEvent(db: pg.Pool | pg.PoolClient, id: string): Promise<AdminEventRow | null> {
  const { rows } = await db.query<AdminEventRow>(`SELECT ${COLUMNS} FROM events e JOIN venues v ON v.id = e.venue_id WHERE e.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The event, locked for the rest of the transaction. */
export async function lockEvent(tx: pg.PoolClient, id: string): Promise<AdminEventRow | null> {
  const { rows } = await tx.query<AdminEventRow>(
    `SELECT ${COLUMNS} FROM events e JOIN venues v ON v.id = e.venue_id WHERE e.id = $1 FOR UPDATE OF e`,
    [id],
  );
  return rows[0] ?? null;
}

export async function findVenueOrganization(tx: pg.PoolClient, venueId: string): Promise<{ organizationId: string | null } | null> {
  const { rows } = await tx.query<{ organizationId: string | null }>(
    `SELECT organization_id AS "organizationId" FROM venues WHERE id = $1 FOR SHARE`,
    [venueId],
  );
  return rows[0] ?? null;
}

/** Inserts the event with the slug, or returns null when the slug is taken. */
export async function insertEvent(
  tx: pg.PoolClient,
  event: EventSettings & { organizationId: string; venueId: string; slug: string },
): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO events (slug, name, artist, description, category, status, venue_id, organization_id, currency, starts_at, ends_at,
       on_sale_at, hold_duration_seconds, max_seats_per_user, allow_single_seat_gaps, service_fee_basis_points, facility_fee_minor,
       waiting_room_enabled, waiting_room_max_active_shoppers, waiting_room_admission_interval_seconds, presale_enabled, proof_of_work_enabled)
     VALUES ($1, $2, $3, $4, $5::"EventCategory", 'DRAFT', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
     ON CONFLICT (slug) DO NOTHING RETURNING id`,
    [
      event.slug,
      event.name,
      event.artist,
      event.description,
      event.category satisfies EventCategory,
      event.venueId,
      event.organizationId,
      event.currency,
      event.startsAt,
      event.endsAt,
      event.onSaleAt,
      event.holdDurationSeconds,
      event.maxSeatsPerUser,
      event.allowSingleSeatGaps,
      event.serviceFeeBasisPoints,
      event.facilityFeeMinor,
      event.waitingRoomEnabled,
      event.waitingRoomMaxActiveShoppers,
      event.waitingRoomAdmissionIntervalSeconds,
      event.presaleEnabled,
      event.proofOfWorkEnabled,
    ],
  );
  return rows[0]?.id ?? null;
}

/**
 * The event's sections and seats from its venue, set-based (three statements for any venue size):
 * each section priced at the base price × its `priceFactor` (as the seed does), rounded to whole
 * units, never below 1.00; floor and ceiling ±40%; an initial price_history row each; every seat
 * AVAILABLE. Returns the number of sections and seats made.
 */
export async function insertInventory(
  tx: pg.PoolClient,
  event: { id: string; venueId: string; currency: string; basePriceMinor: number },
): Promise<{ sections: number; seats: number }> {
  const sections = await tx.query(
    `WITH priced AS (
       SELECT s.id, s.capacity,
              greatest(100, (round($2::int * coalesce((s.shape->>'priceFactor')::float8, 1) / 100) * 100)::int) AS price
       FROM sections s WHERE s.venue_id = $3)
     INSERT INTO event_sections (event_id, section_id, currency, price_minor, price_floor_minor, price_ceiling_minor, capacity)
     SELECT $1, id, $4, price, (price * 0.6)::int, least((price * 1.4)::bigint, 2147483647)::int, capacity FROM priced`,
    [event.id, event.basePriceMinor, event.venueId, event.currency],
  );
  await tx.query(
    `INSERT INTO price_history (event_id, section_id, price_minor, reason)
     SELECT event_id, section_id, price_minor, 'initial' FROM event_sections WHERE event_id = $1`,
    [event.id],
  );
  const seats = await tx.query(
    `INSERT INTO event_seats (event_id, seat_id, section_id, status)
     SELECT $1, seat.id, seat.section_id, 'AVAILABLE' FROM seats seat JOIN sections s ON s.id = seat.section_id WHERE s.venue_id = $2`,
    [event.id, event.venueId],
  );
  return { sections: sections.rowCount ?? 0, seats: seats.rowCount ?? 0 };
}

/**
 * The new settings. Refused (no row) when a field fixed by the sale changes and the sale has begun in
 * the meantime (the same rule as checkFixedFields, decided here against the locked row and now()).
 */
export async function updateEvent(tx: pg.PoolClient, id: string, next: EventSettings): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE events SET name = $2, artist = $3, description = $4, category = $5::"EventCategory", starts_at = $6, ends_at = $7,
       on_sale_at = $8, currency = $9, hold_duration_seconds = $10, max_seats_per_user = $11, allow_single_seat_gaps = $12,
       service_fee_basis_points = $13, facility_fee_minor = $14, waiting_room_enabled = $15, waiting_room_max_active_shoppers = $16,
       waiting_room_admission_interval_seconds = $17, presale_enabled = $18, proof_of_work_enabled = $19,
       updated_at = now()
     WHERE id = $1
       AND ((status = 'DRAFT' OR (status = 'SCHEDULED' AND on_sale_at > now()))
            OR (starts_at = $6 AND on_sale_at = $8 AND currency = $9 AND service_fee_basis_points = $13 AND facility_fee_minor = $14))`,
    [
      id,
      next.name,
      next.artist,
      next.description,
      next.category,
      next.startsAt,
      next.endsAt,
      next.onSaleAt,
      next.currency,
      next.holdDurationSeconds,
      next.maxSeatsPerUser,
      next.allowSingleSeatGaps,
      next.serviceFeeBasisPoints,
      next.facilityFeeMinor,
      next.waitingRoomEnabled,
      next.waitingRoomMaxActiveShoppers,
      next.waitingRoomAdmissionIntervalSeconds,
      next.presaleEnabled,
      next.proofOfWorkEnabled,
    ],
  );
  // Currency of the sections follows the event's (prices are in its currency).
  if (rowCount === 1) await tx.query(`UPDATE event_sections SET currency = $2 WHERE event_id = $1 AND currency <> $2`, [id, next.currency]);
  return rowCount === 1;
}

/**
 * Moves the status from `from` to `to`. Guards decided here: SCHEDULED needs at least one section and
 * every price above 0; an early ON_SALE moves the on-sale time to now (event_on_sale.sql sells an
 * event only once its on-sale time has passed, whatever its status).
 */
export async function transitionEvent(tx: pg.PoolClient, id: string, from: EventStatus, to: EventStatus): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE events e SET status = $3::"EventStatus",
       on_sale_at = CASE WHEN $3::text = 'ON_SALE' THEN least(e.on_sale_at, now()) ELSE e.on_sale_at END,
       updated_at = now()
     WHERE e.id = $1 AND e.status = $2::"EventStatus"
       AND ($3::text <> 'SCHEDULED' OR (
         EXISTS (SELECT 1 FROM event_sections x WHERE x.event_id = e.id)
         AND NOT EXISTS (SELECT 1 FROM event_sections x WHERE x.event_id = e.id AND x.price_minor <= 0)))`,
    [id, from, to],
  );
  return rowCount === 1;
}

export interface SectionPrice {
  sectionId: string;
  priceMinor: number;
}

export interface SectionPriceRow {
  sectionId: string;
  priceMinor: number;
  floorMinor: number;
  ceilingMinor: number;
  overridden: boolean;
}

export async function lockSectionPrices(tx: pg.PoolClient, eventId: string): Promise<SectionPriceRow[]> {
  const { rows } = await tx.query<SectionPriceRow>(
    `SELECT section_id AS "sectionId", price_minor AS "priceMinor", price_floor_minor AS "floorMinor",
            price_ceiling_minor AS "ceilingMinor", override_price_minor IS NOT NULL AS overridden
     FROM event_sections WHERE event_id = $1 ORDER BY section_id FOR UPDATE`,
    [eventId],
  );
  return rows;
}

/**
 * New base prices, only within each section's floor..ceiling and without an override, and only while
 * the event is DRAFT or SCHEDULED before its on-sale time; writes a price_history row for each price
 * that changed. Returns the sections changed with their previous price, or null when any was refused.
 */
export async function updateSectionPrices(
  tx: pg.PoolClient,
  eventId: string,
  prices: readonly SectionPrice[],
  actorUserId: string,
): Promise<{ sectionId: string; priceMinor: number; previousPriceMinor: number }[] | null> {
  const { rows } = await tx.query<{ sectionId: string; priceMinor: number; previousPriceMinor: number }>(
    `WITH wanted AS (SELECT * FROM unnest($2::uuid[], $3::int[]) AS w(section_id, price)),
     before AS (SELECT x.section_id, x.price_minor FROM event_sections x JOIN wanted w USING (section_id) WHERE x.event_id = $1),
     updated AS (
       UPDATE event_sections x SET price_minor = w.price,
              price_updated_at = CASE WHEN x.price_minor = w.price THEN x.price_updated_at ELSE now() END, version = x.version + 1
       FROM wanted w, events e
       WHERE x.event_id = $1 AND x.section_id = w.section_id AND e.id = x.event_id
         AND (e.status = 'DRAFT' OR (e.status = 'SCHEDULED' AND e.on_sale_at > now()))
         AND w.price BETWEEN x.price_floor_minor AND x.price_ceiling_minor AND x.override_price_minor IS NULL
       RETURNING x.section_id, x.price_minor)
     SELECT u.section_id AS "sectionId", u.price_minor AS "priceMinor", b.price_minor AS "previousPriceMinor"
     FROM updated u JOIN before b USING (section_id)`,
    [eventId, prices.map((price) => price.sectionId), prices.map((price) => price.priceMinor)],
  );
  if (rows.length !== prices.length) return null;
  const changed = rows.filter((row) => row.priceMinor !== row.previousPriceMinor);
  if (changed.length > 0) {
    await tx.query(
      `INSERT INTO price_history (event_id, section_id, price_minor, previous_price_minor, reason, actor_user_id, reason_codes, explanation)
       SELECT $1, section_id, price, previous, 'promoter', $5, '{BASE_PRICE}', 'The promoter set the base price before the on-sale.'
       FROM unnest($2::uuid[], $3::int[], $4::int[]) AS c(section_id, price, previous)`,
      [eventId, changed.map((row) => row.sectionId), changed.map((row) => row.priceMinor), changed.map((row) => row.previousPriceMinor), actorUserId],
    );
  }
  return changed;
}

export interface BlockedSeat {
  seatId: string;
  sectionId: string;
}

/** AVAILABLE seats of the event become BLOCKED (house seats); returns those changed. */
export async function blockSeats(tx: pg.PoolClient, eventId: string, seatIds: readonly string[]): Promise<BlockedSeat[]> {
  const { rows } = await tx.query<BlockedSeat>(
    `UPDATE event_seats SET status = 'BLOCKED', hold_id = NULL, holder_user_id = NULL, held_until = NULL, version = version + 1, updated_at = now()
     WHERE event_id = $1 AND seat_id = ANY($2::uuid[]) AND status = 'AVAILABLE'
     RETURNING seat_id AS "seatId", section_id AS "sectionId"`,
    [eventId, seatIds],
  );
  return rows;
}

/** BLOCKED seats of the event become AVAILABLE; returns those changed. */
export async function unblockSeats(tx: pg.PoolClient, eventId: string, seatIds: readonly string[]): Promise<BlockedSeat[]> {
  const { rows } = await tx.query<BlockedSeat>(
    `UPDATE event_seats SET status = 'AVAILABLE', version = version + 1, updated_at = now()
     WHERE event_id = $1 AND seat_id = ANY($2::uuid[]) AND status = 'BLOCKED'
     RETURNING seat_id AS "seatId", section_id AS "sectionId"`,
    [eventId, seatIds],
  );
  return rows;
}

/** Status of the given seats of the event (those that exist), after the change. */
export async function seatStatuses(tx: pg.PoolClient, eventId: string, seatIds: readonly string[]): Promise<{ seatId: string; status: string }[]> {
  const { rows } = await tx.query<{ seatId: string; status: string }>(
    `SELECT seat_id AS "seatId", status::text FROM event_seats WHERE event_id = $1 AND seat_id = ANY($2::uuid[])`,
    [eventId, seatIds],
  );
  return rows;
}
