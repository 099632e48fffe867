/** GraphQL documents and builders shared by the admin order tests. */
import type pg from "pg";
import { checkout, hold, sale, type Sale } from "../checkout/checkout-helpers.js";
import { createUser } from "../support/factories.js";
import { expectOk, type TestApi } from "../support/test-api.js";

const MONEY = "{ amount currency }";
const ERRORS = "errors { code message field }";

export const ORDER_FIELDS = `id status organizationId event { id name startsAt timezone } buyer { id email name } subtotal ${MONEY} fees ${MONEY}
  total ${MONEY} ticketCount createdAt cancelledAt`;
export const ORDER_DETAIL_FIELDS = `${ORDER_FIELDS}
  tickets { id status sectionId section seatId row seatNumber price ${MONEY} scannedAt voidedAt }
  payments { id provider reference status amount ${MONEY} createdAt refunds { id amount ${MONEY} reason reference confirmed createdAt } }`;

export const ADMIN_ORDERS = `query($page: Int, $perPage: Int, $sortField: String, $sortOrder: SortOrder, $filter: AdminOrderFilter) {
  adminOrders(page: $page, perPage: $perPage, sortField: $sortField, sortOrder: $sortOrder, filter: $filter) { items { ${ORDER_FIELDS} } total }
}`;
export const ADMIN_ORDER = `query($id: ID!) { adminOrder(id: $id) { ${ORDER_DETAIL_FIELDS} } }`;
export const REFUND = `mutation($input: RefundOrderInput!) { adminRefundOrder(input: $input) { order { ${ORDER_DETAIL_FIELDS} } ${ERRORS} } }`;
export const RESEND = `mutation($id: ID!) { resendOrderConfirmation(id: $id) { order { id status } ${ERRORS} } }`;
export const EXPORT_LINK = `mutation($input: EventExportLinkInput!) { createEventExportLink(input: $input) { url expiresAt ${ERRORS} } }`;

export type User = Awaited<ReturnType<typeof createUser>>;

export interface SoldEvent extends Sale {
  /** Paid orders, in purchase order: the first two of two seats each, the third of two GA places. */
  orders: { id: string; fan: User; seatIds: string[] }[];
}

/** An on-sale event (checkout-helpers sale) with three orders bought through the API by three fans. */
export async function soldEvent(api: TestApi): Promise<SoldEvent> {
  const fixture = await sale(api);
  const orders: SoldEvent["orders"] = [];
  for (let index = 0; index < 3; index++) {
    const fan = await createUser(api);
    const seatIds = index < 2 ? fixture.seatIds.slice(index * 2, index * 2 + 2) : [];
    const input = index < 2 ? { eventId: fixture.eventId, seatIds } : { eventId: fixture.eventId, sectionId: fixture.gaSectionId, quantity: 2 };
    const held = await hold(api, fan.token, input);
    const paid = await checkout(api, fan.token, { holdId: held.id });
    orders.push({ id: expectOk(paid).order.id as string, fan, seatIds });
  }
  return { ...fixture, orders };
}

/** Everything a refused order mutation must leave as it was. */
export async function orderState(pool: pg.Pool, orderId: string): Promise<unknown> {
  const [order, tickets, seats, refunds, intents, outbox, audit, charges] = await Promise.all([
    pool.query(`SELECT * FROM orders WHERE id = $1`, [orderId]),
    pool.query(`SELECT id, status, active_seat_id, voided_at FROM tickets WHERE order_id = $1 ORDER BY id`, [orderId]),
    pool.query(`SELECT es.seat_id, es.status, es.version FROM event_seats es JOIN tickets t ON t.seat_id = es.seat_id AND t.event_id = es.event_id WHERE t.order_id = $1 ORDER BY es.seat_id`, [orderId]),
    pool.query(`SELECT count(*)::int AS n FROM refunds`),
    pool.query(`SELECT id, status FROM payment_intents WHERE order_id = $1`, [orderId]),
    pool.query(`SELECT count(*)::int AS n FROM outbox_events`),
    pool.query(`SELECT count(*)::int AS n FROM audit_log`),
    pool.query(`SELECT count(*)::int AS n FROM test_gateway.refunds`),
  ]);
  return { order: order.rows, tickets: tickets.rows, seats: seats.rows, refunds: refunds.rows, intents: intents.rows, outbox: outbox.rows, audit: audit.rows, charges: charges.rows };
}

/** The test gateway's refunds of the order's charge (its own books: each refund it made, by amount). */
export async function gatewayRefunds(pool: pg.Pool, orderId: string): Promise<number[]> {
  const { rows } = await pool.query<{ amount_minor: number }>(
    `SELECT r.amount_minor FROM test_gateway.refunds r
     JOIN test_gateway.charges c ON c.reference = r.charge_reference
     JOIN payment_intents i ON i.id::text = c.intent_id
     WHERE i.order_id = $1 ORDER BY r.created_at`,
    [orderId],
  );
  return rows.map((row) => row.amount_minor);
}
