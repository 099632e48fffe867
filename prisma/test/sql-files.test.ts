import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_DATABASE_URL, createTestDatabase, type TestDatabase } from "../../test-support/database.js";
import { migrate, MIGRATIONS_DIR, readMigrations } from "../src/migrate.js";
import { changedSqlFiles, homeProblems, readCatalog, readSqlFiles, SQL_DIR, type CatalogObject } from "../tools/sql-files.mjs";

const TOOLS = new URL("../tools/cli.mjs", import.meta.url).pathname;
const databases: TestDatabase[] = [];
const directories: string[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

async function migratedDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  return database;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const catalogOf = (url: string): Promise<CatalogObject[]> => withClient(url, (client) => readCatalog(client));

/** A copy of prisma/sql (or prisma/migrations) a test may edit. */
function copyOf(directory: string): string {
  const copy = mkdtempSync(join(tmpdir(), "boxoffice-sql-files-"));
  directories.push(copy);
  cpSync(directory, copy, { recursive: true });
  return copy;
}

function edit(path: string, from: string, to: string): string {
  const text = readFileSync(path, "utf8");
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
  return readFileSync(path, "utf8");
}

describe("prisma/sql, the one home of every function, trigger and view", () => {
  it("has exactly one file for every function, trigger and view of the migrated database, and nothing else", async () => {
    const database = await migratedDatabase();
    const catalog = await catalogOf(database.url);
    const files = readSqlFiles();
    expect(homeProblems(catalog, files)).toEqual([]);
    const key = (object: { kind: string; name: string }) => `${object.kind}s/${object.name}`;
    expect(files.map(key).sort()).toEqual(catalog.map(key).sort());
    expect(files.map((file) => file.path).sort()).toEqual(catalog.map((object) => `${key(object)}.sql`).sort());
  });

  it("holds each definition exactly as the migrated database has it", async () => {
    const database = await migratedDatabase();
    expect(await changedSqlFiles(database.url)).toEqual([]);
  });

  it("reports an edited file, a file the migrations never created and an object without a file (the checks can fail)", async () => {
    const database = await migratedDatabase();
    const sqlDir = copyOf(SQL_DIR);
    const edited = edit(join(sqlDir, "functions", "hold_seats_unavailable.sql"), "LEFT JOIN event_seats es", "LEFT JOIN event_seats AS es");
    writeFileSync(join(sqlDir, "functions", "seat_count.sql"), "CREATE OR REPLACE FUNCTION seat_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM seats $$;\n");
    rmSync(join(sqlDir, "triggers", "events_search_outbox.sql"));

    const files = readSqlFiles(sqlDir);
    const problems = homeProblems(await catalogOf(database.url), files);
    expect(problems).toEqual([
      "trigger events.events_search_outbox has no file: add prisma/sql/triggers/events_search_outbox.sql",
      "prisma/sql/functions/seat_count.sql is not in the migrated database: generate its migration (npm run db:migration -- <name>)",
    ]);
    expect(await changedSqlFiles(database.url, files)).toEqual([
      { path: "functions/hold_seats_unavailable.sql", sql: edited },
      { path: "functions/seat_count.sql", sql: readFileSync(join(sqlDir, "functions", "seat_count.sql"), "utf8") },
    ]);
    // The comparison ran in a transaction that was rolled back.
    expect(homeProblems(await catalogOf(database.url), readSqlFiles())).toEqual([]);
  });

  it("refuses a file that defines something other than its name says", () => {
    const sqlDir = copyOf(SQL_DIR);
    writeFileSync(join(sqlDir, "functions", "misnamed.sql"), "CREATE OR REPLACE FUNCTION other_name() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n");
    const files = readSqlFiles(sqlDir).filter((file) => file.name === "misnamed");
    expect(homeProblems([], files)).toEqual([
      "prisma/sql/functions/misnamed.sql must define exactly one function named misnamed (it defines function other_name)",
      "prisma/sql/functions/misnamed.sql is not in the migrated database: generate its migration (npm run db:migration -- <name>)",
    ]);
  });
});

describe("npm run db:migration with changed prisma/sql files", () => {
  it("writes each changed file's full text (with the DROP a new signature needs) as the next migration, which applies cleanly", { timeout: 90_000 }, async () => {
    const database = await migratedDatabase();
    const sqlDir = copyOf(SQL_DIR);
    const migrationsDir = copyOf(MIGRATIONS_DIR);
    const unavailable = edit(join(sqlDir, "functions", "hold_seats_unavailable.sql"), "LEFT JOIN event_seats es", "LEFT JOIN event_seats AS es");
    const checkout = edit(join(sqlDir, "functions", "begin_checkout.sql"), "p_owner text DEFAULT NULL", "p_owner text DEFAULT NULL, p_channel text DEFAULT NULL");

    const result = spawnSync(process.execPath, [TOOLS, "migration", "probe", "--sql-dir", sqlDir, "--migrations-dir", migrationsDir], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: ADMIN_DATABASE_URL },
    });
    expect(`${result.stdout}${result.stderr}`).toContain("changed: prisma/sql/functions/begin_checkout.sql\nchanged: prisma/sql/functions/hold_seats_unavailable.sql\n");
    expect(result.status).toBe(0);

    const written = readdirSync(migrationsDir).filter((name) => name.endsWith("_probe"));
    expect(written).toHaveLength(1);
    const sql = readFileSync(join(migrationsDir, written[0]!, "migration.sql"), "utf8");
    expect(sql).toBe(
      `-- prisma/sql/functions/begin_checkout.sql\nDROP FUNCTION begin_checkout(uuid,uuid,uuid,text,text,jsonb,integer,text);\n${checkout.trimEnd()}\n\n` +
        `-- prisma/sql/functions/hold_seats_unavailable.sql\n${unavailable.trimEnd()}\n`,
    );

    // Applied by the runner after every existing migration, it leaves the database equal to the files.
    expect(await migrate(database.url, migrationsDir)).toEqual({ applied: [written[0]], alreadyApplied: readMigrations().map((m) => m.name) });
    expect(await changedSqlFiles(database.url, readSqlFiles(sqlDir))).toEqual([]);
    expect(homeProblems(await catalogOf(database.url), readSqlFiles(sqlDir))).toEqual([]);
  });

  it("writes nothing when schema.prisma and prisma/sql match the migrations", { timeout: 90_000 }, () => {
    const migrationsDir = copyOf(MIGRATIONS_DIR);
    const result = spawnSync(process.execPath, [TOOLS, "migration", "probe", "--migrations-dir", migrationsDir], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: ADMIN_DATABASE_URL },
    });
    expect(result.stdout).toBe("schema.prisma and prisma/sql match the migrations: nothing to write\n");
    expect(result.status).toBe(0);
    expect(readdirSync(migrationsDir).sort()).toEqual(readdirSync(MIGRATIONS_DIR).sort());
  });
});
