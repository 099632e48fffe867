/**
 * The SQL statements of holds other than placing them (hold.placer.ts sends those): ending holds
 * through `end_holds` (prisma/sql/functions/end_holds.sql), which frees each hold's seats and places
 * exactly once however many callers race, many holds per statement (hold.releaser.ts, the sweeper); reading holds, lines, counts, free seats, the event and its
 * venue's layout.
 */
import type pg from "pg";
import type { SynchronousCommit } from "../platform/config.js";

export interface HoldLineRow {
  holdId: string;
  sectionId: string;
  seatId: string | null;
  priceMinor: number;
  currency: string;
}

export interface HoldRow {
  id: string;
  eventId: string;
  userId: string;
  status: "ACTIVE" | "RELEASED" | "EXPIRED" | "CONVERTED";
  subtotalMinor: number;
  currency: string;
  expiresAt: Date;
}

/** A seat or general-admission places given back by an ended hold. */
export interface FreedPlace {
  holdId: string;
  userId: string;
  eventId: string;
  sectionId: string;
  seatId: string | null;
  quantity: number;
}

const FREED_COLUMNS = `hold_id AS "holdId", user_id AS "userId", event_id AS "eventId", section_id AS "sectionId", seat_id AS "seatId", quantity`;

/**
 * Releases many fans' live holds in one statement, one transaction and one commit (hold.releaser.ts):
 * each request ends its hold only when the hold is that user's, ACTIVE and not past its expiry. (`h.id
 * = ANY` lets the planner find the holds by primary key; joined on the pairs alone it scanned every
 * live hold.) The
 * holds are locked in id order before end_holds frees any seat, so concurrent batches take their locks
 * in one order. The commit mode is set for this transaction only, by the statement itself (set_config's
 * `is_local`); PostgreSQL reads it at commit. Returns every freed seat and place, by hold.
 */
export async function releaseHolds(
  db: pg.ClientBase | pg.Pool,
  requests: readonly { holdId: string; userId: string }[],
  synchronousCommit: SynchronousCommit,
): Promise<FreedPlace[]> {
  const { rows } = await db.query<FreedPlace>(
    `SELECT ${FREED_COLUMNS} FROM end_holds(ARRAY(
       SELECT h.id FROM holds h JOIN unnest($1::uuid[], $2::uuid[]) AS r(id, user_id) ON h.id = r.id AND h.user_id = r.user_id
       WHERE h.id = ANY($1::uuid[]) AND h.status = 'ACTIVE' AND h.expires_at > now() AND set_config('synchronous_commit', $3, true) IS NOT NULL
       ORDER BY h.id FOR UPDATE OF h
     ), 'RELEASED')`,
    [requests.map((request) => request.holdId), requests.map((request) => request.userId), synchronousCommit],
  );
  return rows;
}

/**
 * Ends up to `limit` expired holds in one statement and one commit (a set, not a hold at a time). Rows
 * another process is already ending are skipped (SKIP LOCKED), so any number of sweepers can run at
 * once and each hold is ended by exactly one. The commit mode is this transaction's only: an expiry
 * lost in a crash is redone by the next pass, and lazy expiry counted those seats free all along.
 */
export async function expireHolds(db: pg.Pool, limit: number, synchronousCommit: SynchronousCommit = "on"): Promise<FreedPlace[]> {
  const { rows } = await db.query<FreedPlace>(
    `SELECT ${FREED_COLUMNS} FROM end_holds(ARRAY(
       SELECT id FROM holds WHERE status = 'ACTIVE' AND expires_at <= now() AND set_config('synchronous_commit', $2, true) IS NOT NULL
       ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
     ), 'EXPIRED')`,
    [limit, synchronousCommit],
  );
  return rows;
}

export async function findHoldsByIds(db: pg.Pool, ids: readonly string[]): Promise<HoldRow[]> {
  const { rows } = await db.query<HoldRow>(
    `SELECT id, event_id AS "eventId", user_id AS "userId", status, subtotal_minor AS "subtotalMinor", currency,
            expires_at AS "expiresAt"
     FROM holds WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}

/**
 * A fan's live holds (ACTIVE and not yet past expires_at: the sweeper may not have ended an expired one
 * yet), soonest to expire first; one event's only when `eventId` is given. Served by the
 * (user_id, request_key) unique index, whose leading column is the user.
 */
export async function findLiveHoldsOfUser(db: pg.Pool, userId: string, eventId: string | null): Promise<HoldRow[]> {
  const { rows } = await db.query<HoldRow>(
    `SELECT id, event_id AS "eventId", user_id AS "userId", status, subtotal_minor AS "subtotalMinor", currency,
            expires_at AS "expiresAt"
     FROM holds
     WHERE user_id = $1::uuid AND status = 'ACTIVE' AND expires_at > now() AND ($2::uuid IS NULL OR event_id = $2::uuid)
     ORDER BY expires_at, id`,
    [userId, eventId],
  );
  return rows;
}

export async function findHoldLinesByHoldIds(db: pg.Pool, holdIds: readonly string[]): Promise<HoldLineRow[]> {
  const { rows } = await db.query<HoldLineRow>(
    `SELECT l.hold_id AS "holdId", l.section_id AS "sectionId", l.seat_id AS "seatId", l.price_minor AS "priceMinor", l.currency
     FROM hold_lines l
     LEFT JOIN seats s ON s.id = l.seat_id
     LEFT JOIN seat_rows r ON r.id = s.row_id
     WHERE l.hold_id = ANY($1::uuid[])
     ORDER BY l.section_id, r.sort_order, s.number, l.id`,
    [holdIds],
  );
  return rows;
}

export interface AvailabilityRow {
  eventId: string;
  sectionId: string;
  available: number;
  total: number;
  /** General admission: when the first live hold of the section expires (its places come back then). */
  nextExpiry: Date | null;
}

/**
 * Live counts per section, with lazy expiry: a seat whose hold has expired is available, and places of
 * expired general-admission holds the sweeper has not reached yet are counted as free.
 */
export async function countAvailability(db: pg.Pool, eventIds: readonly string[]): Promise<AvailabilityRow[]> {
  const { rows } = await db.query<AvailabilityRow>(
    `WITH seated AS (
       SELECT es.event_id, es.section_id,
              count(*) FILTER (WHERE es.status = 'AVAILABLE' OR (es.status = 'HELD' AND es.held_until <= now()))::int AS available,
              count(*) FILTER (WHERE es.status <> 'BLOCKED')::int AS total
       FROM event_seats es WHERE es.event_id = ANY($1::uuid[])
       GROUP BY es.event_id, es.section_id
     ), ga_holds AS (
       SELECT h.event_id, l.section_id,
              count(*) FILTER (WHERE h.expires_at <= now())::int AS lapsed,
              min(h.expires_at) FILTER (WHERE h.expires_at > now()) AS next_expiry
       FROM holds h JOIN hold_lines l ON l.hold_id = h.id AND l.seat_id IS NULL
       WHERE h.status = 'ACTIVE' AND h.event_id = ANY($1::uuid[])
       GROUP BY h.event_id, l.section_id
     )
     SELECT x.event_id AS "eventId", x.section_id AS "sectionId",
            CASE WHEN s.kind = 'GENERAL_ADMISSION'
                 THEN least(x.capacity, greatest(x.capacity - x.ga_held - x.ga_sold + coalesce(ga_holds.lapsed, 0), 0))
                 ELSE coalesce(seated.available, 0) END AS available,
            CASE WHEN s.kind = 'GENERAL_ADMISSION' THEN x.capacity ELSE coalesce(seated.total, 0) END AS total,
            ga_holds.next_expiry AS "nextExpiry"
     FROM event_sections x
     JOIN sections s ON s.id = x.section_id
     LEFT JOIN seated ON seated.event_id = x.event_id AND seated.section_id = x.section_id
     LEFT JOIN ga_holds ON ga_holds.event_id = x.event_id AND ga_holds.section_id = x.section_id
     WHERE x.event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  return rows;
}

/** Seats of one section that a hold could take now (free, or held by an expired hold). */
export async function findFreeSeatIds(db: pg.Pool, eventId: string, sectionId: string): Promise<string[]> {
  const { rows } = await db.query<{ seatId: string }>(
    `SELECT seat_id AS "seatId" FROM event_seats
     WHERE event_id = $1::uuid AND section_id = $2::uuid
       AND (status = 'AVAILABLE' OR (status = 'HELD' AND held_until <= now()))`,
    [eventId, sectionId],
  );
  return rows.map((row) => row.seatId);
}

export interface HoldEventRow {
  id: string;
  venueId: string;
  /** The venue's layout version (raised by every seat-map change): the layout cache's key with venueId. */
  venueLayoutVersion: number;
  status: string;
  onSaleAt: Date;
  startsAt: Date;
  maxSeatsPerUser: number;
  allowSingleSeatGaps: boolean;
  waitingRoomEnabled: boolean;
}

export async function findHoldEvent(db: pg.Pool, eventId: string): Promise<HoldEventRow | null> {
  const { rows } = await db.query<HoldEventRow>(
    `SELECT id, venue_id AS "venueId", (SELECT layout_version FROM venues WHERE venues.id = events.venue_id) AS "venueLayoutVersion",
            status, on_sale_at AS "onSaleAt", starts_at AS "startsAt",
            max_seats_per_user AS "maxSeatsPerUser", allow_single_seat_gaps AS "allowSingleSeatGaps",
            waiting_room_enabled AS "waitingRoomEnabled"
     FROM events WHERE id = $1::uuid`,
    [eventId],
  );
  return rows[0] ?? null;
}

export interface VenueSeatRow {
  id: string;
  sectionId: string;
  sectionName: string;
  rowId: string;
  rowLabel: string;
  rowOrder: number;
  number: number;
  x: number;
  y: number;
  stageDistance: number;
}

export interface VenueSectionRow {
  id: string;
  venueId: string;
  name: string;
  kind: "SEATED" | "GENERAL_ADMISSION";
  capacity: number;
  /** Outline on the venue map (catalogue's SectionRow.shape). */
  shape: unknown;
}

export async function findVenueLayout(db: pg.Pool, venueId: string): Promise<{ sections: VenueSectionRow[]; seats: VenueSeatRow[] }> {
  const [sections, seats] = await Promise.all([
    db.query<VenueSectionRow>(`SELECT id, venue_id AS "venueId", name, kind, capacity, shape FROM sections WHERE venue_id = $1::uuid`, [venueId]),
    db.query<VenueSeatRow>(
      `SELECT s.id, s.section_id AS "sectionId", sec.name AS "sectionName", s.row_id AS "rowId", r.label AS "rowLabel",
              r.sort_order AS "rowOrder", s.number, s.x, s.y, s.stage_distance AS "stageDistance"
       FROM seats s JOIN seat_rows r ON r.id = s.row_id JOIN sections sec ON sec.id = s.section_id
       WHERE sec.venue_id = $1::uuid
       ORDER BY s.section_id, r.sort_order, s.number`,
      [venueId],
    ),
  ]);
  return { sections: sections.rows, seats: seats.rows };
}

/** When the PostgreSQL server now answering started (it changes with every restart or failover). */
export async function postgresStartedAt(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ started: string }>(`SELECT pg_postmaster_start_time()::text AS started`);
  return rows[0]!.started;
}

/** Events fans can hold seats of now (as holdSeats decides it: on sale, on-sale time passed, not started). */
export async function findEventsOnSale(pool: pg.Pool): Promise<{ id: string; venueId: string; venueLayoutVersion: number }[]> {
  const { rows } = await pool.query<{ id: string; venueId: string; venueLayoutVersion: number }>(
    `SELECT id, venue_id AS "venueId", (SELECT layout_version FROM venues WHERE venues.id = events.venue_id) AS "venueLayoutVersion"
     FROM events WHERE event_on_sale(status, on_sale_at, starts_at)`,
  );
  return rows;
}
