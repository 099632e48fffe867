/**
 * What a promoter's browser talks to, for one test file: a database cloned from the migrated template
 * and seeded with the development data, a real API on a random port, and the built admin console served
 * by `vite preview` on another, forwarding /graphql to that API — the arrangement `npm start` uses.
 */
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import pg from "pg";
import { preview, type PreviewServer } from "vite";
import { seed } from "../../prisma/src/seed/seed.js";
import { createTestDatabase } from "../../test-support/database.js";
import { freePort } from "../../api/test/support/processes.js";
import { startTestApi, type TestApi } from "../../api/test/support/test-api.js";

const root = fileURLToPath(new URL("../", import.meta.url));

export interface Stack {
  api: TestApi;
  baseURL: string;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await seed(pool);
  await pool.end();
  const api = await startTestApi({ database });
  const target = new URL(api.url).origin;
  const port = await freePort();
  const server: PreviewServer = await preview({
    root,
    configFile: `${root}vite.config.ts`,
    logLevel: "warn",
    preview: { host: "127.0.0.1", port, strictPort: true, proxy: { "/graphql": { target, ws: true, changeOrigin: true }, "/admin/exports": { target, changeOrigin: true } } },
  });
  return {
    api,
    baseURL: `http://127.0.0.1:${port}`,
    async stop() {
      await server.close();
      await api.stop();
      await database.drop();
    },
  };
}

/**
 * Opens a list row by clicking the cell with `name` and waits for the address the row leads to. A list
 * revisited shows its cached page, then re-renders with the fresh one: a click landing during that
 * swap can hit a row that is being replaced and go nowhere, which a loaded machine makes likely. The
 * click is repeated (at most three times) until the address changes.
 */
export async function openRow(page: Page, name: string, url: RegExp): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.getByRole("cell", { name }).first().click({ timeout: 20_000 });
    try {
      await page.waitForURL(url, { timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
