/**
 * The PostgreSQL engine sends at most `concurrency` search statements at once and starts the others
 * in arrival order (search.pg.ts, "A few statements at a time"). Every statement here is slowed down
 * before it reaches PostgreSQL, so searches fired together would overlap were they not queued; the
 * same searches with a limit of 8 show that they do.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";
import { createPostgresSearch } from "../../src/search/search.pg.js";
import { parseSearch } from "../../src/search/search.query.js";
import { createEvent, createOrganization, createVenue } from "../support/factories.js";

let database: TestDatabase;
let pool: pg.Pool;
const WORDS = ["Nova", "Lights", "Cup", "Other", "Show", "Nova Cup", "Nova Lights", "Missing"];

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 10 });
  const organizationId = await createOrganization(pool);
  const venue = await createVenue(pool, { organizationId, seated: [{ rows: 1, seatsPerRow: 2 }] });
  for (const [name, category] of [["Nova Lights", "CONCERT"], ["Nova Cup", "SPORTS"], ["Other Show", "CONCERT"]] as const) {
    await createEvent(pool, venue, { organizationId, name, category });
  }
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

/** Fires one search per word at once; answers their totals, the most statements in flight, and the words in the order their statements started. */
async function searchTogether(concurrency: number) {
  let inFlight = 0;
  let most = 0;
  const started: string[] = [];
  const slow = {
    async query(text: string, values: unknown[]) {
      started.push(String(values[0]));
      most = Math.max(most, ++inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 40));
        return await pool.query(text, values);
      } finally {
        inFlight--;
      }
    },
  } as unknown as pg.Pool;
  const engine = createPostgresSearch(slow, concurrency);
  const totals = await Promise.all(
    WORDS.map(async (text) => {
      const parsed = parseSearch({ text, first: 5 });
      if (!parsed.ok) throw new Error(parsed.error.message);
      return (await engine.search(parsed.value)).total;
    }),
  );
  return { totals, most, started };
}

describe("PostgreSQL search under concurrent requests", () => {
  it("runs at most `concurrency` statements at once, starts them in arrival order, and answers every search as alone", async () => {
    const limited = await searchTogether(2);
    expect(limited.most).toBe(2);
    // Each word's exact statement starts in the order asked; "Missing" finds nothing and comes back
    // for its typo pass, queued behind the others.
    expect(limited.started).toEqual([...WORDS, "Missing"]);

    const wide = await searchTogether(8);
    expect(wide.most).toBe(8);
    expect(limited.totals).toEqual(wide.totals);
    expect(limited.totals).toEqual([2, 1, 1, 1, 1, 1, 1, 0]);
  });
});
