/**
 * What the PostgreSQL engine's text statement computes per row, read from its plan (EXPLAIN VERBOSE
 * shows every expression a node evaluates), not from its time: the title's vector is read from the
 * stored column, never parsed again per row (to_tsvector per matched row was most of a broad query's
 * CPU), and the rank is computed only for rows that pass the facet filters.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";
import { createPostgresSearch } from "../../src/search/search.pg.js";
import { parseSearch } from "../../src/search/search.query.js";
import { createEvent, createOrganization, createVenue } from "../support/factories.js";

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
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

/** The engine's statements for one search, each with its EXPLAIN (VERBOSE) plan as text. */
async function plansOf(input: Parameters<typeof parseSearch>[0]): Promise<{ total: number; plans: string[] }> {
  const statements: { text: string; values: unknown[] }[] = [];
  const recording = { query: (text: string, values: unknown[]) => (statements.push({ text, values }), pool.query(text, values)) } as unknown as pg.Pool;
  const parsed = parseSearch(input);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const answer = await createPostgresSearch(recording, 1).search(parsed.value);
  const plans: string[] = [];
  for (const statement of statements) {
    const { rows } = await pool.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${statement.text}`, statement.values);
    plans.push(JSON.stringify(rows[0]["QUERY PLAN"]));
  }
  return { total: answer.total, plans };
}

describe("the PostgreSQL engine's text statement", () => {
  it("reads the stored title and place vectors: no to_tsvector per row", async () => {
    const { total, plans } = await plansOf({ text: "Nova", category: ["CONCERT"] });
    expect(total).toBe(1);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain("title_vector @@");
    expect(plans[0]).toContain("place_vector @@");
    expect(plans[0]).not.toContain("to_tsvector(");
  });

  it("ranks only the rows that pass the facet filters (the rank sits under the filters' CASE)", async () => {
    const { plans } = await plansOf({ text: "Nova", category: ["CONCERT"] });
    const ranks = plans[0]!.match(/ts_rank\(/g) ?? [];
    expect(ranks).toHaveLength(1);
    expect(plans[0]).toMatch(/CASE WHEN \(s\.category = ANY \([^)]*\)\) THEN \(ts_rank\(s\.title_vector/);
  });
});
