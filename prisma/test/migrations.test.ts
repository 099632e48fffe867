import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test-support/database.js";
import { migrate, MIGRATIONS_DIR, readMigrations } from "../src/migrate.js";

const TOOLS = new URL("../tools/cli.mjs", import.meta.url).pathname;
const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});

async function migratedDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  return database;
}

function drift(url: string) {
  const result = spawnSync(process.execPath, [TOOLS, "drift", url], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function sql(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

describe("migrations against schema.prisma", () => {
  it("leave a database that does not drift from schema.prisma", async () => {
    const database = await migratedDatabase();
    const result = drift(database.url);
    expect(result.output).toContain("No difference detected");
    expect(result.status).toBe(0);
  });

  it("report drift when the database differs from schema.prisma (the check can fail)", async () => {
    const database = await migratedDatabase();
    await sql(database.url, `ALTER TABLE events DROP COLUMN artist; CREATE INDEX drift_probe ON venues (name)`);
    const result = drift(database.url);
    expect(result.status).toBe(2);
    expect(result.output).toMatch(/Added column `artist`/);
    expect(result.output).toMatch(/Removed index on columns \(name\)/);
  });
});

describe("migration runner", () => {
  it("records migrations the way `prisma migrate deploy` does and applies nothing twice", async () => {
    const database = await migratedDatabase();
    const { rows } = await sql(database.url, `SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`);
    const files = readMigrations();
    expect(rows.map((row) => row.migration_name)).toEqual(files.map((file) => file.name));
    for (const [index, file] of files.entries()) {
      const raw = readFileSync(join(MIGRATIONS_DIR, file.name, "migration.sql"));
      expect(rows[index].checksum).toBe(createHash("sha256").update(raw).digest("hex"));
      expect(rows[index].finished_at).toBeInstanceOf(Date);
      expect(rows[index].applied_steps_count).toBe(1);
    }
    expect(await migrate(database.url)).toEqual({ applied: [], alreadyApplied: files.map((file) => file.name) });
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const database = await migratedDatabase();
    await sql(database.url, `UPDATE _prisma_migrations SET checksum = 'edited'`);
    await expect(migrate(database.url)).rejects.toThrow(/was edited after it was applied/);
  });

  it("is safe when several processes migrate the same empty database at once", async () => {
    const database = await createTestDatabase("template0");
    databases.push(database);
    const results = await Promise.all([migrate(database.url), migrate(database.url), migrate(database.url)]);
    expect(results.flatMap((result) => result.applied)).toEqual(readMigrations().map((file) => file.name));
  });
});

describe("the UNIQUE net on sold seats", () => {
  it("rejects a second live ticket for the same seat of an event but allows one after the first is voided", async () => {
    const database = await migratedDatabase();
    const insert = (status: string, active: string | null) => `
      INSERT INTO tickets (order_id, event_id, section_id, seat_id, active_seat_id, status, rotation_secret)
      SELECT o.id, o.event_id, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002',
             ${active ? `'${active}'` : "NULL"}, '${status}', 's' FROM orders o`;
    await sql(database.url, `
      INSERT INTO organizations (id, name, slug) VALUES ('00000000-0000-4000-8000-0000000000a1', 'O', 'o');
      INSERT INTO users (id, email, name, password_hash) VALUES ('00000000-0000-4000-8000-0000000000b1', 'u@x.test', 'U', 'x');
      INSERT INTO venues (id, slug, name, city, country, latitude, longitude, timezone, capacity) VALUES ('00000000-0000-4000-8000-0000000000c1', 'v', 'V', 'C', 'US', 0, 0, 'UTC', 1);
      INSERT INTO events (id, slug, name, artist, category, venue_id, organization_id, starts_at, on_sale_at)
        VALUES ('00000000-0000-4000-8000-0000000000d1', 'e', 'E', 'A', 'CONCERT', '00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000a1', now(), now());
      INSERT INTO holds (id, event_id, user_id, subtotal_minor, currency, expires_at)
        VALUES ('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-0000000000b1', 0, 'USD', now());
      INSERT INTO orders (event_id, user_id, hold_id, idempotency_key, currency, subtotal_minor, fees_minor, total_minor)
        VALUES ('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000e1', 'k', 'USD', 0, 0, 0);`);
    await sql(database.url, insert("VALID", "00000000-0000-4000-8000-000000000002"));
    await expect(sql(database.url, insert("VALID", "00000000-0000-4000-8000-000000000002"))).rejects.toThrow(/tickets_event_id_active_seat_id_key/);
    // A VOID ticket must release its seat (CHECK), after which the seat can be sold again.
    await expect(sql(database.url, `UPDATE tickets SET status = 'VOID'`)).rejects.toThrow(/tickets_active_seat_check/);
    await sql(database.url, `UPDATE tickets SET status = 'VOID', active_seat_id = NULL`);
    await sql(database.url, insert("VALID", "00000000-0000-4000-8000-000000000002"));
    const { rows } = await sql(database.url, `SELECT status, count(*)::int AS n FROM tickets GROUP BY status ORDER BY status`);
    expect(rows).toEqual([{ status: "VALID", n: 1 }, { status: "VOID", n: 1 }]);
  });
});
