/** What a confirmation email needs, read once its order's outbox row is delivered. */
import type pg from "pg";

export interface ConfirmationRow {
  orderId: string;
  email: string;
  name: string;
  eventName: string;
  startsAt: Date;
  timezone: string;
  venueName: string;
  city: string;
  totalMinor: number;
  currency: string;
  tickets: { id: string; section: string; row: string | null; number: number | null }[];
}

export async function findConfirmation(db: pg.Pool, orderId: string): Promise<ConfirmationRow | null> {
  const { rows } = await db.query<ConfirmationRow>(
    `SELECT o.id AS "orderId", u.email, u.name, e.name AS "eventName", e.starts_at AS "startsAt", v.timezone, v.name AS "venueName", v.city,
            o.total_minor AS "totalMinor", o.currency,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'section', sec.name, 'row', r.label, 'number', s.number)
                                       ORDER BY sec.name, r.sort_order, s.number, t.id), '[]'::jsonb)
             FROM tickets t JOIN sections sec ON sec.id = t.section_id
             LEFT JOIN seats s ON s.id = t.seat_id LEFT JOIN seat_rows r ON r.id = s.row_id
             WHERE t.order_id = o.id) AS tickets
     FROM orders o JOIN users u ON u.id = o.user_id JOIN events e ON e.id = o.event_id JOIN venues v ON v.id = e.venue_id
     WHERE o.id = $1::uuid`,
    [orderId],
  );
  return rows[0] ?? null;
}
