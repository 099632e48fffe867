// The one home of the database's code: prisma/sql/<kind>/<name>.sql holds the current text of one
// function, trigger or view (README.md, "SQL has one home"). Migrations are history; these files are
// what a reader reads and what the next migration is generated from.
//
// A file is compared with the database by letting PostgreSQL normalize both: inside a transaction that
// is always rolled back, the file is applied to a database migrated from prisma/migrations and the
// catalog's definitions (pg_get_functiondef, pg_get_triggerdef, pg_get_viewdef) are read before and
// after. Equal catalogs: the file is what the migrations left. Different: the file changed, and its
// full text belongs in the next migration. Formatting outside a function's body (the header comment,
// line breaks in the signature) is not compared; the body between the dollar quotes is, byte for byte,
// since PostgreSQL stores it verbatim.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "sql");

// Directory → kind, in the order files are applied: a view may call a function, a trigger executes one.
const KIND_DIRECTORIES = [
  ["functions", "function"],
  ["views", "view"],
  ["triggers", "trigger"],
];

const CREATE_STATEMENT = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(FUNCTION|VIEW|TRIGGER)\s+(?:"?public"?\.)?"?(\w+)"?/gim;

/** Every file under `directory` (prisma/sql by default), functions first, then views, then triggers. */
export function readSqlFiles(directory = SQL_DIR) {
  const files = [];
  for (const [folder, kind] of KIND_DIRECTORIES) {
    const path = join(directory, folder);
    if (!existsSync(path)) continue;
    for (const entry of readdirSync(path).filter((name) => name.endsWith(".sql")).sort()) {
      const text = readFileSync(join(path, entry), "utf8");
      const defines = [...text.matchAll(CREATE_STATEMENT)].map((match) => ({ kind: match[1].toLowerCase(), name: match[2] }));
      files.push({ kind, name: entry.slice(0, -".sql".length), path: join(folder, entry), text, defines });
    }
  }
  return files;
}

// Functions, triggers and views the migrations created: not PostgreSQL's own, not an extension's
// (pg_trgm puts its functions in public). Aggregates and window functions have no CREATE FUNCTION text.
const CATALOG = `
  WITH own_schema AS (
    SELECT oid FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
  ), extension_member AS (
    SELECT objid FROM pg_depend WHERE deptype = 'e'
  )
  SELECT 'function' AS kind, p.proname::text AS name, p.oid::regprocedure::text AS identity,
         pg_get_functiondef(p.oid) AS definition
  FROM pg_proc p
  WHERE p.pronamespace IN (SELECT oid FROM own_schema) AND p.prokind IN ('f', 'p')
    AND p.oid NOT IN (SELECT objid FROM extension_member)
  UNION ALL
  SELECT 'trigger', t.tgname::text, t.tgrelid::regclass::text || '.' || quote_ident(t.tgname),
         pg_get_triggerdef(t.oid, true) || ' ENABLED ' || t.tgenabled::text
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
  WHERE NOT t.tgisinternal AND c.relnamespace IN (SELECT oid FROM own_schema)
  UNION ALL
  SELECT 'view', c.relname::text, c.oid::regclass::text, pg_get_viewdef(c.oid, true)
  FROM pg_class c
  WHERE c.relkind = 'v' AND c.relnamespace IN (SELECT oid FROM own_schema)
    AND c.oid NOT IN (SELECT objid FROM extension_member)
  ORDER BY 1, 3`;

/** The database's functions, triggers and views with their normalized definitions. */
export async function readCatalog(client) {
  return (await client.query(CATALOG)).rows;
}

/**
 * What is wrong with where things live: a file must define exactly the one object its path names
 * (overloads are not supported: one function per name), and every function, trigger and view of the
 * database must have its file. Returns one sentence per problem; empty when every object has its home.
 */
export function homeProblems(catalog, files) {
  const problems = [];
  for (const file of files) {
    const [first, ...rest] = file.defines;
    if (!first || rest.length > 0 || first.kind !== file.kind || first.name !== file.name) {
      problems.push(`prisma/sql/${file.path} must define exactly one ${file.kind} named ${file.name} (it defines ${file.defines.map((d) => `${d.kind} ${d.name}`).join(", ") || "nothing"})`);
    }
  }
  const homes = new Set(files.map((file) => `${file.kind}:${file.name}`));
  const seen = new Map();
  for (const object of catalog) {
    const key = `${object.kind}:${object.name}`;
    seen.set(key, [...(seen.get(key) ?? []), object.identity]);
    if (!homes.has(key)) problems.push(`${object.kind} ${object.identity} has no file: add prisma/sql/${object.kind}s/${object.name}.sql`);
  }
  for (const [key, identities] of seen) {
    if (identities.length > 1) problems.push(`${key.replace(":", " ")} exists ${identities.length} times (${identities.join(", ")}): one file holds one object`);
  }
  for (const file of files) {
    if (!seen.has(`${file.kind}:${file.name}`)) problems.push(`prisma/sql/${file.path} is not in the migrated database: generate its migration (npm run db:migration -- <name>)`);
  }
  return problems;
}

function dropStatement(object) {
  if (object.kind === "function") return `DROP FUNCTION ${object.identity};`;
  if (object.kind === "view") return `DROP VIEW ${object.identity};`;
  const table = object.identity.slice(0, object.identity.length - object.name.length - 1);
  return `DROP TRIGGER "${object.name}" ON ${table};`;
}

const byIdentity = (rows) => new Map(rows.map((row) => [`${row.kind}:${row.identity}`, row.definition]));

function sameCatalog(before, after) {
  const a = byIdentity(before);
  const b = byIdentity(after);
  return a.size === b.size && [...a].every(([key, definition]) => b.get(key) === definition);
}

/**
 * The files whose text differs from what the migrations left in `databaseUrl`, each with the SQL that
 * brings the database to it: the file's full text, preceded by the DROP that CREATE OR REPLACE cannot
 * do itself (a function whose parameters or result type changed, a view whose columns changed).
 * Applied one after another in one transaction that is rolled back, so a later file sees earlier ones
 * and the statements are known to apply in this order after `prelude`. The database is left unchanged.
 */
export async function changedSqlFiles(databaseUrl, files = readSqlFiles(), { prelude = "" } = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const changes = [];
  try {
    await client.query("BEGIN");
    // What the new migration does before the files (schema.prisma's changes), so the files are checked
    // against the tables they will meet.
    if (prelude) await client.query(prelude);
    for (const file of files) {
      const before = await readCatalog(client);
      const own = (rows) => rows.filter((row) => row.kind === file.kind && row.name === file.name);
      const drops = [];
      await client.query("SAVEPOINT sql_file");
      try {
        await client.query(file.text);
      } catch (error) {
        // CREATE OR REPLACE cannot change a function's result type, parameter names or defaults, nor
        // drop a view's columns: the old object goes first.
        await client.query("ROLLBACK TO SAVEPOINT sql_file");
        drops.push(...own(before).map(dropStatement));
        if (drops.length === 0) throw new Error(`prisma/sql/${file.path} does not apply: ${error.message}`, { cause: error });
        try {
          await client.query(`${drops.join("\n")}\n${file.text}`);
        } catch (retried) {
          throw new Error(`prisma/sql/${file.path} does not apply, even after ${drops.join(" ")}: ${retried.message}`, { cause: retried });
        }
      }
      // A function with other parameters is a second function beside the old one: the old one goes.
      const mine = own(await readCatalog(client));
      if (mine.length > 1) {
        const previous = new Set(own(before).map((row) => row.identity));
        const stale = mine.filter((row) => previous.has(row.identity)).map(dropStatement);
        for (const statement of stale) await client.query(statement);
        drops.push(...stale);
      }
      if (sameCatalog(before, await readCatalog(client))) {
        await client.query("ROLLBACK TO SAVEPOINT sql_file");
        await client.query("RELEASE SAVEPOINT sql_file");
        continue;
      }
      await client.query("RELEASE SAVEPOINT sql_file");
      changes.push({ path: file.path, sql: `${drops.map((statement) => `${statement}\n`).join("")}${file.text}` });
    }
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end();
  }
  return changes;
}
