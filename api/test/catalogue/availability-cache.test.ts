/**
 * The catalogue's per-section counts come from a Redis hash per event with a short lifetime. When
 * several events' hashes have expired together, the next list refills them in one shared fill: every
 * event of the list must get its own counts from it, not only the first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAvailability } from "../../src/hold/hold.db.js";
import { createEvent, createOrganization, createVenue, setSeatStatus } from "../support/factories.js";
import { startTestApi, type TestApi } from "../support/test-api.js";

const CACHE_TTL_MS = 400;
let api: TestApi;
const eventIds: string[] = [];

beforeAll(async () => {
  api = await startTestApi({ env: { AVAILABILITY_CACHE_TTL_MS: String(CACHE_TTL_MS) } });
  const organizationId = await createOrganization(api.app.db.pool);
  const venue = await createVenue(api.app.db.pool, { seated: [{ rows: 2, seatsPerRow: 5 }, { rows: 1, seatsPerRow: 4 }], generalAdmission: [30] });
  for (let index = 0; index < 10; index++) {
    const eventId = await createEvent(api.app.db.pool, venue, { organizationId, name: `Idle ${index}` });
    eventIds.push(eventId);
    // Each event a different number of seats taken, so counts cannot match by accident.
    const seatIds = venue.sections[0]!.seatIds.slice(0, index % 6);
    if (seatIds.length > 0) await setSeatStatus(api.app.db.pool, eventId, seatIds, "SOLD");
  }
});
afterAll(() => api.stop());

const EVENTS = `{ events(first: 20) { edges { node { id sections { section { id } available total } } } } }`;

type Listed = { id: string; sections: { section: { id: string }; available: number; total: number }[] };

async function listedCounts(): Promise<Map<string, Map<string, [number, number]>>> {
  const response = await api.query<{ events: { edges: { node: Listed }[] } }>(EVENTS);
  expect(response.errors).toBeUndefined();
  return new Map(
    response.data!.events.edges.map(({ node }) => [node.id, new Map(node.sections.map((s) => [s.section.id, [s.available, s.total] as [number, number]]))]),
  );
}

async function postgresCounts(): Promise<Map<string, Map<string, [number, number]>>> {
  const byEvent = new Map<string, Map<string, [number, number]>>(eventIds.map((id) => [id, new Map()]));
  for (const row of await countAvailability(api.app.db.pool, eventIds)) byEvent.get(row.eventId)!.set(row.sectionId, [row.available, row.total]);
  return byEvent;
}

describe("catalogue availability after the cache lapses", () => {
  it("lists every on-sale event with PostgreSQL's counts, first fill and after idling past the cache lifetime", async () => {
    const expected = await postgresCounts();
    // Sanity: the fixture has 3 sections per event and seats taken in most events.
    expect([...expected.values()].every((sections) => sections.size === 3)).toBe(true);
    expect(await listedCounts()).toEqual(expected);
    for (let round = 0; round < 2; round++) {
      await new Promise((resolve) => setTimeout(resolve, CACHE_TTL_MS * 2));
      expect(await listedCounts()).toEqual(expected);
    }
  });
});
