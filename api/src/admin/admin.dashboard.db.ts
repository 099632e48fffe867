/**
 * Every SQL statement of the live sale dashboard. Each one aggregates inside PostgreSQL and returns a
 * bounded number of rows (one per section, per minute, per price change shown), never one per order or
 * seat: a dashboard of a 60,000-seat sale costs the same few round trips as one of a club night.
 */
import type pg from "pg";

type Queryable = Pick<pg.Pool, "query">;

export interface DashboardEventRow {
  id: string;
  organizationId: string;
  venueId: string;
  name: string;
  status: string;
  currency: string;
}

export async function findDashboardEvent(db: Queryable, eventId: string): Promise<DashboardEventRow | null> {
  const { rows } = await db.query<DashboardEventRow>(
    `SELECT id, organization_id AS "organizationId", venue_id AS "venueId", name, status, currency FROM events WHERE id = $1::uuid`,
    [eventId],
  );
  return rows[0] ?? null;
}

export interface SalesTotalsRow {
  ticketsSold: number;
  orders: number;
  revenueMinor: number;
  grossRevenueMinor: number;
}

/**
 * Tickets that count (not voided: a refunded order's tickets are) and the money of paid orders. An
 * order row is written when its payment succeeded (finalize_checkout), so CONFIRMED orders are the paid ones.
 */
export async function salesTotals(db: Queryable, eventId: string): Promise<SalesTotalsRow> {
  const { rows } = await db.query<SalesTotalsRow>(
    `SELECT
       (SELECT count(*)::int FROM tickets WHERE event_id = $1::uuid AND voided_at IS NULL) AS "ticketsSold",
       count(*)::int AS orders,
       coalesce(sum(subtotal_minor), 0)::float8 AS "revenueMinor",
       coalesce(sum(total_minor), 0)::float8 AS "grossRevenueMinor"
     FROM orders WHERE event_id = $1::uuid AND status = 'CONFIRMED'`,
    [eventId],
  );
  return rows[0]!;
}

export interface SalesMinuteRow {
  minute: Date;
  tickets: number;
  revenueMinor: number;
}

/**
 * Tickets and face-value revenue of paid orders per minute over the last `minutes` minutes, the current
 * (partial) minute last; minutes without sales are present with zeros (generate_series), so the chart
 * has no gaps. An order counts in the minute it was paid (orders.created_at, see salesTotals).
 */
export async function salesPerMinute(db: Queryable, eventId: string, minutes: number): Promise<SalesMinuteRow[]> {
  const { rows } = await db.query<SalesMinuteRow>(
    `WITH bounds AS (SELECT date_trunc('minute', now()) AS last, date_trunc('minute', now()) - make_interval(mins => $2::int - 1) AS first),
     sales AS (
       SELECT date_trunc('minute', o.created_at) AS minute, count(*)::int AS tickets, sum(l.price_minor)::float8 AS revenue
       FROM orders o JOIN order_lines l ON l.order_id = o.id, bounds
       WHERE o.event_id = $1::uuid AND o.status = 'CONFIRMED' AND o.created_at >= bounds.first
       GROUP BY 1
     )
     SELECT m.minute, coalesce(s.tickets, 0) AS tickets, coalesce(s.revenue, 0) AS "revenueMinor"
     FROM bounds, generate_series(bounds.first, bounds.last, interval '1 minute') AS m(minute)
     LEFT JOIN sales s ON s.minute = m.minute
     ORDER BY m.minute`,
    [eventId, minutes],
  );
  return rows;
}

export interface DashboardSectionRow {
  sectionId: string;
  name: string;
  kind: "SEATED" | "GENERAL_ADMISSION";
  total: number;
  sold: number;
  held: number;
  blocked: number;
  priceMinor: number;
  currency: string;
  floorMinor: number;
  ceilingMinor: number;
  dynamicPricing: boolean;
  pricingPaused: boolean;
  overridden: boolean;
  priceUpdatedAt: Date;
  lastExplanation: string | null;
  lastReasonCodes: string[] | null;
  lastComputedAt: Date | null;
}

/**
 * Each section's inventory by status and its pricing state. Seated sections count their event_seats
 * rows (index event_id, section_id); a HELD seat whose held_until has passed counts as available, as
 * everywhere (lazy expiry). General admission reads its counters.
 */
export async function sections(db: Queryable, eventId: string): Promise<DashboardSectionRow[]> {
  const { rows } = await db.query<DashboardSectionRow>(
    `SELECT es.section_id AS "sectionId", s.name, s.kind::text AS kind,
       CASE WHEN s.kind = 'SEATED' THEN coalesce(c.total, 0) ELSE es.capacity END AS total,
       CASE WHEN s.kind = 'SEATED' THEN coalesce(c.sold, 0) ELSE es.ga_sold END AS sold,
       CASE WHEN s.kind = 'SEATED' THEN coalesce(c.held, 0) ELSE es.ga_held END AS held,
       coalesce(c.blocked, 0) AS blocked,
       es.price_minor AS "priceMinor", es.currency, es.price_floor_minor AS "floorMinor", es.price_ceiling_minor AS "ceilingMinor",
       es.dynamic_pricing AS "dynamicPricing", es.pricing_paused AS "pricingPaused",
       es.override_price_minor IS NOT NULL AS overridden, es.price_updated_at AS "priceUpdatedAt",
       ps.last_explanation AS "lastExplanation", ps.last_reason_codes AS "lastReasonCodes", ps.computed_at AS "lastComputedAt"
     FROM event_sections es
     JOIN sections s ON s.id = es.section_id
     LEFT JOIN section_pricing_state ps ON ps.event_id = es.event_id AND ps.section_id = es.section_id
     LEFT JOIN LATERAL (
       SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status = 'SOLD')::int AS sold,
              count(*) FILTER (WHERE status = 'HELD' AND held_until > now())::int AS held,
              count(*) FILTER (WHERE status = 'BLOCKED')::int AS blocked
       FROM event_seats WHERE event_id = es.event_id AND section_id = es.section_id
     ) c ON s.kind = 'SEATED'
     WHERE es.event_id = $1::uuid
     ORDER BY s.sort_order, s.name`,
    [eventId],
  );
  return rows;
}

export interface PriceChangeRow {
  sectionId: string;
  priceMinor: number;
  previousPriceMinor: number | null;
  reason: string;
  explanation: string;
  at: Date;
}

/** The last `perSection` price changes of each section, oldest first (index event_id, section_id, id). */
export async function priceHistory(db: Queryable, eventId: string, perSection: number): Promise<PriceChangeRow[]> {
  const { rows } = await db.query<PriceChangeRow>(
    `SELECT es.section_id AS "sectionId", h.price_minor AS "priceMinor", h.previous_price_minor AS "previousPriceMinor",
       h.reason, h.explanation, h.created_at AS at
     FROM event_sections es
     CROSS JOIN LATERAL (
       SELECT id, price_minor, previous_price_minor, reason, explanation, created_at FROM price_history
       WHERE event_id = es.event_id AND section_id = es.section_id ORDER BY id DESC LIMIT $2::int
     ) h
     WHERE es.event_id = $1::uuid
     ORDER BY es.section_id, h.id`,
    [eventId, perSection],
  );
  return rows;
}

export interface ExpiringHoldsRow {
  minutesFromNow: number;
  holds: number;
  tickets: number;
}

/**
 * Active holds that expire in each of the next `minutes` minutes (bucket 0: within the next minute),
 * with their tickets: what may come back on sale soon. Found through holds (status, expires_at).
 */
export async function expiringHolds(db: Queryable, eventId: string, minutes: number): Promise<ExpiringHoldsRow[]> {
  const { rows } = await db.query<ExpiringHoldsRow>(
    `WITH expiring AS (
       SELECT floor(extract(epoch FROM h.expires_at - now()) / 60)::int AS bucket, count(*)::int AS holds,
              sum((SELECT count(*) FROM hold_lines l WHERE l.hold_id = h.id))::int AS tickets
       FROM holds h
       WHERE h.status = 'ACTIVE' AND h.expires_at > now() AND h.expires_at < now() + make_interval(mins => $2::int) AND h.event_id = $1::uuid
       GROUP BY 1
     )
     SELECT b.bucket AS "minutesFromNow", coalesce(e.holds, 0) AS holds, coalesce(e.tickets, 0) AS tickets
     FROM generate_series(0, $2::int - 1) AS b(bucket) LEFT JOIN expiring e ON e.bucket = b.bucket
     ORDER BY b.bucket`,
    [eventId, minutes],
  );
  return rows;
}
