/**
 * A fan's browser during a PostgreSQL outage: the page says we are busy and retries on its own
 * (app/outage-retry.ts), and shows the events once the database is back, with no reload. The database
 * is a private PostgreSQL server, crashed and restarted by the test; the shared one is never touched.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratedDatabaseOn, privatePostgres, type PrivatePostgres } from "../../api/test/support/processes.js";
import { launchBrowser, type TestBrowser } from "./browser.js";
import { startStack, type Stack } from "./stack.js";

/** SCREENSHOTS=1 refreshes docs/screenshots/busy-banner.png, as the purchase test does its own. */
const SCREENSHOTS = process.env.SCREENSHOTS === "1" ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url)) : null;
if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

let server: PrivatePostgres;
let stack: Stack;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  server = await privatePostgres({ autovacuum: "off" });
  stack = await startStack(
    { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", OUTAGE_RETRY_AFTER_SECONDS: "1" },
    { database: await migratedDatabaseOn(server, "storefront") },
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
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}busy-banner.png` });
    // While the events have not loaded, the page must not say there are none.
    expect(await page.getByText("Nothing is on sale right now.").count()).toBe(0);

    await server.start();
    await page.getByRole("link", { name: /Chicago Blaze/ }).first().waitFor({ timeout: 30_000 });
    await banner.waitFor({ state: "detached", timeout: 5_000 });
    expect(browser.problems).toEqual([]);
  });
});
