/** SQL of tickets: reads for orders, the atomic scan, and the revocation list. */
import type pg from "pg";

export interface TicketRow {
  id: string;
  orderId: string;
  eventId: string;
  sectionId: string;
  seatId: string | null;
  status: "VALID" | "SCANNED" | "VOID";
  scannedAt: Date | null;
}

const TICKET_COLUMNS = `t.id, t.order_id AS "orderId", t.event_id AS "eventId", t.section_id AS "sectionId", t.seat_id AS "seatId",
  t.status, t.scanned_at AS "scannedAt"`;

export async function findTicketsByOrderIds(db: pg.Pool, orderIds: readonly string[]): Promise<TicketRow[]> {
  const { rows } = await db.query<TicketRow>(
    `SELECT ${TICKET_COLUMNS} FROM tickets t
     LEFT JOIN seats s ON s.id = t.seat_id
     LEFT JOIN seat_rows r ON r.id = s.row_id
     WHERE t.order_id = ANY($1::uuid[])
     ORDER BY t.section_id, r.sort_order, s.number, t.id`,
    [orderIds],
  );
  return rows;
}

export async function findTicket(db: pg.Pool, ticketId: string): Promise<(TicketRow & { organizationId: string }) | null> {
  const { rows } = await db.query<TicketRow & { organizationId: string }>(
    `SELECT ${TICKET_COLUMNS}, e.organization_id AS "organizationId" FROM tickets t JOIN events e ON e.id = t.event_id WHERE t.id = $1::uuid`,
    [ticketId],
  );
  return rows[0] ?? null;
}

/**
 * Marks a VALID ticket SCANNED. Two scanners racing on one ticket: the row lock lets one through and
 * the other re-reads the row after it, sees SCANNED and gets null.
 */
export async function admitTicket(db: pg.Pool, ticketId: string, eventId: string): Promise<TicketRow | null> {
  const { rows } = await db.query<TicketRow>(
    `UPDATE tickets t SET status = 'SCANNED', scanned_at = now()
     WHERE t.id = $1::uuid AND t.event_id = $2::uuid AND t.status = 'VALID' RETURNING ${TICKET_COLUMNS}`,
    [ticketId, eventId],
  );
  return rows[0] ?? null;
}

export async function logScan(db: pg.Pool, scan: { ticketId: string; scannerUserId: string; result: string; deviceId: string | null }): Promise<void> {
  await db.query(`INSERT INTO ticket_scans (ticket_id, scanner_user_id, result, device_id) VALUES ($1::uuid, $2::uuid, $3, $4)`, [
    scan.ticketId,
    scan.scannerUserId,
    scan.result,
    scan.deviceId,
  ]);
}

export interface RevocationRow {
  ticketId: string;
  voidedAt: Date;
}

/**
 * Tickets of an event voided after the cursor, oldest first. voided_at is the start of the voiding
 * transaction, which may commit later than a younger one: only rows older than the oldest transaction
 * still open are returned, so a scanner's cursor can never pass a void that has yet to commit.
 */
export async function findRevocations(
  db: pg.Pool,
  eventId: string,
  after: { voidedAt: Date; ticketId: string } | null,
  limit: number,
): Promise<RevocationRow[]> {
  const { rows } = await db.query<RevocationRow>(
    `WITH horizon AS (
       SELECT coalesce(min(xact_start), now()) AS at FROM pg_stat_activity
       WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()
     )
     SELECT id AS "ticketId", voided_at AS "voidedAt" FROM tickets, horizon
     WHERE event_id = $1::uuid AND voided_at IS NOT NULL AND voided_at < least(horizon.at, now())
       AND ($2::timestamptz IS NULL OR (voided_at, id) > ($2::timestamptz, $3::uuid))
     ORDER BY voided_at, id LIMIT $4`,
    [eventId, after?.voidedAt ?? null, after?.ticketId ?? null, limit],
  );
  return rows;
}

export async function findEventOrganization(db: pg.Pool, eventId: string): Promise<string | null> {
  const { rows } = await db.query<{ organizationId: string }>(`SELECT organization_id AS "organizationId" FROM events WHERE id = $1::uuid`, [eventId]);
  return rows[0]?.organizationId ?? null;
}
