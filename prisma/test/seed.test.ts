import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test-support/database.js";
import { createPool } from "../src/connection.js";
import { seed } from "../src/seed/seed.js";
import type pg from "pg";

let database: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url);
  await seed(pool);
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

const one = async <T>(statement: string, params: unknown[] = []) => (await pool.query(statement, params)).rows[0] as T;
const snapshot = async () =>
  (await pool.query(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM venues)::int AS venues,
     (SELECT count(*) FROM seats)::int AS seats, (SELECT count(*) FROM events)::int AS events,
     (SELECT count(*) FROM event_seats)::int AS event_seats, (SELECT count(*) FROM event_sections)::int AS event_sections,
     (SELECT count(*) FROM price_history)::int AS price_history`)).rows[0];

describe("development seed", () => {
  it("is idempotent: a second and a concurrent third run change nothing", async () => {
    const before = await snapshot();
    const [again, concurrent] = await Promise.all([seed(pool), seed(pool)]);
    expect(again.venuesCreated).toEqual([]);
    expect(concurrent.eventsCreated).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("has an arena of 18,000+ seats with distinct positions on curved rows around the stage", async () => {
    const arena = await one<{ seats: number; sections: number; positions: number }>(
      `SELECT count(*)::int AS seats, count(DISTINCT s.section_id)::int AS sections, count(DISTINCT (s.x, s.y))::int AS positions
       FROM seats s JOIN sections sec ON sec.id = s.section_id JOIN venues v ON v.id = sec.venue_id WHERE v.slug = 'lakeshore-arena'`,
    );
    expect(arena.seats).toBeGreaterThanOrEqual(18_000);
    expect(arena.positions).toBe(arena.seats);
    expect(arena.sections).toBe(44);
    // Rows curve: the seats of one row are not on a straight line (their y varies).
    const row = await one<{ spread: number }>(
      `SELECT max(s.y) - min(s.y) AS spread FROM seats s JOIN seat_rows r ON r.id = s.row_id JOIN sections sec ON sec.id = r.section_id
       JOIN venues v ON v.id = sec.venue_id WHERE v.slug = 'lakeshore-arena' AND sec.name = '110' AND r.label = 'A'`,
    );
    expect(row.spread).toBeGreaterThan(1);
  });

  it("has venues of every kind in real cities and events across categories and states", async () => {
    const venues = (await pool.query(`SELECT v.slug, v.city, array_agg(DISTINCT s.kind::text ORDER BY s.kind::text) AS kinds
      FROM venues v JOIN sections s ON s.venue_id = v.id GROUP BY v.slug, v.city ORDER BY v.slug`)).rows;
    expect(new Set(venues.map((venue) => venue.city)).size).toBeGreaterThanOrEqual(4);
    expect(venues.find((venue) => venue.slug === "kesselhaus-club")!.kinds).toEqual(["GENERAL_ADMISSION"]);
    expect(venues.find((venue) => venue.slug === "red-mesa-amphitheatre")!.kinds).toEqual(["GENERAL_ADMISSION", "SEATED"]);
    const events = await one<{ total: number; onSale: number; categories: number; queueNow: number; preQueue: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'ON_SALE' AND on_sale_at <= now())::int AS "onSale",
              count(DISTINCT category)::int AS categories,
              count(*) FILTER (WHERE status = 'ON_SALE' AND waiting_room_enabled)::int AS "queueNow",
              count(*) FILTER (WHERE status = 'SCHEDULED' AND waiting_room_enabled AND on_sale_at > now())::int AS "preQueue"
       FROM events`,
    );
    expect(events.total).toBeGreaterThanOrEqual(8);
    expect(events.onSale).toBeGreaterThanOrEqual(3);
    expect(events.categories).toBeGreaterThanOrEqual(5);
    expect(events.queueNow).toBe(1);
    expect(events.preQueue).toBe(1);
  });

  it("gives every event inventory for every seat and a price within its bounds per section", async () => {
    const mismatch = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM events e JOIN venues v ON v.id = e.venue_id
       WHERE (SELECT count(*) FROM event_seats es WHERE es.event_id = e.id)
          <> (SELECT count(*) FROM seats s JOIN sections sec ON sec.id = s.section_id WHERE sec.venue_id = v.id)`,
    );
    expect(mismatch.n).toBe(0);
    const outOfBounds = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_sections WHERE price_minor < price_floor_minor OR price_minor > price_ceiling_minor OR price_minor <= 0`,
    );
    expect(outOfBounds.n).toBe(0);
  });

  it("creates the documented development accounts", async () => {
    const { rows } = await pool.query(`SELECT u.email, u.role, o.slug FROM users u LEFT JOIN organizations o ON o.id = u.organization_id ORDER BY u.email`);
    expect(rows).toEqual([
      { email: "admin@boxoffice.test", role: "ADMIN", slug: null },
      { email: "fan2@boxoffice.test", role: "FAN", slug: null },
      { email: "fan@boxoffice.test", role: "FAN", slug: null },
      { email: "promoter@boxoffice.test", role: "PROMOTER", slug: "lakeshore-live" },
      { email: "promoter@northern-stages.test", role: "PROMOTER", slug: "northern-stages" },
    ]);
  });
});
