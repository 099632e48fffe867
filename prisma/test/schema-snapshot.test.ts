import { readFileSync } from "node:fs";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test-support/database.js";
import { dumpSchema, normalizeDump, REGENERATE_COMMAND, SCHEMA_FILE, schemaDifference } from "../src/schema-dump.js";

const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});

async function migratedDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  return database;
}

describe("prisma/schema.sql", () => {
  it("is the schema-only dump of a freshly migrated database", async () => {
    const database = await migratedDatabase();
    const difference = schemaDifference(readFileSync(SCHEMA_FILE, "utf8"), dumpSchema(database.url));
    if (difference) expect.fail(difference);
    expect(difference).toBeNull();
  });

  it("is reported stale, with a diff and the command to regenerate it, when a function changes (the check can fail)", async () => {
    const database = await migratedDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`CREATE OR REPLACE FUNCTION search_note_sale(p_event_id uuid) RETURNS void LANGUAGE sql AS $$ SELECT $$`);
    } finally {
      await client.end();
    }
    const difference = schemaDifference(readFileSync(SCHEMA_FILE, "utf8"), dumpSchema(database.url));
    expect(difference).toContain(`regenerate it with \`${REGENERATE_COMMAND}\``);
    expect(difference).toContain("--- prisma/schema.sql");
    expect(difference).toContain("+++ freshly migrated database");
    expect(difference).toContain("\n-    AND (SELECT true FROM event_seats es WHERE es.event_id = p_event_id AND es.status IN ('AVAILABLE', 'HELD')\n");
    expect(difference).toContain("\n+    AS $$ SELECT $$;\n");
  });

  it("does not depend on pg_dump's version, session settings or restrict key", () => {
    const dump = (version: string, key: string) =>
      `--\n-- PostgreSQL database dump\n--\n\n\\restrict ${key}\n\n-- Dumped from database version ${version}\n-- Dumped by pg_dump version ${version}\n\n` +
      `SET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\n\n\nCREATE TABLE public.t (id integer);\n\n\\unrestrict ${key}\n`;
    const normalized = normalizeDump(dump("15.20", "abc"));
    expect(normalizeDump(dump("15.4 (Debian)", "xyz"))).toBe(normalized);
    expect(normalized).not.toMatch(/restrict|Dumped|^SET|set_config/m);
    expect(normalized).toContain("\n\nCREATE TABLE public.t (id integer);\n");
  });
});
