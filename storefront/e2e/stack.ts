/**
 * Everything a fan's browser talks to, for one test file: a database cloned from the migrated template
 * and seeded with the development data (the 18,000-seat arena included), a real API on a random port,
 * and the built storefront served by `vite preview` on another, forwarding /graphql (HTTP and WebSocket)
 * to that API — the same arrangement `npm start` uses.
 */
import { fileURLToPath } from "node:url";
import pg from "pg";
import { preview, type PreviewServer } from "vite";
import { seed } from "../../prisma/src/seed/seed.js";
import { createTestDatabase, type TestDatabase } from "../../test-support/database.js";
import { freePort } from "../../api/test/support/processes.js";
import { startTestApi, type TestApi } from "../../api/test/support/test-api.js";

const root = fileURLToPath(new URL("../", import.meta.url));

export interface Stack {
  api: TestApi;
  baseURL: string;
  /** Event id by seed slug. */
  events: Map<string, string>;
  /** Serves another build of the storefront (e.g. a production build's `dist`) against the same API; returns its base URL. */
  serve(dist: string): Promise<string>;
  stop(): Promise<void>;
}

/** `database`: a migrated, empty database the caller owns (e.g. on a private server); default: a fresh clone, dropped by stop(). */
export async function startStack(env: Record<string, string> = {}, options: { database?: TestDatabase } = {}): Promise<Stack> {
  const database = options.database ?? (await createTestDatabase());
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await seed(pool);
  const { rows } = await pool.query<{ slug: string; id: string }>(`SELECT slug, id FROM events`);
  await pool.end();
  const api = await startTestApi({ database, env: { WAITING_ROOM_TICK_MS: "250", ...env } });
  const target = new URL(api.url).origin;
  const servers: PreviewServer[] = [];
  const serve = async (outDir?: string): Promise<string> => {
    const port = await freePort();
    const server = await preview({
      root,
      configFile: `${root}vite.config.ts`,
      logLevel: "warn",
      ...(outDir ? { build: { outDir } } : {}),
      preview: {
        host: "127.0.0.1",
        port,
        strictPort: true,
        proxy: {
          "/graphql": { target, ws: true, changeOrigin: true },
          "/.well-known": { target, changeOrigin: true },
        },
      },
    });
    servers.push(server);
    return `http://127.0.0.1:${port}`;
  };
  const baseURL = await serve();
  return {
    api,
    baseURL,
    events: new Map(rows.map((row) => [row.slug, row.id])),
    serve,
    async stop() {
      await Promise.all(servers.map((server) => server.close()));
      await api.stop();
      // startTestApi drops only databases it made itself; this one is the stack's (unless the caller's).
      if (!options.database) await database.drop();
    },
  };
}
