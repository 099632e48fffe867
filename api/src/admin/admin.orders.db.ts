/**
 * Every SQL statement of the admin console's orders: the list and its filters, one order with its
 * tickets and payments, the confirmation email enqueued again, and the two CSV exports' queries (read
 * through a cursor by admin.orders.exports.ts, never into memory whole).
 *
 * Indexes each search uses (migration 20261202114941_admin_orders_indexes): buyer email → users'
 * unique email (stored lower-cased and trimmed, so the filter is lower-cased and compared exactly);
 * order id and ticket id → primary keys; event → orders (event_id, created_at), which also gives an
 * event's orders in date order; date range and the default sort → orders (created_at). The filters are
 * `$n IS NULL OR ...` pairs: node-postgres sends unnamed statements, so each is planned with its
 * values and the unused filters fold away (admin/orders-exports.test.ts checks the plans on 100,000 orders).
 */
import type pg from "pg";

export type AdminOrderStatus = "PENDING" | "CONFIRMED" | "CANCELLED" | "REFUNDED";

export interface AdminOrderRow {
  id: string;
  status: AdminOrderStatus;
  eventId: string;
  eventName: string;
  eventStartsAt: Date;
  /** The event's venue's IANA time zone (its times are read in it). */
  eventTimezone: string;
  organizationId: string;
  buyerId: string;
  buyerEmail: string;
  buyerName: string;
  currency: string;
  subtotalMinor: number;
  feesMinor: number;
  totalMinor: number;
  ticketCount: number;
  createdAt: Date;
  /** When the order last changed (paid, cancelled, refunded). */
  updatedAt: Date;
  cancelledAt: Date | null;
}

/** The columns of an order row (also read by partner/partner.orders.db.ts). */
export const COLUMNS = `o.id, o.status, o.event_id AS "eventId", e.name AS "eventName", e.starts_at AS "eventStartsAt",
  (SELECT v.timezone FROM venues v WHERE v.id = e.venue_id) AS "eventTimezone", e.organization_id AS "organizationId", u.id AS "buyerId", u.email AS "buyerEmail", u.name AS "buyerName", o.currency,
  o.subtotal_minor AS "subtotalMinor", o.fees_minor AS "feesMinor", o.total_minor AS "totalMinor",
  (SELECT count(*)::int FROM tickets t WHERE t.order_id = o.id) AS "ticketCount", o.created_at AS "createdAt", o.updated_at AS "updatedAt", o.cancelled_at AS "cancelledAt"`;

/** An order with its event and buyer (also read by partner/partner.orders.db.ts). */
export const FROM = `orders o JOIN events e ON e.id = o.event_id JOIN users u ON u.id = o.user_id`;

/** Sort fields of adminOrders and their columns (admin.types.ts sortColumn). */
export const ORDER_SORT_COLUMNS: Record<string, string> = {
  createdAt: "o.created_at",
  total: "o.total_minor",
  status: "o.status",
};

export interface AdminOrderQuery {
  /** null: every organization's (an admin). */
  organizationId: string | null;
  /** Lower-cased and trimmed, compared exactly (users.email is stored so). */
  email?: string | null;
  orderId?: string | null;
  ticketId?: string | null;
  eventId?: string | null;
  status?: AdminOrderStatus | null;
  /** created_at >= from, created_at < to. */
  from?: Date | null;
  to?: Date | null;
  ids?: readonly string[] | null;
  orderBy: string;
  descending: boolean;
  offset: number;
  limit: number;
}

/** The list's WHERE clause and its values ($1..$9), shared by the page and its count. */
function where(query: AdminOrderQuery): { sql: string; values: unknown[] } {
  return {
    sql: `($1::uuid IS NULL OR e.organization_id = $1)
      AND ($2::text IS NULL OR u.email = $2)
      AND ($3::uuid IS NULL OR o.id = $3)
      AND ($4::uuid IS NULL OR o.id = (SELECT t.order_id FROM tickets t WHERE t.id = $4))
      AND ($5::uuid IS NULL OR o.event_id = $5)
      AND ($6::"OrderStatus" IS NULL OR o.status = $6)
      AND ($7::timestamptz IS NULL OR o.created_at >= $7)
      AND ($8::timestamptz IS NULL OR o.created_at < $8)
      AND ($9::uuid[] IS NULL OR o.id = ANY($9))`,
    values: [
      query.organizationId,
      query.email ?? null,
      query.orderId ?? null,
      query.ticketId ?? null,
      query.eventId ?? null,
      query.status ?? null,
      query.from ?? null,
      query.to ?? null,
      query.ids ?? null,
    ],
  };
}

/** The statement of one page of the list (exported so a test can EXPLAIN it). */
export function listOrdersStatement(query: AdminOrderQuery): { text: string; values: unknown[] } {
  const filter = where(query);
  const direction = query.descending ? "DESC" : "ASC";
  return {
    text: `SELECT ${COLUMNS} FROM ${FROM} WHERE ${filter.sql}
           ORDER BY ${query.orderBy} ${direction}, o.id ${direction} OFFSET $10 LIMIT $11`,
    values: [...filter.values, query.offset, query.limit],
  };
}

export async function listOrders(db: pg.Pool, query: AdminOrderQuery): Promise<{ rows: AdminOrderRow[]; total: number }> {
  const filter = where(query);
  const [{ rows }, { rows: count }] = await Promise.all([
    db.query<AdminOrderRow>(listOrdersStatement(query)),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${FROM} WHERE ${filter.sql}`, filter.values),
  ]);
  return { rows, total: count[0]!.n };
}

export async function findOrder(db: pg.Pool | pg.PoolClient, id: string): Promise<AdminOrderRow | null> {
  const { rows } = await db.query<AdminOrderRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE o.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The order row locked against a concurrent refund (cancel_order locks it FOR UPDATE), with its organization. */
export async function lockOrder(tx: pg.PoolClient, id: string): Promise<{ status: AdminOrderStatus; organizationId: string; eventId: string; userId: string } | null> {
  const { rows } = await tx.query<{ status: AdminOrderStatus; organizationId: string; eventId: string; userId: string }>(
    `SELECT o.status, e.organization_id AS "organizationId", o.event_id AS "eventId", o.user_id AS "userId"
     FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = $1 FOR SHARE OF o`,
    [id],
  );
  return rows[0] ?? null;
}

export interface AdminTicketRow {
  orderId: string;
  id: string;
  status: "VALID" | "SCANNED" | "VOID";
  sectionId: string;
  sectionName: string;
  seatId: string | null;
  rowLabel: string | null;
  seatNumber: number | null;
  priceMinor: number;
  currency: string;
  scannedAt: Date | null;
  voidedAt: Date | null;
}

/** The tickets of these orders with their place and the price their order line locked. */
export async function ticketsOfOrders(db: pg.Pool, orderIds: readonly string[]): Promise<AdminTicketRow[]> {
  const { rows } = await db.query<AdminTicketRow>(
    `SELECT t.order_id AS "orderId", t.id, t.status, t.section_id AS "sectionId", sec.name AS "sectionName", t.seat_id AS "seatId",
            r.label AS "rowLabel", s.number AS "seatNumber", coalesce(l.price_minor, 0) AS "priceMinor", o.currency,
            t.scanned_at AS "scannedAt", t.voided_at AS "voidedAt"
     FROM tickets t
     JOIN orders o ON o.id = t.order_id
     JOIN sections sec ON sec.id = t.section_id
     LEFT JOIN seats s ON s.id = t.seat_id
     LEFT JOIN seat_rows r ON r.id = s.row_id
     LEFT JOIN LATERAL (SELECT l.price_minor FROM order_lines l
                        WHERE l.order_id = t.order_id AND l.section_id = t.section_id AND l.seat_id IS NOT DISTINCT FROM t.seat_id
                        LIMIT 1) l ON true
     WHERE t.order_id = ANY($1::uuid[])
     ORDER BY sec.sort_order, r.sort_order, s.number, t.id`,
    [orderIds],
  );
  return rows;
}

export interface AdminPaymentRow {
  orderId: string;
  id: string;
  provider: string;
  reference: string | null;
  status: "CREATED" | "SUCCEEDED" | "FAILED" | "REFUNDED";
  amountMinor: number;
  currency: string;
  createdAt: Date;
  refunds: { id: string; amountMinor: number; currency: string; reason: string; reference: string | null; createdAt: string }[];
}

/** The payments of these orders (their payment intents) with each one's refunds. */
export async function paymentsOfOrders(db: pg.Pool, orderIds: readonly string[]): Promise<AdminPaymentRow[]> {
  const { rows } = await db.query<AdminPaymentRow>(
    `SELECT i.order_id AS "orderId", i.id, i.gateway AS provider, i.gateway_reference AS reference, i.status,
            i.amount_minor AS "amountMinor", i.currency, i.created_at AS "createdAt",
            (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'amountMinor', r.amount_minor, 'currency', r.currency, 'reason', r.reason,
                                                          'reference', r.gateway_reference, 'createdAt', r.created_at) ORDER BY r.created_at), '[]'::jsonb)
             FROM refunds r WHERE r.payment_intent_id = i.id) AS refunds
     FROM payment_intents i WHERE i.order_id = ANY($1::uuid[]) ORDER BY i.created_at`,
    [orderIds],
  );
  return rows;
}

/**
 * Delivers the order's confirmation email again: an OrderConfirmed outbox row for the email consumer
 * only (outbox.email.ts re-reads the order, and writes over the earlier .eml of the same order).
 */
export async function enqueueConfirmation(tx: pg.PoolClient, order: { id: string; eventId: string; userId: string }): Promise<void> {
  await tx.query(
    `WITH event AS (
       INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload)
       VALUES ('OrderConfirmed', 'order', $1::text, jsonb_build_object('orderId', $1::uuid, 'eventId', $2::uuid, 'userId', $3::uuid, 'resend', true))
       RETURNING id
     )
     INSERT INTO outbox_deliveries (outbox_event_id, consumer) SELECT id, 'email' FROM event`,
    [order.id, order.eventId, order.userId],
  );
}

// ------------------------------------------------------------------ exports (read through a cursor)

/** One row per order of the event, oldest first (orders (event_id, created_at)). Amounts in major units. */
export const ORDERS_EXPORT_SQL = `
  SELECT o.id AS order_id, o.created_at, o.status::text AS status, u.email AS buyer_email, u.name AS buyer_name,
         (SELECT count(*)::int FROM tickets t WHERE t.order_id = o.id) AS tickets,
         round(o.subtotal_minor / 100.0, 2)::text AS subtotal, round(o.fees_minor / 100.0, 2)::text AS fees,
         round(o.total_minor / 100.0, 2)::text AS total, o.currency, o.cancelled_at
  FROM orders o JOIN users u ON u.id = o.user_id
  WHERE o.event_id = $1
  ORDER BY o.created_at, o.id`;

/** One row per ticket of the event (void ones too, with their status), by section, row and seat. */
export const ATTENDEES_EXPORT_SQL = `
  SELECT t.id AS ticket_id, t.order_id, t.status::text AS ticket_status, sec.name AS section, r.label AS row, s.number AS seat,
         round(coalesce(l.price_minor, 0) / 100.0, 2)::text AS price, o.currency, u.email AS buyer_email, u.name AS buyer_name,
         o.status::text AS order_status, o.created_at AS purchased_at, t.scanned_at
  FROM tickets t
  JOIN orders o ON o.id = t.order_id
  JOIN users u ON u.id = o.user_id
  JOIN sections sec ON sec.id = t.section_id
  LEFT JOIN seats s ON s.id = t.seat_id
  LEFT JOIN seat_rows r ON r.id = s.row_id
  LEFT JOIN LATERAL (SELECT l.price_minor FROM order_lines l
                     WHERE l.order_id = t.order_id AND l.section_id = t.section_id AND l.seat_id IS NOT DISTINCT FROM t.seat_id
                     LIMIT 1) l ON true
  WHERE t.event_id = $1
  ORDER BY sec.sort_order, sec.name, r.sort_order, s.number, t.id`;

export const ORDERS_EXPORT_COLUMNS = ["order_id", "created_at", "status", "buyer_email", "buyer_name", "tickets", "subtotal", "fees", "total", "currency", "cancelled_at"];
export const ATTENDEES_EXPORT_COLUMNS = [
  "ticket_id",
  "order_id",
  "ticket_status",
  "section",
  "row",
  "seat",
  "price",
  "currency",
  "buyer_email",
  "buyer_name",
  "order_status",
  "purchased_at",
  "scanned_at",
];

/** The event's organization and slug (null when there is no such event). */
export async function findExportEvent(db: pg.Pool, eventId: string): Promise<{ organizationId: string; slug: string } | null> {
  const { rows } = await db.query<{ organizationId: string; slug: string }>(`SELECT organization_id AS "organizationId", slug FROM events WHERE id = $1`, [eventId]);
  return rows[0] ?? null;
}

/** Who the user is now (a download link outlives nothing, but a role or organization may change); null once disabled. */
export async function findViewer(db: pg.Pool, userId: string): Promise<{ role: "FAN" | "PROMOTER" | "ADMIN"; organizationId: string | null } | null> {
  const { rows } = await db.query<{ role: "FAN" | "PROMOTER" | "ADMIN"; organizationId: string | null }>(
    `SELECT role, organization_id AS "organizationId" FROM users WHERE id = $1 AND disabled_at IS NULL`,
    [userId],
  );
  return rows[0] ?? null;
}
