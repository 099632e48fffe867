/**
 * The live sale dashboard in a real browser (Debian's Chromium) against the real stack: a promoter
 * opens a seeded on-sale event's dashboard from the event page, a fan buys through the API (hold, then
 * checkout, as the storefront does), and the page shows the new count without a reload. The delay
 * from the paid checkout to the number on screen is measured and printed; it must stay under 2 s.
 * Then the socket is cut (the page says "Reconnecting…", then "Live" again) and leaving the page ends
 * the API's feed for the event.
 * Set SCREENSHOTS=1 to refresh docs/screenshots/admin-live-dashboard.png.
 */
import { mkdirSync } from "node:fs";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkout, hold } from "../../api/test/checkout/checkout-helpers.js";
import { createUser } from "../../api/test/support/factories.js";
import { expectOk } from "../../api/test/support/test-api.js";
import { createTickDependencies, runOnce } from "../../pricing-engine/src/tick.js";
import { launchBrowser, type TestBrowser } from "../../storefront/e2e/browser.js";
import { startStack, type Stack } from "./stack.js";

const SCREENSHOTS = process.env.SCREENSHOTS === "1" ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url)) : null;
if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

const EVENT = "Chicago Blaze vs Detroit Ironworks";

let stack: Stack;
let opened: TestBrowser | undefined;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await opened?.close();
  await stack?.stop();
});

/** Seated sections of the event by seats still available, most first (or fewest first). */
async function openSections(eventId: string, count: number, order: "DESC" | "ASC" = "DESC"): Promise<string[]> {
  const { rows } = await stack.api.app.db.pool.query<{ sectionId: string }>(
    `SELECT section_id AS "sectionId" FROM event_seats WHERE event_id = $1 AND status = 'AVAILABLE'
     GROUP BY section_id ORDER BY count(*) ${order}, section_id LIMIT $2`,
    [eventId, count],
  );
  return rows.map((row) => row.sectionId);
}

/** A fan buys `quantity` best-available seats of the section through the API; resolves once paid. */
async function buy(eventId: string, sectionId: string, quantity: number): Promise<void> {
  const fan = await createUser(stack.api);
  const held = await hold(stack.api, fan.token, { eventId, sectionId, quantity });
  expectOk(await checkout(stack.api, fan.token, { holdId: held.id }));
}

/**
 * For the screenshot: a busier sale than one purchase. Fans buy most of three sections and some of
 * others, a few more hold seats, and the pricing engine runs one tick on those sales (its explanations
 * and any price change appear on the page).
 */
async function busySale(eventId: string): Promise<number> {
  // The smallest sections, so that a screenshot run stays short.
  const sections = await openSections(eventId, 6, "ASC");
  const shares = [0.85, 0.5, 0.25];
  // One fan after another in each section, the sections side by side.
  const bought = await Promise.all(
    sections.map(async (sectionId, index) => {
      const { rows } = await stack.api.app.db.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM event_seats WHERE event_id = $1 AND section_id = $2`, [
        eventId,
        sectionId,
      ]);
      const purchases = Math.floor((rows[0]!.total * shares[index % shares.length]!) / 8);
      for (let purchase = 0; purchase < purchases; purchase++) await buy(eventId, sectionId, 8);
      return purchases * 8;
    }),
  );
  const sold = bought.reduce((sum, count) => sum + count, 0);
  for (const sectionId of sections.slice(-4)) {
    const fan = await createUser(stack.api);
    await hold(stack.api, fan.token, { eventId, sectionId, quantity: 4 });
  }
  const app = stack.api.app;
  await runOnce(createTickDependencies({ pool: app.db.pool, redis: app.redis, logger: app.logger, intervalMs: 60_000, windowMinutes: 5, redisKeyPrefix: app.config.redisKeyPrefix }));
  return sold;
}

describe("live sale dashboard", () => {
  it("a promoter watches an on-sale event; a fan's purchase appears on the page within 2 seconds", { timeout: SCREENSHOTS ? 300_000 : 120_000 }, async () => {
    const { rows } = await stack.api.app.db.pool.query<{ id: string }>(`SELECT id FROM events WHERE name = $1`, [EVENT]);
    const eventId = rows[0]!.id;

    opened = await launchBrowser({ baseURL: stack.baseURL, viewport: { width: 1440, height: 1000 } });
    const { page, problems } = opened;
    await page.goto("/");
    await page.getByLabel("Email").fill("promoter@boxoffice.test");
    await page.getByLabel("Password").fill("promoter-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Welcome, Pat Promoter").waitFor();

    // The API's end of every WebSocket the page opens, to cut them later.
    const upgraded: Duplex[] = [];
    stack.api.server.httpServer.on("upgrade", (_request: unknown, socket: Duplex) => upgraded.push(socket));

    // From the event page, through its "Live dashboard" button.
    await page.goto(`/#/events/${eventId}/show`);
    await page.getByRole("heading", { name: EVENT }).waitFor();
    await page.getByRole("link", { name: "Live dashboard" }).click();
    await page.waitForURL(/\/events\/[^/]+\/live$/);
    await page.getByTestId("connection").getByText("Live").waitFor({ timeout: 15_000 });
    await page.getByRole("heading", { name: EVENT }).waitFor();
    const soldNumber = page.getByTestId("tickets-sold");
    const before = Number((await soldNumber.textContent())!.replace(/,/g, ""));
    expect(await page.getByRole("table", { name: "Sections live" }).locator("tbody tr").count()).toBe(45);
    // The seat map (about 19,000 seats, fetched once) is drawn before the sale is measured.
    await page.getByRole("img", { name: "Seat map coloured by section sell-through" }).locator("canvas").waitFor();

    // The API has subscribed this event's seat channel for the page: the purchase cannot slip past it.
    const channel = stack.api.app.keys.seatStatusChannel(eventId);
    await expect.poll(async () => Number(((await stack.api.app.redis.pubsub("NUMSUB", channel)) as [string, number])[1]), { timeout: 10_000 }).toBe(1);

    // The fan holds two seats, spends a moment on the payment form, and pays. (The hold itself is news
    // for the dashboard too; a payment within a second of it waits for the end of that second, by
    // design: at most one snapshot a second per event. The pause keeps that wait out of the figure.)
    const [sectionId] = await openSections(eventId, 1);
    const fan = await createUser(stack.api);
    const held = await hold(stack.api, fan.token, { eventId, sectionId, quantity: 2 });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expectOk(await checkout(stack.api, fan.token, { holdId: held.id }));
    const paidAt = Date.now();
    const expected = (before + 2).toLocaleString("en");
    await page
      .waitForFunction((text) => document.querySelector('[data-testid="tickets-sold"]')?.textContent === text, expected, { timeout: 5_000, polling: 10 })
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}; expected ${expected} (before: ${before}); the page shows ${await soldNumber.textContent()} (${await page.getByTestId("connection").textContent()}); problems: ${problems.join(" | ")}`);
      });
    const delay = Date.now() - paidAt;
    console.log(`[live-dashboard] paid checkout to number on screen: ${delay} ms (${before} → ${expected} tickets)`);
    expect(delay).toBeLessThan(2_000);

    if (SCREENSHOTS) {
      const sold = await busySale(eventId);
      const total = (before + 2 + sold).toLocaleString("en");
      await page.waitForFunction((text) => document.querySelector('[data-testid="tickets-sold"]')?.textContent === text, total, { timeout: 10_000 });
      // The table and charts render after the numbers (deferred): the busiest section leads the table.
      const firstSold = page.getByRole("table", { name: "Sections live" }).locator("tbody tr").first().locator("td").nth(1);
      await expect.poll(async () => Number(await firstSold.textContent()), { timeout: 15_000 }).toBeGreaterThan(100);
      // The holds, then the engine's reasons (brought by the 5-second refresh) have reached the page.
      await page.getByTestId("expiring-tickets").getByText("16 tickets in 10 min").waitFor({ timeout: 15_000 });
      await expect.poll(() => page.getByTestId("engine-reason").count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(1_000);
      await page.screenshot({ path: `${SCREENSHOTS}admin-live-dashboard.png`, fullPage: true });
    }

    // The connection state follows the socket: cut by the API's side, "Reconnecting…", then "Live" again
    // once graphql-ws has reconnected and subscribed anew.
    for (const socket of upgraded) socket.destroy();
    await page.getByTestId("connection").getByText("Reconnecting…").waitFor({ timeout: 15_000 });
    await page.getByTestId("connection").getByText("Live").waitFor({ timeout: 30_000 });
    await expect.poll(() => stack.api.app.dashboards.feeds.activeEvents(), { timeout: 10_000 }).toBe(1);

    // Leaving the page ends the subscription: the API's feed for the event stops.
    await page.getByRole("link", { name: "Event" }).click();
    await page.waitForURL(/\/show$/);
    await expect.poll(() => stack.api.app.dashboards.feeds.activeEvents(), { timeout: 10_000 }).toBe(0);
    // The cut socket may be reported by the browser; nothing else may go wrong.
    expect(problems.filter((problem) => !/WebSocket/.test(problem))).toEqual([]);
  });
});
