/**
 * The reads of best available across a whole venue (holdSeats with a quantity and no section): which
 * seated sections of the event a fan's price range admits, and their free seats in one statement.
 */
import type pg from "pg";

export interface PricedSectionRow {
  sectionId: string;
  priceMinor: number;
  serviceFeeBasisPoints: number;
  facilityFeeMinor: number;
}

/** The event's seated sections on sale with their current base price and the event's fee settings. */
export async function findPricedSeatedSections(db: pg.Pool, eventId: string): Promise<PricedSectionRow[]> {
  const { rows } = await db.query<PricedSectionRow>(
    `SELECT es.section_id AS "sectionId", es.price_minor AS "priceMinor",
            e.service_fee_basis_points AS "serviceFeeBasisPoints", e.facility_fee_minor AS "facilityFeeMinor"
     FROM event_sections es
     JOIN events e ON e.id = es.event_id
     JOIN sections s ON s.id = es.section_id
     WHERE es.event_id = $1::uuid AND s.kind = 'SEATED'`,
    [eventId],
  );
  return rows;
}

/** Free seats (available, or held by a lapsed hold) of the given sections of an event. */
export async function findFreeSeatIdsInSections(db: pg.Pool, eventId: string, sectionIds: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ seatId: string }>(
    `SELECT seat_id AS "seatId" FROM event_seats
     WHERE event_id = $1::uuid AND section_id = ANY($2::uuid[])
       AND (status = 'AVAILABLE' OR (status = 'HELD' AND held_until <= now()))`,
    [eventId, sectionIds],
  );
  return rows.map((row) => row.seatId);
}
