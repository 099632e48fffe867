/**
 * A fan's browser during a PostgreSQL outage: the page says we are busy and retries on its own
 * (app/outage-retry.ts), and shows the events once the database is back, with no reload. The database
 * is a private PostgreSQL server, crashed and restarted by the test; the shared one is never touched.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@boxoffice/db/migrate";
import { privatePostgres, type PrivatePostgres } from "../../api/test/support/processes.js";
import { launchBrowser, type TestBrowser } from "./browser.js";
import { startStack, type Stack } from "./stack.js";

let server: PrivatePostgres;
let stack: Stack;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  server = await privatePostgres({ autovacuum: "off" });
  const name = `storefront_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = server.url.replace(/\/postgres$/, `/${name}`);
  await migrate(url);
  stack = await startStack(
    { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", OUTAGE_RETRY_AFTER_SECONDS: "1" },
    { database: { name, url, drop: async () => undefined } },
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await server?.remove();
});

describe("storefront during a database outage", () => {
  it("shows the busy banner while PostgreSQL is down and the events once it is back, without a reload", { timeout: 90_000 }, async () => {
    browser = await launchBrowser({ baseURL: stack.baseURL });
    const page = browser.page;
    await server.crash();
    await page.goto("/");
    const banner = page.getByRole("status").filter({ hasText: "We’re busy, retrying" });
    await banner.waitFor({ timeout: 15_000 });

    await server.start();
    await page.getByRole("link", { name: /Chicago Blaze/ }).first().waitFor({ timeout: 30_000 });
    await banner.waitFor({ state: "detached", timeout: 5_000 });
    expect(browser.problems).toEqual([]);
  });
});
