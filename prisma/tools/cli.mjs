#!/usr/bin/env node
// Prisma migration tooling that works without Prisma 7's native schema engine (see README.md).
//
//   node prisma/tools/cli.mjs drift [DATABASE_URL]   exit 0: database matches schema.prisma, 2: drift (printed), 1: error
//   node prisma/tools/cli.mjs migration <name> [--sql-dir DIR] [--migrations-dir DIR]
//       writes <migrations>/<timestamp>_<name>/migration.sql: what a database migrated from the
//       migrations lacks to match schema.prisma, then every prisma/sql file that differs from it
import { spawnSync } from "node:child_process";
import { existsSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { changedSqlFiles, readSqlFiles, SQL_DIR } from "./sql-files.mjs";

const toolsDir = dirname(fileURLToPath(import.meta.url));
const prismaDir = join(toolsDir, "..");
const require = createRequire(join(toolsDir, "package.json"));
const cli = join(dirname(require.resolve("prisma/package.json")), "build", "index.js");
const work = mkdtempSync(join(tmpdir(), "boxoffice-prisma-tools-"));

// Prisma 6 insists on engine paths at start-up (it would try to download them otherwise); with
// engine "js" in prisma.config.ts it never runs them, so empty files are enough.
const engines = join(work, "engines");
mkdirSync(engines);
for (const file of ["schema-engine", "libquery_engine.so.node"]) {
  writeFileSync(join(engines, file), "");
  chmodSync(join(engines, file), 0o755);
}

// Prisma 6 needs `url = env("DATABASE_URL")` in the datasource; Prisma 7's schema has it in
// prisma.config.ts instead, and its generator block is not Prisma 6's. Compare a copy without them.
const schemaCopy = join(work, "schema.prisma");
writeFileSync(
  schemaCopy,
  readFileSync(join(prismaDir, "schema.prisma"), "utf8")
    .replace(/generator client \{[^}]*\}\n/, "")
    .replace(/datasource db \{[^}]*\}/, 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}'),
);

function prisma(args, databaseUrl, options = {}) {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: toolsDir,
    encoding: "utf8",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
      PRISMA_SCHEMA_ENGINE_BINARY: join(engines, "schema-engine"),
      PRISMA_QUERY_ENGINE_LIBRARY: join(engines, "libquery_engine.so.node"),
      ...options.env,
    },
  });
}

// Prisma 6's WASM engine crashes introspecting CHECK constraints (which its schema cannot express
// anyway), so drift is read from a throwaway schema-only copy without them; the database itself is
// never touched. Needs pg_dump and psql (PostgreSQL's client tools).
function scratchCopy(databaseUrl) {
  const url = new URL(databaseUrl);
  const scratch = `boxoffice_drift_${process.pid}_${Date.now()}`;
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const scratchUrl = new URL(databaseUrl);
  scratchUrl.pathname = `/${scratch}`;
  const psql = (target, sql) => spawnSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", target, "-c", sql], { encoding: "utf8" });
  const created = psql(admin.toString(), `CREATE DATABASE "${scratch}"`);
  if (created.status !== 0) throw new Error(`could not create ${scratch}: ${created.stderr}`);
  const dump = spawnSync("pg_dump", ["--schema-only", "--no-owner", "--no-privileges", url.toString()], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
  const load = spawnSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", scratchUrl.toString()], { input: dump.stdout, encoding: "utf8" });
  if (load.status !== 0) throw new Error(`loading the schema copy failed: ${load.stderr}`);
  const dropChecks = psql(scratchUrl.toString(), DROP_CHECK_CONSTRAINTS);
  if (dropChecks.status !== 0) throw new Error(`dropping CHECK constraints failed: ${dropChecks.stderr}`);
  return { url: scratchUrl.toString(), drop: () => psql(admin.toString(), `DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`) };
}

const DROP_CHECK_CONSTRAINTS = `DO $drop$ DECLARE c record; BEGIN
  FOR c IN SELECT con.conname, rel.relname FROM pg_constraint con
           JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace
           WHERE con.contype = 'c' AND ns.nspname = 'public' LOOP
    EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', c.relname, c.conname);
  END LOOP; END $drop$`;

function drift(databaseUrl) {
  const scratch = scratchCopy(databaseUrl);
  try {
    const diff = diffToSchema(scratch.url, "--exit-code");
    process.stdout.write(diff.stdout);
    if (diff.status !== 0 && diff.status !== 2) process.stderr.write(diff.stderr);
    return diff.status ?? 1;
  } finally {
    scratch.drop();
  }
}

/** Runs `prisma migrate diff` from the database's current schema to schema.prisma. */
function diffToSchema(databaseUrl, flag) {
  const live = join(work, "live.prisma");
  writeFileSync(live, 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n');
  // --print would mix Prisma's "url is not used" warning into the schema: write to the file instead.
  const pull = prisma(["db", "pull", "--schema", live], databaseUrl);
  if (pull.status !== 0) throw new Error(`prisma db pull failed:\n${pull.stdout}${pull.stderr}`);
  return prisma(["migrate", "diff", "--from-schema-datamodel", live, "--to-schema-datamodel", schemaCopy, flag], databaseUrl);
}

// A scratch database migrated from the migrations directory (each migration in its own transaction,
// as src/migrate.ts applies them), on the server of databaseUrl: the next migration is generated
// against what the migrations build, whatever state the development database is in.
async function freshlyMigrated(databaseUrl, migrationsDir) {
  const scratch = `boxoffice_migration_${process.pid}_${Date.now()}`;
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const scratchUrl = new URL(databaseUrl);
  scratchUrl.pathname = `/${scratch}`;
  const onAdmin = async (sql) => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await onAdmin(`CREATE DATABASE "${scratch}"`);
  const drop = () => onAdmin(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
  const client = new pg.Client({ connectionString: scratchUrl.toString() });
  try {
    await client.connect();
    const names = readdirSync(migrationsDir).filter((name) => existsSync(join(migrationsDir, name, "migration.sql"))).sort();
    for (const name of names) {
      await client.query("BEGIN");
      try {
        await client.query(readFileSync(join(migrationsDir, name, "migration.sql"), "utf8"));
        await client.query("COMMIT");
      } catch (error) {
        throw new Error(`migration ${name} failed on the scratch database: ${error.message}`, { cause: error });
      }
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    await drop();
    throw error;
  }
  await client.end();
  return { url: scratchUrl.toString(), drop };
}

/**
 * The next migration: the SQL from a database freshly migrated from the migrations to schema.prisma
 * (Prisma's diff), followed by the full text of every prisma/sql file whose definition differs from
 * that database's (sql-files.mjs), with the DROP that CREATE OR REPLACE cannot do itself.
 */
async function migration(name, options) {
  if (!/^[a-z0-9_]+$/.test(name ?? "")) {
    process.stderr.write("usage: cli.mjs migration <name in snake_case> [--sql-dir DIR] [--migrations-dir DIR]\n");
    return 1;
  }
  const scratch = await freshlyMigrated(options.databaseUrl, options.migrationsDir);
  let tables;
  let files;
  try {
    // Prisma's WASM engine cannot introspect CHECK constraints (see scratchCopy); the files'
    // comparison does not involve them.
    const dropChecks = spawnSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", scratch.url, "-c", DROP_CHECK_CONSTRAINTS], { encoding: "utf8" });
    if (dropChecks.status !== 0) throw new Error(`dropping CHECK constraints failed: ${dropChecks.stderr}`);
    const diff = diffToSchema(scratch.url, "--script");
    if (diff.status !== 0) {
      process.stderr.write(`prisma migrate diff failed:\n${diff.stdout}${diff.stderr}`);
      return 1;
    }
    tables = /^-- This is an empty migration\.\s*$/.test(diff.stdout.trim()) ? "" : diff.stdout;
    // The files are compared after schema.prisma's changes, which the migration applies first.
    files = await changedSqlFiles(scratch.url, readSqlFiles(options.sqlDir), { prelude: tables });
  } finally {
    await scratch.drop();
  }
  if (!tables && files.length === 0) {
    process.stdout.write("schema.prisma and prisma/sql match the migrations: nothing to write\n");
    return 0;
  }
  const sections = [tables.trimEnd(), ...files.map((file) => `-- prisma/sql/${file.path}\n${file.sql.trimEnd()}`)].filter(Boolean);
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const directory = join(options.migrationsDir, `${stamp}_${name}`);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "migration.sql"), `${sections.join("\n\n")}\n`);
  for (const file of files) process.stdout.write(`changed: prisma/sql/${file.path}\n`);
  process.stdout.write(`wrote ${directory}/migration.sql — review it, then npm run db:migrate\n`);
  return 0;
}

function option(args, flag, fallback) {
  const index = args.indexOf(flag);
  return index >= 0 && args[index + 1] ? resolve(args[index + 1]) : fallback;
}

const [command, argument, ...rest] = process.argv.slice(2);
const databaseUrl = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice";
let status;
try {
  if (command === "drift") status = drift(argument ?? databaseUrl);
  else if (command === "migration") {
    status = await migration(argument, {
      databaseUrl,
      sqlDir: option(rest, "--sql-dir", SQL_DIR),
      migrationsDir: option(rest, "--migrations-dir", join(prismaDir, "migrations")),
    });
  } else {
    process.stderr.write("usage: cli.mjs drift [DATABASE_URL] | migration <name> [--sql-dir DIR] [--migrations-dir DIR]\n");
    status = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(status);
