/**
 * Small builders for test data, written straight to the test's own database. Each test builds what it
 * needs; nothing is shared between tests.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import type { Role, Viewer } from "../../src/auth/auth.tokens.js";
import type { TestApi } from "./test-api.js";

const unique = () => randomBytes(4).toString("hex");

export async function createOrganization(pool: pg.Pool, name = `Org ${unique()}`): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    "INSERT INTO organizations (name, slug) VALUES ($1, $2) RETURNING id",
    [name, `org-${unique()}`],
  );
  return rows[0]!.id;
}

/** A user row plus a signed token (no password hashing: tests of login create their own accounts). */
export async function createUser(
  api: TestApi,
  options: { role?: Role; organizationId?: string | null } = {},
): Promise<Viewer & { token: string; email: string }> {
  const email = `user-${unique()}@example.test`;
  const { rows } = await api.app.db.pool.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash, role, organization_id) VALUES ($1, 'Test User', 'x', $2::"Role", $3) RETURNING id`,
    [email, options.role ?? "FAN", options.organizationId ?? null],
  );
  const viewer: Viewer = { id: rows[0]!.id, role: options.role ?? "FAN", organizationId: options.organizationId ?? null };
  return { ...viewer, email, token: await api.app.tokens.sign(viewer) };
}

/** Many fans at once, straight into the database, each with a signed token (load and contention tests). */
export async function createUsers(api: TestApi, count: number): Promise<(Viewer & { token: string })[]> {
  const run = unique();
  const { rows } = await api.app.db.pool.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash)
     SELECT 'fan-' || $1 || '-' || n || '@example.test', 'Fan ' || n, 'x' FROM generate_series(1, $2::int) AS n
     RETURNING id`,
    [run, count],
  );
  return Promise.all(
    rows.map(async (row) => {
      const viewer: Viewer = { id: row.id, role: "FAN", organizationId: null };
      return { ...viewer, token: await api.app.tokens.sign(viewer) };
    }),
  );
}

export interface VenueFixture {
  id: string;
  sections: { id: string; name: string; kind: "SEATED" | "GENERAL_ADMISSION"; seatIds: string[] }[];
}

/** A venue with seated sections of `rows` × `seatsPerRow` seats and optional GA sections. */
export async function createVenue(
  pool: pg.Pool,
  options: {
    city?: string;
    organizationId?: string | null;
    seated?: { rows: number; seatsPerRow: number }[];
    generalAdmission?: number[];
  } = {},
): Promise<VenueFixture> {
  const seated = options.seated ?? [{ rows: 2, seatsPerRow: 5 }];
  const generalAdmission = options.generalAdmission ?? [];
  const capacity =
    seated.reduce((sum, section) => sum + section.rows * section.seatsPerRow, 0) +
    generalAdmission.reduce((sum, places) => sum + places, 0);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO venues (slug, name, city, country, latitude, longitude, timezone, capacity, organization_id)
     VALUES ($1, $2, $3, 'US', 41.88, -87.67, 'America/Chicago', $4, $5) RETURNING id`,
    [`venue-${unique()}`, `Venue ${unique()}`, options.city ?? "Chicago", capacity, options.organizationId ?? null],
  );
  const venue: VenueFixture = { id: rows[0]!.id, sections: [] };
  let order = 0;
  for (const [index, spec] of seated.entries()) {
    const sectionId = randomUUID();
    await pool.query(
      `INSERT INTO sections (id, venue_id, name, kind, capacity, sort_order) VALUES ($1, $2, $3, 'SEATED', $4, $5)`,
      [sectionId, venue.id, `S${index + 1}`, spec.rows * spec.seatsPerRow, order++],
    );
    const seatIds: string[] = [];
    for (let row = 0; row < spec.rows; row++) {
      const rowId = randomUUID();
      await pool.query(`INSERT INTO seat_rows (id, section_id, label, sort_order) VALUES ($1, $2, $3, $4)`, [
        rowId,
        sectionId,
        String.fromCharCode(65 + row),
        row,
      ]);
      const ids = Array.from({ length: spec.seatsPerRow }, () => randomUUID());
      await pool.query(
        `INSERT INTO seats (id, section_id, row_id, number, x, y, stage_distance)
         SELECT id, $2, $3, n, n * 10, $4 * 10, $4 * 10 + abs(n - $5::float8) FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
        [ids, sectionId, rowId, row, (spec.seatsPerRow + 1) / 2],
      );
      seatIds.push(...ids);
    }
    venue.sections.push({ id: sectionId, name: `S${index + 1}`, kind: "SEATED", seatIds });
  }
  for (const [index, places] of generalAdmission.entries()) {
    const sectionId = randomUUID();
    await pool.query(
      `INSERT INTO sections (id, venue_id, name, kind, capacity, sort_order) VALUES ($1, $2, $3, 'GENERAL_ADMISSION', $4, $5)`,
      [sectionId, venue.id, `GA${index + 1}`, places, order++],
    );
    venue.sections.push({ id: sectionId, name: `GA${index + 1}`, kind: "GENERAL_ADMISSION", seatIds: [] });
  }
  return venue;
}

export interface EventOptions {
  organizationId: string;
  status?: "DRAFT" | "SCHEDULED" | "ON_SALE" | "SOLD_OUT" | "CANCELLED" | "ENDED";
  category?: string;
  name?: string;
  artist?: string;
  startsAt?: Date;
  onSaleAt?: Date;
  priceMinor?: number;
  currency?: string;
  holdDurationSeconds?: number;
  maxSeatsPerUser?: number;
  allowSingleSeatGaps?: boolean;
  serviceFeeBasisPoints?: number;
  facilityFeeMinor?: number;
}

/** An event at the venue with a price per section and every seat AVAILABLE. */
export async function createEvent(pool: pg.Pool, venue: VenueFixture, options: EventOptions): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO events (slug, name, artist, category, status, venue_id, organization_id, starts_at, on_sale_at, currency,
                         hold_duration_seconds, max_seats_per_user, allow_single_seat_gaps, service_fee_basis_points, facility_fee_minor)
     VALUES ($1, $2, $3, $4::"EventCategory", $5::"EventStatus", $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
    [
      `event-${unique()}`,
      options.name ?? `Event ${unique()}`,
      options.artist ?? "Test Artist",
      options.category ?? "CONCERT",
      options.status ?? "ON_SALE",
      venue.id,
      options.organizationId,
      options.startsAt ?? new Date(Date.now() + 30 * 86_400_000),
      options.onSaleAt ?? new Date(Date.now() - 3_600_000),
      options.currency ?? "USD",
      options.holdDurationSeconds ?? 600,
      options.maxSeatsPerUser ?? 8,
      options.allowSingleSeatGaps ?? false,
      options.serviceFeeBasisPoints ?? 1000,
      options.facilityFeeMinor ?? 0,
    ],
  );
  const eventId = rows[0]!.id;
  const price = options.priceMinor ?? 5000;
  await pool.query(
    `INSERT INTO event_sections (event_id, section_id, currency, price_minor, price_floor_minor, price_ceiling_minor, capacity)
     SELECT $1, id, $3, $4, $4 / 2, $4 * 2, capacity FROM sections WHERE venue_id = $2`,
    [eventId, venue.id, options.currency ?? "USD", price],
  );
  await pool.query(
    `INSERT INTO event_seats (event_id, seat_id, section_id)
     SELECT $1, seat.id, seat.section_id FROM seats seat JOIN sections s ON s.id = seat.section_id WHERE s.venue_id = $2`,
    [eventId, venue.id],
  );
  return eventId;
}

/** Puts seats into a state directly (tests of reads; the hold flow has its own tests). */
export async function setSeatStatus(
  pool: pg.Pool,
  eventId: string,
  seatIds: string[],
  status: "HELD" | "SOLD" | "BLOCKED" | "AVAILABLE",
  heldUntil: Date | null = null,
): Promise<void> {
  let holdId: string | null = null;
  if (status === "HELD") {
    const { rows } = await pool.query<{ id: string; userId: string }>(
      `WITH u AS (INSERT INTO users (email, name, password_hash) VALUES ($1, 'Holder', 'x') RETURNING id)
       INSERT INTO holds (event_id, user_id, subtotal_minor, currency, expires_at)
       SELECT $2, id, 0, 'USD', $3 FROM u RETURNING id`,
      [`holder-${unique()}@example.test`, eventId, heldUntil],
    );
    holdId = rows[0]!.id;
  }
  await pool.query(
    `UPDATE event_seats SET status = $3::"SeatStatus", hold_id = $4, held_until = $5, version = version + 1
     WHERE event_id = $1 AND seat_id = ANY($2::uuid[])`,
    [eventId, seatIds, status, holdId, status === "HELD" ? heldUntil : null],
  );
}
