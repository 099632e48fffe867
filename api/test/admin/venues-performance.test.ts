/**
 * Seat maps at arena scale, through the mutations, with generous bounds that only a regression to
 * per-seat statements (or per-seat scans of event_seats) would break: an 18,000-seat arena generated,
 * and a 60,000-seat layout regenerated with an event selling it, its sections deleted, and a venue of
 * 60,000 seats deleted. Each measured time is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUser } from "../support/factories.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import { CREATE_SECTION, CREATE_VENUE, DELETE_SECTION, DELETE_VENUE, expectCapacityConsistent, GENERATE, venueInput, VENUE_SEATS } from "./venues-helpers.js";

let api: TestApi;
let organizationId: string;
let token: string;

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" } });
  organizationId = await createOrganization(api.app.db.pool);
  token = (await createUser(api, { role: "PROMOTER", organizationId })).token;
});
afterAll(async () => {
  await api.stop();
});

const BOUND_MS = 20_000;

async function timed<T>(label: string, work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`[venues-performance] ${label}: ${ms} ms\n`);
  return { value, ms };
}

async function mutate(document: string, variables: Record<string, unknown>) {
  const response = await api.query(document, variables, token);
  expect(response.errors).toBeUndefined();
  return expectOk(Object.values(response.data!)[0] as { errors: { code: string }[] } & Record<string, any>);
}

/** A venue of `sections` seated sections, each generated `rows` × `seatsPerRow`, fanned around the stage. */
async function arena(sections: number, rows: number, seatsPerRow: number): Promise<{ venueId: string; sectionIds: string[] }> {
  const venueId = (await mutate(CREATE_VENUE, { input: venueInput({ name: `Arena ${sections}x${rows}x${seatsPerRow}` }) })).venue.id as string;
  const sectionIds: string[] = [];
  for (let index = 0; index < sections; index++) {
    sectionIds.push((await mutate(CREATE_SECTION, { input: { venueId, name: `Block ${index + 1}`, kind: "SEATED" } })).section.id);
  }
  for (const [index, sectionId] of sectionIds.entries()) {
    await mutate(GENERATE, { input: layout(sectionId, index, sections, rows, seatsPerRow) });
  }
  return { venueId, sectionIds };
}

const layout = (sectionId: string, index: number, sections: number, rows: number, seatsPerRow: number) => {
  const angle = (360 / sections) * index;
  const radians = (angle * Math.PI) / 180;
  return { sectionId, rows, seatsPerRow, curvature: 0.2, angle, originX: 400 * Math.sin(radians), originY: -400 * Math.cos(radians), aisles: [Math.floor(seatsPerRow / 2)] };
};

describe("seat maps at arena scale", () => {
  it("generates an 18,000-seat arena (30 sections × 30 rows × 20 seats) through the mutations in seconds", { timeout: 120_000 }, async () => {
    const { value, ms } = await timed("generate 18,000 seats (30 × createSection + 30 × generateSectionSeats)", () => arena(30, 30, 20));
    expect(await expectCapacityConsistent(api.app.db.pool, value.venueId)).toBe(18_000);
    expect(ms).toBeLessThan(BOUND_MS);
    const preview = await timed("adminVenueSeats of the 18,000-seat arena (the SVG preview)", () => api.query(VENUE_SEATS, { venueId: value.venueId }, token));
    expect(preview.value.data!.adminVenueSeats).toHaveLength(18_000);
    expect(preview.ms).toBeLessThan(5_000);
  });

  it("regenerates and deletes a 60,000-seat layout that an event sells, and deletes a 60,000-seat venue, in seconds", { timeout: 300_000 }, async () => {
    const pool = api.app.db.pool;
    const generated = await timed("generate 60,000 seats (3 sections × 100 rows × 200 seats)", () => arena(3, 100, 200));
    expect(generated.ms).toBeLessThan(BOUND_MS);
    const { venueId, sectionIds } = generated.value;
    const eventId = await createEvent(pool, { id: venueId, sections: [] }, { organizationId });

    const regenerated = await timed("regenerate 60,000 seats with an event selling them (event inventory rebuilt)", async () => {
      for (const [index, sectionId] of sectionIds.entries()) await mutate(GENERATE, { input: layout(sectionId, index, 3, 100, 200) });
    });
    expect(regenerated.ms).toBeLessThan(BOUND_MS);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM event_seats WHERE event_id = $1`, [eventId]);
    expect(rows).toEqual([{ n: 60_000 }]);

    const deleted = await timed("delete 3 sections of 60,000 seats with their event inventory", async () => {
      for (const id of sectionIds) await mutate(DELETE_SECTION, { id });
    });
    expect(deleted.ms).toBeLessThan(BOUND_MS);
    expect(await expectCapacityConsistent(pool, venueId)).toBe(0);

    const other = await arena(3, 100, 200);
    const venueDeleted = await timed("delete a venue of 60,000 seats", () => mutate(DELETE_VENUE, { id: other.venueId }));
    expect(venueDeleted.ms).toBeLessThan(BOUND_MS);
  });
});
