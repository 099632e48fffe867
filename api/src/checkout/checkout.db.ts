/**
 * SQL of checkout, orders and refunds. The decisions are made by SQL functions, each in its file under
 * prisma/sql/functions/ (begin_checkout.sql, finalize_checkout.sql, cancel_order.sql), each one
 * statement and one transaction; everything else here is a single-row update or a read.
 *
 * begin_checkout and finalize_checkout always commit synchronously, whatever the server's default:
 * an intent must be on disk before money moves, an order before the fan hears of it, and a
 * synchronous commit also flushes every asynchronously committed hold before it (docs/architecture.md,
 * "Crashes"). The setting is local to the statement's own transaction.
 */
import type pg from "pg";

export interface FeeLineRow {
  kind: string;
  amountMinor: number;
}

export interface CheckoutHoldRow {
  id: string;
  userId: string;
  eventId: string;
  eventName: string;
  status: string;
  expiresAt: Date;
  subtotalMinor: number;
  currency: string;
  /** The locked price of each line: fees are computed per ticket (checkout.fees.ts). */
  linePricesMinor: number[];
  serviceFeeBasisPoints: number;
  facilityFeeMinor: number;
  waitingRoomEnabled: boolean;
}

/** The hold with what its fees are computed from. */
export async function findCheckoutHold(db: pg.Pool, holdId: string): Promise<CheckoutHoldRow | null> {
  const { rows } = await db.query<CheckoutHoldRow>(
    `SELECT h.id, h.user_id AS "userId", h.event_id AS "eventId", e.name AS "eventName", h.status, h.expires_at AS "expiresAt",
            h.subtotal_minor AS "subtotalMinor", h.currency,
            ARRAY(SELECT l.price_minor FROM hold_lines l WHERE l.hold_id = h.id) AS "linePricesMinor",
            e.service_fee_basis_points AS "serviceFeeBasisPoints", e.facility_fee_minor AS "facilityFeeMinor",
            e.waiting_room_enabled AS "waitingRoomEnabled"
     FROM holds h JOIN events e ON e.id = h.event_id WHERE h.id = $1::uuid`,
    [holdId],
  );
  return rows[0] ?? null;
}

export type BeginOutcome =
  | { outcome: "CREATED"; amountMinor: number; currency: string }
  | { outcome: "EXISTING"; intentId: string; holdId: string; status: IntentStatus; orderId: string | null; failureCode: string | null }
  | { outcome: "NOT_FOUND" }
  | { outcome: "ALREADY_PAID"; orderId: string | null }
  | { outcome: "IN_PROGRESS" }
  | { outcome: "HOLD_EXPIRED" };

export type IntentStatus = "CREATED" | "SUCCEEDED" | "FAILED" | "REFUNDED";

export async function beginCheckout(
  db: pg.Pool,
  request: { intentId: string; userId: string; holdId: string; idempotencyKey: string; gateway: string; fees: FeeLineRow[]; owner: string },
): Promise<BeginOutcome> {
  const feesMinor = request.fees.reduce((sum, fee) => sum + fee.amountMinor, 0);
  const { rows } = await db.query<{ result: Record<string, unknown> }>(
    `SELECT begin_checkout($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::jsonb, $7::int, $8) AS result, set_config('synchronous_commit', 'on', true)`,
    [request.intentId, request.userId, request.holdId, request.idempotencyKey, request.gateway, JSON.stringify(request.fees), feesMinor, request.owner],
  );
  const result = rows[0]!.result;
  switch (result.outcome) {
    case "CREATED":
      return { outcome: "CREATED", amountMinor: result.amount_minor as number, currency: result.currency as string };
    case "EXISTING":
      return {
        outcome: "EXISTING",
        intentId: result.intent_id as string,
        holdId: result.hold_id as string,
        status: result.status as IntentStatus,
        orderId: (result.order_id as string | null) ?? null,
        failureCode: (result.failure_code as string | null) ?? null,
      };
    case "ALREADY_PAID":
      return { outcome: "ALREADY_PAID", orderId: (result.order_id as string | null) ?? null };
    case "NOT_FOUND":
    case "IN_PROGRESS":
    case "HOLD_EXPIRED":
      return { outcome: result.outcome };
    default:
      throw unknownOutcome("begin_checkout", result.outcome);
  }
}

export interface SoldSeat {
  seatId: string;
  sectionId: string;
}

export interface SoldPlaces {
  sectionId: string;
  quantity: number;
  available: number;
}

export type FinalizeOutcome =
  | { outcome: "DONE"; orderId: string; created: boolean; eventId: string | null; seats: SoldSeat[]; places: SoldPlaces[] }
  /** No order: a refund of `amountMinor` is owed (recorded as pending refund `refundId`). */
  | { outcome: "LOST"; refundId: string; amountMinor: number }
  | { outcome: "REFUNDED" };

interface RawPlaces {
  section_id: string;
  quantity: number;
  available: number;
}

const toPlaces = (places: RawPlaces[] | undefined): SoldPlaces[] =>
  (places ?? []).map((place) => ({ sectionId: place.section_id, quantity: place.quantity, available: place.available }));
const toSeats = (seats: { seat_id: string; section_id: string }[] | undefined): SoldSeat[] =>
  (seats ?? []).map((seat) => ({ seatId: seat.seat_id, sectionId: seat.section_id }));

export async function finalizeCheckout(db: pg.Pool, intentId: string, gatewayReference: string): Promise<FinalizeOutcome> {
  const { rows } = await db.query<{ result: Record<string, unknown> }>(`SELECT finalize_checkout($1::uuid, $2) AS result, set_config('synchronous_commit', 'on', true)`, [
    intentId,
    gatewayReference,
  ]);
  const result = rows[0]!.result;
  if (result.outcome === "DONE") {
    return {
      outcome: "DONE",
      orderId: result.order_id as string,
      created: result.created as boolean,
      eventId: (result.event_id as string | undefined) ?? null,
      seats: toSeats(result.seats as { seat_id: string; section_id: string }[] | undefined),
      places: toPlaces(result.places as RawPlaces[] | undefined),
    };
  }
  if (result.outcome === "LOST") return { outcome: "LOST", refundId: result.refund_id as string, amountMinor: result.amount_minor as number };
  if (result.outcome === "REFUNDED") return { outcome: "REFUNDED" };
  throw new Error(`payment intent ${intentId}: unexpected finalize outcome ${String(result.outcome)}`);
}

/** The gateway's id of the payment, recorded before it is confirmed. */
export async function recordReference(db: pg.Pool, intentId: string, reference: string): Promise<void> {
  await db.query(`UPDATE payment_intents SET gateway_reference = $2 WHERE id = $1::uuid AND status = 'CREATED'`, [intentId, reference]);
}

/** Settles an intent that was never charged (declined, bad token, gateway unavailable, abandoned). */
export async function markIntentFailed(db: pg.Pool, intentId: string, failureCode: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE payment_intents SET status = 'FAILED', failure_code = $2, updated_at = now() WHERE id = $1::uuid AND status = 'CREATED'`,
    [intentId, failureCode],
  );
  return rowCount === 1;
}

/** A charge that could not become an order was refunded: the intent and its refund are recorded together. */
export async function recordIntentRefund(
  db: pg.Pool,
  request: { intentId: string; chargeReference: string; refundReference: string; reason: string },
): Promise<void> {
  await db.query(
    `WITH intent AS (
       UPDATE payment_intents SET status = 'REFUNDED', failure_code = $4, gateway_reference = $2, updated_at = now()
       WHERE id = $1::uuid AND order_id IS NULL
       RETURNING id, amount_minor, currency
     )
     INSERT INTO refunds (payment_intent_id, amount_minor, currency, reason, gateway_reference)
     SELECT id, amount_minor, currency, $4, $3 FROM intent
     ON CONFLICT (payment_intent_id) DO NOTHING`,
    [request.intentId, request.chargeReference, request.refundReference, request.reason],
  );
}

export interface IntentRow {
  id: string;
  userId: string;
  holdId: string;
  orderId: string | null;
  status: IntentStatus;
  amountMinor: number;
  currency: string;
  failureCode: string | null;
  gatewayReference: string | null;
  /** The API process that owns it (null: recorded before owners were). */
  owner: string | null;
  /** Still CREATED, and the process that owns it has let its lease lapse (it died, or stalled past it). */
  orphaned: boolean;
}

/** An intent's owner is gone: it names one, and that process's lease has expired (or was given up). */
const OWNER_GONE = `(i.owner IS NOT NULL AND NOT EXISTS (SELECT 1 FROM process_leases l WHERE l.owner = i.owner AND l.expires_at > now()))`;

export async function findIntent(db: pg.Pool, intentId: string): Promise<IntentRow | null> {
  const { rows } = await db.query<IntentRow>(
    `SELECT i.id, i.user_id AS "userId", i.hold_id AS "holdId", i.order_id AS "orderId", i.status, i.amount_minor AS "amountMinor", i.currency,
            i.failure_code AS "failureCode", i.gateway_reference AS "gatewayReference", i.owner,
            (i.status = 'CREATED' AND ${OWNER_GONE}) AS orphaned
     FROM payment_intents i WHERE i.id = $1::uuid`,
    [intentId],
  );
  return rows[0] ?? null;
}

/**
 * Intents left behind: still CREATED and either their owner's lease has lapsed (its process died),
 * or they are `owner`'s own but not among `working` (a request of this process gave them up), or nobody
 * settled them within `olderThanMs` (the gateway never answered, or intents from before owners were
 * recorded). Claimed by taking them over (owner = `owner`, updated_at bumped), so other reconcilers and
 * retries leave them to this process while it lives.
 */
export async function claimStaleIntents(db: pg.Pool, olderThanMs: number, limit: number, owner: string, working: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE payment_intents SET updated_at = now(), owner = $3
     WHERE id IN (SELECT i.id FROM payment_intents i
                  WHERE i.status = 'CREATED'
                    AND (i.updated_at < now() - make_interval(secs => $1::double precision / 1000) OR ${OWNER_GONE}
                         OR (i.owner = $3 AND NOT i.id = ANY($4::uuid[])))
                  ORDER BY i.updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    [olderThanMs, limit, owner, working],
  );
  return rows.map((row) => row.id);
}

/**
 * Takes over one intent whose owner is gone (see claimStaleIntents); false when it is settled, its
 * owner still holds its lease, or someone else took it over first. The condition is re-checked on the
 * locked row, so of several takers exactly one wins.
 */
export async function claimOrphanedIntent(db: pg.Pool, intentId: string, owner: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE payment_intents i SET updated_at = now(), owner = $2 WHERE i.id = $1::uuid AND i.status = 'CREATED' AND ${OWNER_GONE}`,
    [intentId, owner],
  );
  return rowCount === 1;
}

export interface PendingRefund {
  refundId: string;
  orderId: string | null;
  chargeReference: string;
  amountMinor: number;
}

/** Refunds recorded by a cancellation whose gateway call has not been confirmed yet. */
export async function findPendingRefunds(db: pg.Pool, olderThanMs: number, limit: number): Promise<PendingRefund[]> {
  const { rows } = await db.query<PendingRefund>(
    `SELECT r.id AS "refundId", r.order_id AS "orderId", i.gateway_reference AS "chargeReference", r.amount_minor AS "amountMinor"
     FROM refunds r JOIN payment_intents i ON i.id = r.payment_intent_id
     WHERE r.gateway_reference IS NULL AND r.created_at < now() - make_interval(secs => $1::double precision / 1000)
     ORDER BY r.created_at LIMIT $2`,
    [olderThanMs, limit],
  );
  return rows;
}

/** The gateway confirmed a cancellation's refund: the order becomes REFUNDED. */
export async function completeRefund(db: pg.Pool, refundId: string, refundReference: string): Promise<void> {
  await db.query(
    `WITH refund AS (
       UPDATE refunds SET gateway_reference = $2 WHERE id = $1::uuid AND gateway_reference IS NULL RETURNING order_id, payment_intent_id
     ), intent AS (
       UPDATE payment_intents i SET status = 'REFUNDED', updated_at = now() FROM refund WHERE i.id = refund.payment_intent_id
     )
     UPDATE orders o SET status = 'REFUNDED', updated_at = now() FROM refund WHERE o.id = refund.order_id AND o.status = 'CANCELLED'`,
    [refundId, refundReference],
  );
}

export type CancelOutcome =
  | {
      outcome: "CANCELLED";
      refundId: string;
      chargeReference: string;
      amountMinor: number;
      eventId: string;
      seats: SoldSeat[];
      places: SoldPlaces[];
    }
  | { outcome: "NOT_FOUND" | "STARTED" | "SCANNED" }
  | { outcome: "NOT_CONFIRMED"; status: string };

/** `db` may be a transaction's client: the console's refund writes its audit row on cancel_order's transaction. */
export async function cancelOrder(db: pg.Pool | pg.PoolClient, orderId: string): Promise<CancelOutcome> {
  const { rows } = await db.query<{ result: Record<string, unknown> }>(`SELECT cancel_order($1::uuid) AS result`, [orderId]);
  const result = rows[0]!.result;
  switch (result.outcome) {
    case "CANCELLED":
      return {
        outcome: "CANCELLED",
        refundId: result.refund_id as string,
        chargeReference: result.gateway_reference as string,
        amountMinor: result.amount_minor as number,
        eventId: result.event_id as string,
        seats: toSeats(result.seats as { seat_id: string; section_id: string }[]),
        places: toPlaces(result.places as RawPlaces[]),
      };
    case "NOT_CONFIRMED":
      return { outcome: "NOT_CONFIRMED", status: result.status as string };
    case "NOT_FOUND":
    case "STARTED":
    case "SCANNED":
      return { outcome: result.outcome };
    default:
      throw unknownOutcome("cancel_order", result.outcome);
  }
}

// ------------------------------------------------------------------ orders and tickets (reads)

export interface OrderRow {
  id: string;
  eventId: string;
  userId: string;
  organizationId: string;
  status: "PENDING" | "CONFIRMED" | "CANCELLED" | "REFUNDED";
  currency: string;
  subtotalMinor: number;
  feesMinor: number;
  totalMinor: number;
  createdAt: Date;
}

const ORDER_COLUMNS = `o.id, o.event_id AS "eventId", o.user_id AS "userId", e.organization_id AS "organizationId", o.status, o.currency,
  o.subtotal_minor AS "subtotalMinor", o.fees_minor AS "feesMinor", o.total_minor AS "totalMinor", o.created_at AS "createdAt"`;

export async function findOrdersByIds(db: pg.Pool, ids: readonly string[]): Promise<OrderRow[]> {
  const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = ANY($1::uuid[])`, [
    ids,
  ]);
  return rows;
}

/** One page of a user's orders, newest first; keyset on (created_at, id). */
export async function findOrdersOfUser(
  db: pg.Pool,
  userId: string,
  limit: number,
  after: { createdAt: Date; id: string } | null,
): Promise<OrderRow[]> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders o JOIN events e ON e.id = o.event_id
     WHERE o.user_id = $1::uuid AND ($2::timestamptz IS NULL OR (o.created_at, o.id) < ($2::timestamptz, $3::uuid))
     ORDER BY o.created_at DESC, o.id DESC LIMIT $4`,
    [userId, after?.createdAt ?? null, after?.id ?? null, limit],
  );
  return rows;
}

export async function countOrdersOfUser(db: pg.Pool, userId: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM orders WHERE user_id = $1::uuid`, [userId]);
  return rows[0]!.count;
}

export interface OrderLineRow {
  orderId: string;
  sectionId: string;
  seatId: string | null;
  priceMinor: number;
  currency: string;
}

export async function findOrderLines(db: pg.Pool, orderIds: readonly string[]): Promise<OrderLineRow[]> {
  const { rows } = await db.query<OrderLineRow>(
    `SELECT l.order_id AS "orderId", l.section_id AS "sectionId", l.seat_id AS "seatId", l.price_minor AS "priceMinor", l.currency
     FROM order_lines l
     LEFT JOIN seats s ON s.id = l.seat_id
     LEFT JOIN seat_rows r ON r.id = s.row_id
     WHERE l.order_id = ANY($1::uuid[])
     ORDER BY l.section_id, r.sort_order, s.number, l.id`,
    [orderIds],
  );
  return rows;
}

export interface OrderFeeRow extends FeeLineRow {
  orderId: string;
  currency: string;
}

export async function findOrderFees(db: pg.Pool, orderIds: readonly string[]): Promise<OrderFeeRow[]> {
  const { rows } = await db.query<OrderFeeRow>(
    `SELECT order_id AS "orderId", kind, amount_minor AS "amountMinor", currency FROM fee_lines
     WHERE order_id = ANY($1::uuid[]) ORDER BY kind DESC`,
    [orderIds],
  );
  return rows;
}

/** A SQL function answered an outcome this code does not know: a bug, never to be read as another outcome. */
function unknownOutcome(sqlFunction: string, outcome: unknown): Error {
  return new Error(`${sqlFunction} returned an unknown outcome: ${String(outcome)}`);
}
