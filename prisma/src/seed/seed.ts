/**
 * Idempotent development seed. Everything is keyed by natural keys (slug, email): a second run adds
 * what is missing and changes nothing that exists, so it never disturbs holds or orders made since.
 *
 * Speed: seats and per-event inventory are written with one set-based statement each (`unnest` arrays,
 * `INSERT ... SELECT`), so the 19,000-seat arena and its events take well under a few seconds.
 */
import { randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import type pg from "pg";
import type { SeedEvent, SeedVenue } from "./seed-data.js";
import { SEED_EVENTS, SEED_ORGANIZATIONS, SEED_USERS, SEED_VENUES } from "./seed-data.js";

export interface SeedSummary {
  organizations: number;
  users: number;
  venuesCreated: string[];
  eventsCreated: string[];
  seatsCreated: number;
}

export interface SeedOptions {
  now?: Date;
  onProgress?: (message: string) => void;
}

// Serializes concurrent seeders (e.g. two `npm start`s) so the natural-key checks below are race-free.
const SEED_LOCK_KEY = 4_711_001;

export async function seed(pool: pg.Pool, options: SeedOptions = {}): Promise<SeedSummary> {
  const now = options.now ?? new Date();
  const progress = options.onProgress ?? (() => undefined);
  const passwordHashes = new Map<string, string>();
  for (const user of SEED_USERS) passwordHashes.set(user.email, await hash(user.password));

  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [SEED_LOCK_KEY]);
    const summary: SeedSummary = { organizations: 0, users: 0, venuesCreated: [], eventsCreated: [], seatsCreated: 0 };

    const organizationIds = new Map<string, string>();
    for (const organization of SEED_ORGANIZATIONS) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO organizations (slug, name) VALUES ($1, $2)
         ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id`,
        [organization.slug, organization.name],
      );
      organizationIds.set(organization.slug, rows[0]!.id);
    }
    summary.organizations = organizationIds.size;

    for (const user of SEED_USERS) {
      const result = await client.query(
        `INSERT INTO users (email, name, password_hash, role, organization_id)
         VALUES ($1, $2, $3, $4::"Role", $5) ON CONFLICT (email) WHERE partner_organization_id IS NULL DO NOTHING`,
        [
          user.email,
          user.name,
          passwordHashes.get(user.email),
          user.role,
          user.organization ? organizationIds.get(user.organization) : null,
        ],
      );
      summary.users += result.rowCount ?? 0;
    }
    progress(`accounts: ${SEED_USERS.length} (${summary.users} new)`);

    const venueIds = new Map<string, string>();
    for (const venue of SEED_VENUES) {
      const existing = await client.query<{ id: string }>("SELECT id FROM venues WHERE slug = $1", [venue.slug]);
      if (existing.rows[0]) {
        venueIds.set(venue.slug, existing.rows[0].id);
        continue;
      }
      const started = Date.now();
      const { id, seats } = await insertVenue(client, venue, organizationIds.get(venue.organization)!);
      venueIds.set(venue.slug, id);
      summary.venuesCreated.push(venue.slug);
      summary.seatsCreated += seats;
      progress(`venue ${venue.name} (${venue.city}): ${seats} seats in ${Date.now() - started} ms`);
    }

    for (const event of SEED_EVENTS) {
      const exists = await client.query("SELECT 1 FROM events WHERE slug = $1", [event.slug]);
      if (exists.rowCount) continue;
      const venue = SEED_VENUES.find((candidate) => candidate.slug === event.venue)!;
      const started = Date.now();
      await insertEvent(client, event, {
        venueId: venueIds.get(event.venue)!,
        organizationId: organizationIds.get(venue.organization)!,
        now,
      });
      summary.eventsCreated.push(event.slug);
      progress(`event ${event.name} (${event.status}) in ${Date.now() - started} ms`);
    }

    await client.query("COMMIT");
    return summary;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

async function insertVenue(
  client: pg.PoolClient,
  venue: SeedVenue,
  organizationId: string,
): Promise<{ id: string; seats: number }> {
  const layout = venue.layout();
  const capacity = layout.sections.reduce((sum, section) => sum + section.capacity, 0);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO venues (slug, name, address, city, country, latitude, longitude, timezone, capacity, map, organization_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      venue.slug,
      venue.name,
      venue.address,
      venue.city,
      venue.country,
      venue.latitude,
      venue.longitude,
      venue.timezone,
      capacity,
      JSON.stringify({ ...layout.map, stagePoint: layout.stage }),
      organizationId,
    ],
  );
  const venueId = rows[0]!.id;

  const sectionIds = layout.sections.map(() => randomUUID());
  await client.query(
    `INSERT INTO sections (id, venue_id, name, kind, capacity, sort_order, shape)
     SELECT id, $1, name, kind::"SectionKind", capacity, sort_order, shape::jsonb
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[])
       AS s(id, name, kind, capacity, sort_order, shape)`,
    [
      venueId,
      sectionIds,
      layout.sections.map((section) => section.name),
      layout.sections.map((section) => section.kind),
      layout.sections.map((section) => section.capacity),
      layout.sections.map((_, index) => index),
      layout.sections.map((section) => JSON.stringify({ ...section.shape, priceFactor: section.priceFactor })),
    ],
  );

  const rowColumns = { id: [] as string[], sectionId: [] as string[], label: [] as string[], sortOrder: [] as number[] };
  const seatColumns = {
    sectionId: [] as string[],
    rowId: [] as string[],
    number: [] as number[],
    x: [] as number[],
    y: [] as number[],
    stageDistance: [] as number[],
    accessible: [] as boolean[],
    companion: [] as boolean[],
    aisle: [] as boolean[],
    restrictedView: [] as boolean[],
  };
  layout.sections.forEach((section, sectionIndex) => {
    const sectionId = sectionIds[sectionIndex]!;
    section.rows.forEach((row, rowIndex) => {
      const last = row.seats.length - 1;
      const backRow = rowIndex === section.rows.length - 1 && row.seats.length >= 6;
      const rowId = randomUUID();
      rowColumns.id.push(rowId);
      rowColumns.sectionId.push(sectionId);
      rowColumns.label.push(row.label);
      rowColumns.sortOrder.push(row.sortOrder);
      for (const [index, seat] of row.seats.entries()) {
        seatColumns.sectionId.push(sectionId);
        seatColumns.rowId.push(rowId);
        seatColumns.number.push(seat.number);
        seatColumns.x.push(seat.x);
        seatColumns.y.push(seat.y);
        seatColumns.stageDistance.push(seat.stageDistance);
        // Seat features, so every seeded venue shows them: both row ends are aisle seats; the back row
        // of each section has a wheelchair space at each end with a companion seat beside it; every
        // fourth section's first three seats of its front row have a restricted view.
        seatColumns.aisle.push(index === 0 || index === last);
        seatColumns.accessible.push(backRow && (index === 0 || index === last));
        seatColumns.companion.push(backRow && (index === 1 || index === last - 1));
        seatColumns.restrictedView.push(sectionIndex % 4 === 1 && rowIndex === 0 && index < 3);
      }
    });
  });
  if (rowColumns.id.length > 0) {
    await client.query(
      `INSERT INTO seat_rows (id, section_id, label, sort_order)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[])`,
      [rowColumns.id, rowColumns.sectionId, rowColumns.label, rowColumns.sortOrder],
    );
    await client.query(
      `INSERT INTO seats (section_id, row_id, number, x, y, stage_distance, accessible, companion, aisle, restricted_view)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::bool[], $8::bool[], $9::bool[], $10::bool[])`,
      [
        seatColumns.sectionId,
        seatColumns.rowId,
        seatColumns.number,
        seatColumns.x,
        seatColumns.y,
        seatColumns.stageDistance,
        seatColumns.accessible,
        seatColumns.companion,
        seatColumns.aisle,
        seatColumns.restrictedView,
      ],
    );
  }
  return { id: venueId, seats: seatColumns.number.length };
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

async function insertEvent(
  client: pg.PoolClient,
  event: SeedEvent,
  context: { venueId: string; organizationId: string; now: Date },
): Promise<void> {
  const startsAt = new Date(context.now.getTime() + event.startsInDays * DAY_MS);
  // Round to a whole evening hour so event pages look like real listings.
  startsAt.setUTCMinutes(0, 0, 0);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO events (slug, name, artist, description, category, status, venue_id, organization_id, currency,
       starts_at, ends_at, on_sale_at, waiting_room_enabled, waiting_room_max_active_shoppers, max_seats_per_user,
       service_fee_basis_points, facility_fee_minor, pricing_curve, pricing_freeze_minutes, pricing_sell_out_at)
     VALUES ($1, $2, $3, $4, $5::"EventCategory", $6::"EventStatus", $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
             $18::"PacingCurve", $19, $20)
     RETURNING id`,
    [
      event.slug,
      event.name,
      event.artist,
      event.description,
      event.category,
      event.status,
      context.venueId,
      context.organizationId,
      event.currency,
      startsAt,
      new Date(startsAt.getTime() + 3 * 60 * MINUTE_MS),
      new Date(context.now.getTime() + event.onSaleInMinutes * MINUTE_MS),
      event.waitingRoomEnabled ?? false,
      event.waitingRoomMaxActiveShoppers ?? 500,
      event.maxSeatsPerUser ?? 8,
      event.serviceFeeBasisPoints ?? 1000,
      event.facilityFeeMinor ?? 0,
      event.dynamicPricing?.curve ?? "FRONT_LOADED",
      event.dynamicPricing?.freezeMinutes ?? 60,
      event.dynamicPricing?.sellOutAfterDays === undefined
        ? null
        : new Date(context.now.getTime() + event.onSaleInMinutes * MINUTE_MS + event.dynamicPricing.sellOutAfterDays * DAY_MS),
    ],
  );
  const eventId = rows[0]!.id;
  // Section price = base × the section's factor, rounded to whole units; bounds ±40% for the pricing engine.
  await client.query(
    `WITH priced AS (
       SELECT s.id, s.capacity,
              (round($2::int * coalesce((s.shape->>'priceFactor')::float8, 1) / 100) * 100)::int AS price
       FROM sections s WHERE s.venue_id = $3)
     INSERT INTO event_sections (event_id, section_id, currency, price_minor, price_floor_minor, price_ceiling_minor, capacity,
                                 dynamic_pricing, max_step_basis_points)
     SELECT $1, id, $4, price, (price * 0.6)::int, (price * 1.4)::int, capacity, $5, $6 FROM priced`,
    [eventId, event.basePriceMinor, context.venueId, event.currency, event.dynamicPricing !== undefined, (event.dynamicPricing?.maxStepPercent ?? 10) * 100],
  );
  await client.query(
    `INSERT INTO price_history (event_id, section_id, price_minor, reason)
     SELECT event_id, section_id, price_minor, 'initial' FROM event_sections WHERE event_id = $1`,
    [eventId],
  );
  // Every seat of the venue becomes sellable inventory; a few front-row seats are blocked for production.
  await client.query(
    `INSERT INTO event_seats (event_id, seat_id, section_id, status)
     SELECT $1, seat.id, seat.section_id,
            CASE WHEN row.sort_order = 0 AND seat.number <= 2 AND section.sort_order % 5 = 1
                 THEN 'BLOCKED'::"SeatStatus" ELSE 'AVAILABLE'::"SeatStatus" END
     FROM seats seat
     JOIN seat_rows row ON row.id = seat.row_id
     JOIN sections section ON section.id = seat.section_id
     WHERE section.venue_id = $2`,
    [eventId, context.venueId],
  );
}
