/**
 * The orders a partner key with orders:read reads (partnerOrders): its organization's events' orders,
 * in the order they last changed (updated_at, then id), a keyset page at a time. The rows are the
 * console's (admin/admin.orders.db.ts COLUMNS and FROM), so partners and the console read one shape.
 *
 * Index: orders (updated_at, id) (migration 20261202180000_partner_fans) walks the orders in page order
 * from the cursor or `updatedSince`; the organization is checked on each order's event.
 */
import type pg from "pg";
import { COLUMNS, FROM, type AdminOrderRow, type AdminOrderStatus } from "../admin/admin.orders.db.js";

export interface PartnerOrderQuery {
  organizationId: string;
  eventId: string | null;
  status: AdminOrderStatus | null;
  /** updated_at >= this. */
  updatedSince: Date | null;
  /** Strictly after this (updated_at, id): the previous page's last order. */
  after: { updatedAt: Date; id: string } | null;
  limit: number;
}

const WHERE = `e.organization_id = $1
  AND ($2::uuid IS NULL OR o.event_id = $2)
  AND ($3::"OrderStatus" IS NULL OR o.status = $3)
  AND ($4::timestamptz IS NULL OR o.updated_at >= $4)`;

export async function listPartnerOrders(db: pg.Pool, query: PartnerOrderQuery): Promise<AdminOrderRow[]> {
  const { rows } = await db.query<AdminOrderRow>(
    `SELECT ${COLUMNS} FROM ${FROM}
      WHERE ${WHERE} AND ($5::timestamptz IS NULL OR (o.updated_at, o.id) > ($5, $6::uuid))
      ORDER BY o.updated_at, o.id LIMIT $7`,
    [query.organizationId, query.eventId, query.status, query.updatedSince, query.after?.updatedAt ?? null, query.after?.id ?? null, query.limit],
  );
  return rows;
}

export async function countPartnerOrders(db: pg.Pool, query: Omit<PartnerOrderQuery, "after" | "limit">): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${FROM} WHERE ${WHERE}`, [
    query.organizationId,
    query.eventId,
    query.status,
    query.updatedSince,
  ]);
  return rows[0]!.n;
}
