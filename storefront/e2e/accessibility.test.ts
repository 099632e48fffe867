/**
 * Every main page of the storefront, checked with axe-core (e2e/axe.ts) at a desktop and a phone size,
 * in the states a fan reaches them: signed out (sign in, registration), then signed in — home, search
 * results, an event page with its seat map drawn and a section's seats listed, the waiting room with a
 * position, checkout with a live hold, the order with its tickets, and the order list. The goal is
 * issue 27's: no serious or critical violation anywhere. Besides axe, each page names itself in the
 * tab title and, after a route change, focus lands on its main heading (what a screen reader user
 * hears first).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../api/test/support/factories.js";
import { blockingViolations, type AxeOptions } from "./axe.js";
import { launchBrowser, type TestBrowser } from "./browser.js";
import { startStack, type Stack } from "./stack.js";

let stack: Stack;
const browsers: TestBrowser[] = [];

beforeAll(async () => {
  stack = await startStack();
  // One shopper at a time on the waiting-room event, and someone already shopping: fans wait in line.
  const eventId = stack.events.get("nova-lights-chicago")!;
  await stack.api.app.db.pool.query(`UPDATE events SET waiting_room_max_active_shoppers = 1 WHERE id = $1`, [eventId]);
  const ahead = await createUser(stack.api);
  const joined = await stack.api.query(`mutation($eventId: ID!) { joinWaitingRoom(eventId: $eventId) { ticket { queueToken } errors { code } } }`, { eventId }, ahead.token);
  expect(joined.data?.joinWaitingRoom.errors).toEqual([]);
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((opened) => opened.close()));
  await stack?.stop();
});

const VIEWPORTS = {
  desktop: { width: 1280, height: 860 },
  phone: { width: 390, height: 844 },
} as const;


/** The page's axe violations (serious and critical) with the page's path, so a failure says where. */
async function check(page: Page, state: string, options: AxeOptions = {}): Promise<string[]> {
  const found = await blockingViolations(page, options);
  return found.map((line) => `${state} (${new URL(page.url()).pathname}): ${line}`);
}

/**
 * After a client-side route change: the tab title names the page and focus is on its main heading.
 * Returns what is wrong (empty when both hold), so one run reports every page's problems.
 */
async function announced(page: Page, heading: string | RegExp, title: RegExp): Promise<string[]> {
  const focused = () => page.evaluate(() => (document.activeElement?.tagName === "H1" ? (document.activeElement.textContent ?? "") : `<${document.activeElement?.tagName}> ${document.activeElement?.outerHTML.slice(0, 80)}`));
  const deadline = Date.now() + 5_000;
  let found = { title: "", focus: "" };
  while (Date.now() < deadline) {
    found = { title: await page.title(), focus: await focused() };
    if (title.test(found.title) && found.focus.match(heading)) return [];
    await page.waitForTimeout(100);
  }
  const where = new URL(page.url()).pathname;
  return [
    ...(title.test(found.title) ? [] : [`${where}: title "${found.title}" does not match ${String(title)}`]),
    ...(found.focus.match(heading) ? [] : [`${where}: focus is on ${found.focus}, not the heading ${String(heading)}`]),
  ];
}

const HOLD = `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id } errors { code message } } }`;

describe("storefront accessibility (axe-core, WCAG 2.2 AA)", () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`has no serious or critical violations on any main page (${size}, ${viewport.width}×${viewport.height})`, { timeout: 180_000 }, async () => {
      const fan = await launchBrowser({ baseURL: stack.baseURL, viewport });
      browsers.push(fan);
      const page = fan.page;
      const violations: string[] = [];

      // Signed out: sign in and registration.
      await page.goto("/login");
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      violations.push(...(await check(page, "sign in")));
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.getByRole("heading", { name: "Create your account" }).waitFor();
      violations.push(...(await announced(page, "Create your account", /^Create your account — Boxoffice$/)));
      violations.push(...(await check(page, "registration")));
      // A refused sign-in shows its error in the form.
      await page.getByRole("link", { name: "Sign in" }).last().click();
      await page.getByLabel("Email").fill("nobody@example.test");
      await page.getByLabel("Password").fill("wrong-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").waitFor();
      violations.push(...(await check(page, "sign in, refused")));

      const account = await createUser(stack.api);
      await page.evaluate((token) => localStorage.setItem("boxoffice.token", token), account.token);

      // Home and search.
      await page.goto("/");
      await page.getByRole("link", { name: /Chicago Blaze/ }).first().waitFor();
      violations.push(...(await check(page, "home")));
      await page.getByRole("button", { name: "Price details, Chicago Blaze vs Detroit Ironworks" }).click();
      violations.push(...(await check(page, "home, price details open")));
      await page.getByLabel("Search events").fill("Blaze");
      await page.getByLabel("Search events").press("Enter");
      await page.waitForURL(/\/search\?q=Blaze/);
      await page.getByRole("link", { name: /Chicago Blaze vs Detroit Ironworks/ }).waitFor();
      await page.locator(".facet").first().waitFor();
      violations.push(...(await announced(page, "Search events", /— Boxoffice$/)));
      violations.push(...(await check(page, "search")));

      // The event page: the seat map drawn, then a section's seats listed and two picked.
      await page.getByRole("link", { name: /Chicago Blaze vs Detroit Ironworks/ }).click();
      await page.locator("canvas[data-drawn]").waitFor();
      // The buying column renders just after the map's first frame: checked too.
      await page.getByRole("complementary", { name: "Buy tickets" }).getByRole("heading", { name: "Prices" }).waitFor();
      violations.push(...(await announced(page, "Chicago Blaze vs Detroit Ironworks", /^Chicago Blaze vs Detroit Ironworks — Boxoffice$/)));
      violations.push(...(await check(page, "event page")));
      await page.getByRole("button", { name: /^Section 101\b/ }).click();
      const seats = page.locator(".seat-list button.seat-available");
      await seats.first().waitFor();
      await seats.nth(0).click();
      await seats.nth(1).click();
      violations.push(...(await check(page, "event page, seats picked")));

      // The waiting room, with a position in line.
      await page.goto(`/events/${stack.events.get("nova-lights-chicago")!}/queue`);
      const joinWithout = page.getByRole("button", { name: "Join without a code" });
      const position = page.getByTestId("queue-position");
      await Promise.race([joinWithout.waitFor(), position.waitFor()]);
      if (await joinWithout.isVisible()) {
        violations.push(...(await check(page, "waiting room, presale code")));
        await joinWithout.click();
      }
      await position.waitFor();
      violations.push(...(await check(page, "waiting room")));

      // Checkout with a live hold, then the order with its tickets and the order list.
      const eventId = stack.events.get("chicago-blaze-vs-detroit-ironworks")!;
      const { rows } = await stack.api.app.db.pool.query<{ id: string }>(`SELECT s.id FROM sections s JOIN events e ON e.venue_id = s.venue_id WHERE e.id = $1 AND s.name = $2`, [eventId, size === "phone" ? "105" : "106"]);
      const held = await stack.api.query(HOLD, { input: { eventId, sectionId: rows[0]!.id, quantity: 2 } }, account.token);
      expect(held.data?.holdSeats.errors).toEqual([]);
      await page.goto(`/checkout/${held.data!.holdSeats.hold.id as string}`);
      await page.getByRole("heading", { name: "Checkout" }).waitFor();
      violations.push(...(await check(page, "checkout")));
      await page.getByLabel("Card number").fill("4000 0000 0000 0002");
      await page.getByRole("button", { name: /^Pay / }).click();
      await page.getByRole("alert").filter({ hasText: /declined/ }).waitFor();
      violations.push(...(await check(page, "checkout, card declined")));
      await page.getByLabel("Card number").fill("4242 4242 4242 4242");
      await page.getByRole("button", { name: /^Pay / }).click();
      await page.getByRole("heading", { name: "You're going!" }).waitFor();
      await expect.poll(() => page.locator("canvas.qr").count()).toBe(2);
      violations.push(...(await announced(page, "You're going!", /— Boxoffice$/)));
      violations.push(...(await check(page, "order and tickets")));
      await page.getByRole("link", { name: "My orders" }).click();
      await page.getByRole("link", { name: /Chicago Blaze/ }).waitFor();
      violations.push(...(await announced(page, "My orders", /^My orders — Boxoffice$/)));
      violations.push(...(await check(page, "orders")));

      expect(violations).toEqual([]);
      expect(fan.problems).toEqual([]);
    });
  }

  it("a keyboard reaches the skip link first, and it moves focus to the page's content", { timeout: 60_000 }, async () => {
    const fan = await launchBrowser({ baseURL: stack.baseURL });
    browsers.push(fan);
    const page = fan.page;
    await page.goto("/");
    await page.getByRole("link", { name: /Chicago Blaze/ }).first().waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.outerHTML)).toMatch(/^<a class="skip-link" href="#content">Skip to content<\/a>$/);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    // The next stop is inside the page's content, not the header's links.
    expect(await page.evaluate(() => document.activeElement?.closest("#content") !== null)).toBe(true);
    expect(fan.problems).toEqual([]);
  });
});
