/** GraphQL documents and small helpers shared by the checkout, ticket and journey tests. */
import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { expect } from "vitest";
import { createTestDatabase } from "../../../test-support/database.js";
import { createEvent, createOrganization, createUser, createVenue, type EventOptions } from "../support/factories.js";
import { startChildApi } from "../support/processes.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";

export const HOLD = `mutation($input: HoldSeatsInput!) {
  holdSeats(input: $input) {
    hold { id subtotal { amount currency } fees { kind amount { amount currency } } total { amount currency } expiresAt }
    errors { code message field }
  }
}`;

export const ORDER_FIELDS = `id status createdAt
  subtotal { amount currency } fees { kind amount { amount currency } } total { amount currency }
  lines { section { id } seat { id status } price { amount currency } }
  tickets { id status barcode barcodeRefreshesAt barcodeRotationSeconds section { id } seat { id status } }
  event { id }`;

export const CHECKOUT = `mutation($input: CheckoutInput!) {
  checkout(input: $input) { order { ${ORDER_FIELDS} } errors { code message field } }
}`;

export const CANCEL = `mutation($orderId: ID!) {
  cancelOrder(orderId: $orderId) { order { ${ORDER_FIELDS} } errors { code message field } }
}`;

export const SCAN = `mutation($input: ScanTicketInput!) {
  scanTicket(input: $input) { result reason scannedAt ticket { id status } errors { code message field } }
}`;

export interface Sale {
  pool: pg.Pool;
  organizationId: string;
  eventId: string;
  /** The seated section of `seatIds`. */
  sectionId: string;
  seatIds: string[];
  gaSectionId: string;
  promoter: Awaited<ReturnType<typeof createUser>>;
}

/** An on-sale event with 2 rows × 5 seats at 50.00 and a GA section of 20, fees 10% + 2.50 per ticket. */
export async function sale(api: TestApi, options: Partial<EventOptions> = {}): Promise<Sale> {
  const pool = api.app.db.pool;
  const organizationId = await createOrganization(pool);
  const venue = await createVenue(pool, { generalAdmission: [20] });
  const eventId = await createEvent(pool, venue, {
    organizationId,
    priceMinor: 5000,
    serviceFeeBasisPoints: 1000,
    facilityFeeMinor: 250,
    allowSingleSeatGaps: true,
    ...options,
  });
  const promoter = await createUser(api, { role: "PROMOTER", organizationId });
  return { pool, organizationId, eventId, sectionId: venue.sections[0]!.id, seatIds: venue.sections[0]!.seatIds, gaSectionId: venue.sections[1]!.id, promoter };
}

export async function hold(api: TestApi, token: string, input: Record<string, unknown>) {
  const response = await api.query(HOLD, { input: { requestKey: randomUUID(), ...input } }, token);
  return expectOk(response.data!.holdSeats).hold;
}

export async function checkout(url: string | TestApi, token: string, input: { holdId: string; idempotencyKey?: string; paymentToken?: string }) {
  const target = typeof url === "string" ? url : url.url;
  const response = await fetch(target, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: CHECKOUT, variables: { input: { idempotencyKey: randomUUID(), paymentToken: "tok_visa", ...input } } }),
  });
  const body = (await response.json()) as { data?: { checkout: any }; errors?: unknown };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.checkout as { order: any; errors: { code: string; message: string; field: string | null }[] };
}

/** The test gateway's books (its own schema in the test database). */
export async function ledger(pool: pg.Pool) {
  const { rows } = await pool.query<{ status: string; amount_minor: number; refunded_minor: number; intent_id: string }>(
    "SELECT intent_id, status, amount_minor, refunded_minor FROM test_gateway.charges ORDER BY created_at",
  );
  return {
    succeeded: rows.filter((row) => row.status === "SUCCEEDED"),
    declined: rows.filter((row) => row.status === "DECLINED"),
    refunded: rows.filter((row) => row.refunded_minor > 0),
  };
}

export async function seatStatuses(pool: pg.Pool, eventId: string, seatIds: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ status: string }>(
    "SELECT status FROM event_seats WHERE event_id = $1 AND seat_id = ANY($2::uuid[]) ORDER BY seat_id",
    [eventId, seatIds],
  );
  return rows.map((row) => row.status);
}

/**
 * The money invariant: every successful charge has exactly one order or a full refund, every order
 * has exactly one successful charge of its total, and no seat has two live tickets.
 */
export async function expectMoneyConsistent(pool: pg.Pool): Promise<void> {
  const { rows: orphans } = await pool.query(
    `SELECT c.intent_id FROM test_gateway.charges c
     LEFT JOIN payment_intents i ON i.id::text = c.intent_id
     WHERE c.status = 'SUCCEEDED'
       AND NOT ((i.order_id IS NOT NULL AND i.status = 'SUCCEEDED' AND c.refunded_minor = 0)
             OR (i.status = 'REFUNDED' AND c.refunded_minor = c.amount_minor))`,
  );
  expect(orphans, "charges without an order or a full refund").toEqual([]);
  const { rows: unpaid } = await pool.query(
    `SELECT o.id FROM orders o
     WHERE (SELECT count(*) FROM payment_intents i JOIN test_gateway.charges c ON c.intent_id = i.id::text
            WHERE i.order_id = o.id AND c.status = 'SUCCEEDED' AND c.amount_minor = o.total_minor) <> 1`,
  );
  expect(unpaid, "orders without exactly one charge of their total").toEqual([]);
  const { rows: doubles } = await pool.query(
    `SELECT event_id, seat_id FROM tickets WHERE status <> 'VOID' AND seat_id IS NOT NULL GROUP BY event_id, seat_id HAVING count(*) > 1`,
  );
  expect(doubles, "seats with two live tickets").toEqual([]);
}

/**
 * A fan's checkout on a child API process that is killed (SIGKILL) right after the gateway charged and
 * before the order was written: one charge, an intent still CREATED, no order. `local` is an API on the
 * same database and Redis keyspace (its reconciler off unless `env` turns it on); `crashedAt` is when
 * the child was seen dead.
 *
 * The hold lasts `holdDurationSeconds` (10 s unless a test needs it to end): the child's first checkout
 * must reach the charge before it ends, and a cold process on the loaded CI machine can take a second
 * or more (with 2 s it could answer HOLD_EXPIRED instead of crashing).
 */
export async function crashAfterCharge(env: Record<string, string> = { PAYMENT_SETTLE_AFTER_MS: "0" }, holdDurationSeconds = 10) {
  const database = await createTestDatabase();
  const redisKeyPrefix = `test:${randomBytes(4).toString("hex")}:`;
  const local = await startTestApi({ database, redisKeyPrefix, env: { RECONCILE_INTERVAL_MS: "0", HOLD_SWEEP_INTERVAL_MS: "0", ...env } });
  const child = await startChildApi({ DATABASE_URL: database.url, REDIS_KEY_PREFIX: redisKeyPrefix, FAILPOINTS: "checkout.after-charge", RECONCILE_INTERVAL_MS: "0" });
  const { pool, eventId, seatIds } = await sale(local, { holdDurationSeconds });
  const fan = await createUser(local);
  const held = await hold(local, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
  const idempotencyKey = randomUUID();
  await expect(checkout(child.url, fan.token, { holdId: held.id, idempotencyKey })).rejects.toThrow();
  expect(await child.exited).toBe("SIGKILL");
  const crashedAt = Date.now();
  // Charged, but no order: exactly the state the reconciler exists for.
  expect((await ledger(pool)).succeeded).toHaveLength(1);
  const { rows } = await pool.query("SELECT status FROM payment_intents");
  expect(rows.map((row) => row.status)).toEqual(["CREATED"]);
  const cleanup = async () => {
    await local.stop();
    await database.drop();
  };
  return { local, pool, eventId, seatIds, held, fan, idempotencyKey, crashedAt, cleanup };
}
