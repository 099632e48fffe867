/**
 * Per-file databases cloned from the migrated template, so test files run in parallel and never share
 * rows. Each clone is dropped when the file ends.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const ADMIN_DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice";
/** A worktree with migrations of its own sets its own name, so runs do not rebuild each other's template. */
export const TEMPLATE_DATABASE = process.env.TEST_TEMPLATE_DATABASE ?? "boxoffice_test_template";

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl("postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(template = TEMPLATE_DATABASE): Promise<TestDatabase> {
  const name = `boxoffice_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(async (client) => {
    // CREATE DATABASE ... TEMPLATE fails while another session is copying the same template: retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        if (attempt >= 20 || !String((error as Error).message).includes("is being accessed")) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  return {
    name,
    url: databaseUrl(name),
    drop: () =>
      withAdmin(async (client) => {
        await awaitDisconnected(client, name);
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

/**
 * Waits (at most 2 s: sessions close within milliseconds unless the machine stalls) until no session is
 * connected to the database. `await pool.end()` resolves once pg-pool has asked its clients to end, not
 * once they have: a DROP ... WITH (FORCE) right after it
 * could terminate a backend whose client had not closed yet, and the client then reports "terminating
 * connection due to administrator command" as an uncaught error of the test file (a CI run of
 * search-pg-concurrency.test.ts, 10 pooled clients, failed on exactly that). Sessions still open after
 * the wait are the file's own leftovers, which FORCE ends as before.
 */
async function awaitDisconnected(client: pg.Client, name: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 2_000; ) {
    const { rows } = await client.query<{ sessions: number }>(`SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1`, [name]);
    if (rows[0]!.sessions === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function recreateDatabase(name: string): Promise<void> {
  await withAdmin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
}

export async function databaseComment(name: string): Promise<string | null> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    return rows[0]?.comment ?? null;
  });
}

export async function setDatabaseComment(name: string, comment: string): Promise<void> {
  await withAdmin(async (client) => void (await client.query(`COMMENT ON DATABASE "${name}" IS '${comment.replaceAll("'", "''")}'`)));
}
