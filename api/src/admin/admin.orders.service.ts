/**
 * The admin console's orders. Reads are scoped like every admin list: a promoter sees its
 * organization's orders, an admin all of them.
 *
 * Refund: input checked → the order read and its organization checked → the fan's own cancellation
 * path (checkout.service cancelOrder → cancel_order.sql: tickets VOID, seats AVAILABLE again, GA places
 * back, the order CANCELLED and a refund row, in one transaction that also writes this console's audit
 * row) → after commit, the freed seats are announced and the gateway refunds, idempotent by the refund
 * id (the checkout reconciler retries it if the gateway does not confirm; the order turns REFUNDED
 * then). An order already cancelled or refunded answers as the first call did, with no second refund
 * and no second audit row. States that cannot be refunded (not paid, event started, a ticket scanned)
 * are VALIDATION with nothing changed.
 *
 * Resend: one transaction locks the order, enqueues its confirmation email again through the outbox
 * and writes the audit row; after commit the email consumer is woken.
 */
import type pg from "pg";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import * as checkout from "../checkout/checkout.service.js";
import { withResultTransaction } from "../platform/db.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import { recordAudit } from "./admin.audit.js";
import * as db from "./admin.orders.db.js";
import { pageWindow, sortColumn, type SortOrder } from "./admin.types.js";

export type AdminOrderError = "VALIDATION" | "NOT_FOUND" | "FORBIDDEN";

export interface AdminOrderDependencies {
  checkout: checkout.CheckoutDependencies;
  /** Wakes the email consumer after a resend commits (a no-op when deliveries only run on demand). */
  deliverEmailsSoon(): void;
}

const MAX_REASON = 500;
const MAX_EMAIL = 320;

/** Whose orders a viewer reads: one organization's, every one (null, an admin), or none. */
function readScope(viewer: Viewer): { organizationId: string | null } | null {
  if (viewer.role === "ADMIN") return { organizationId: null };
  if (viewer.role === "PROMOTER" && viewer.organizationId) return { organizationId: viewer.organizationId };
  return null;
}

// ------------------------------------------------------------------ reads

export interface OrderListArgs {
  page: number;
  perPage: number;
  sortField?: string | null;
  sortOrder: SortOrder;
  filter?: {
    email?: string | null;
    orderId?: string | null;
    ticketId?: string | null;
    eventId?: string | null;
    status?: db.AdminOrderStatus | null;
    from?: Date | null;
    to?: Date | null;
    ids?: string[] | null;
  } | null;
}

const ID_FILTERS = ["orderId", "ticketId", "eventId"] as const;

/** One page of the orders the viewer manages. */
export async function listOrders(pool: pg.Pool, viewer: Viewer, args: OrderListArgs): Promise<Result<{ rows: db.AdminOrderRow[]; total: number }, "VALIDATION">> {
  const window = pageWindow(args);
  if ("error" in window) return fail("VALIDATION", window.error, "page");
  const orderBy = sortColumn(db.ORDER_SORT_COLUMNS, args.sortField, "createdAt");
  if (orderBy === null) return fail("VALIDATION", `sortField must be one of ${Object.keys(db.ORDER_SORT_COLUMNS).join(", ")}`, "sortField");
  const filter = args.filter ?? {};
  for (const name of ID_FILTERS) {
    const value = filter[name]?.trim();
    if (value && !isId(value)) return fail("VALIDATION", `filter.${name} is not a valid id`, `filter.${name}`);
  }
  if (filter.ids && (filter.ids.length > 100 || !filter.ids.every(isId))) return fail("VALIDATION", "filter.ids must be at most 100 valid ids", "filter.ids");
  if (filter.email && filter.email.length > MAX_EMAIL) return fail("VALIDATION", `filter.email must be at most ${MAX_EMAIL} characters`, "filter.email");
  if (filter.from && filter.to && filter.from >= filter.to) return fail("VALIDATION", "filter.from must be before filter.to", "filter.from");
  const scope = readScope(viewer);
  if (!scope) return ok({ rows: [], total: 0 });
  const id = (value: string | null | undefined) => value?.trim().toLowerCase() || null;
  return ok(
    await db.listOrders(pool, {
      organizationId: scope.organizationId,
      email: filter.email?.trim().toLowerCase() || null,
      orderId: id(filter.orderId),
      ticketId: id(filter.ticketId),
      eventId: id(filter.eventId),
      status: filter.status ?? null,
      from: filter.from ?? null,
      to: filter.to ?? null,
      ids: filter.ids?.map((value) => value.toLowerCase()) ?? null,
      orderBy,
      descending: args.sortOrder === "DESC",
      ...window,
    }),
  );
}

/** One order, or null when it does not exist or the viewer may not manage it. */
export async function findOrder(pool: pg.Pool, viewer: Viewer, id: string): Promise<db.AdminOrderRow | null> {
  if (!isId(id)) return null;
  const row = await db.findOrder(pool, id.toLowerCase());
  return row && canManageOrganization(viewer, row.organizationId) ? row : null;
}

export const ticketsOf = db.ticketsOfOrders;
export const paymentsOf = db.paymentsOfOrders;

// ------------------------------------------------------------------ refund

/** Refunds a paid order (see the header); answers the order's id. */
export async function refundOrder(deps: AdminOrderDependencies, viewer: Viewer, input: { id: string; reason: string }): Promise<Result<string, AdminOrderError>> {
  if (!isId(input.id)) return fail("VALIDATION", "id is not a valid id", "id");
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > MAX_REASON) return fail("VALIDATION", `reason must be 1 to ${MAX_REASON} characters`, "reason");
  const id = input.id.toLowerCase();
  const order = await db.findOrder(deps.checkout.pool, id);
  if (!order) return fail("NOT_FOUND", "no such order", "id");
  if (!canManageOrganization(viewer, order.organizationId)) return fail("FORBIDDEN", "only the event's promoters may refund its orders", "id");
  if (order.status === "CANCELLED" || order.status === "REFUNDED") return ok(id);
  if (order.status !== "CONFIRMED") return fail("VALIDATION", "this order was never paid; there is nothing to refund", "id");

  const cancelled = await checkout.cancelOrder(deps.checkout, id, (tx) =>
    recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: order.organizationId,
      action: "order.refund",
      entityType: "order",
      entityId: id,
      before: { status: order.status },
      after: { status: "CANCELLED", reason, refundMinor: order.totalMinor, currency: order.currency },
    }),
  );
  if (cancelled.ok) return ok(id);
  // A concurrent refund (another promoter, the fan, the mass refund) won the lock: same answer as a second call.
  const now = await db.findOrder(deps.checkout.pool, id);
  if (now && (now.status === "CANCELLED" || now.status === "REFUNDED")) return ok(id);
  if (cancelled.error.code === "NOT_FOUND") return fail("NOT_FOUND", "no such order", "id");
  return fail("VALIDATION", cancelled.error.message, "id");
}

// ------------------------------------------------------------------ resend the confirmation

/** Enqueues the order's confirmation email again; only a CONFIRMED order has tickets to send. */
export async function resendConfirmation(deps: AdminOrderDependencies, viewer: Viewer, orderId: string): Promise<Result<string, AdminOrderError>> {
  if (!isId(orderId)) return fail("VALIDATION", "id is not a valid id", "id");
  const id = orderId.toLowerCase();
  const result = await withResultTransaction<string, AdminOrderError>(deps.checkout.pool, async (tx) => {
    const order = await db.lockOrder(tx, id);
    if (!order) return fail("NOT_FOUND", "no such order", "id");
    if (!canManageOrganization(viewer, order.organizationId)) return fail("FORBIDDEN", "only the event's promoters may resend its confirmations", "id");
    if (order.status !== "CONFIRMED") return fail("VALIDATION", `the order is ${order.status.toLowerCase()}: it has no tickets to send`, "id");
    await db.enqueueConfirmation(tx, { id, eventId: order.eventId, userId: order.userId });
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: order.organizationId,
      action: "order.resend_confirmation",
      entityType: "order",
      entityId: id,
      before: null,
      after: { emailQueued: true },
    });
    return ok(id);
  });
  if (result.ok) deps.deliverEmailsSoon();
  return result;
}
