/**
 * The seat map as a fan uses it (issue 27, "Seat map"): price tiers and the quantity-first price
 * filter, best available anywhere within a price range, seat features, a purchase with the keyboard
 * alone and one on a phone by touch, the time to draw the arena with a 4× slower CPU on slow 4G, and
 * the home page's prefetch of the event pages in view that makes it possible (none with Save-Data; a
 * stale copy corrected by the fresh read).
 * Set SCREENSHOTS=1 to refresh docs/screenshots/event-seat-map.png and event-phone.png, and
 * SEAT_MAP_PROFILE=<file> to write a CPU profile (.cpuprofile, for devtools) of the slow 4G click.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../api/test/support/factories.js";
import { productionBuild } from "../../test-support/production-build.js";
import { launchBrowser, type TestBrowser } from "./browser.js";
import { startStack, type Stack } from "./stack.js";

const SCREENSHOTS = process.env.SCREENSHOTS === "1" ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url)) : null;
if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

let stack: Stack;
const browsers: TestBrowser[] = [];
const ARENA = "chicago-blaze-vs-detroit-ironworks";

async function browser(options: { token?: string; viewport?: { width: number; height: number }; touch?: boolean; baseURL?: string } = {}): Promise<TestBrowser> {
  const opened = await launchBrowser({ baseURL: options.baseURL ?? stack.baseURL, viewport: options.viewport, touch: options.touch });
  if (options.token) await opened.context.addInitScript((token) => localStorage.setItem("boxoffice.token", token), options.token);
  browsers.push(opened);
  return opened;
}

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

const cleanups: (() => void)[] = [];

afterAll(async () => {
  await Promise.all(browsers.map((opened) => opened.close()));
  await stack?.stop();
  for (const cleanup of cleanups) cleanup();
});

const minorOf = (text: string) => Math.round(Number(text.replace(/[^\d.]/g, "")) * 100);

/** Presses Tab until the focused element matches `test` (at most `limit` presses); fails otherwise. */
async function tabTo(page: Page, test: (element: { tag: string; text: string; label: string; section: string }) => boolean, limit = 120) {
  for (let press = 0; press < limit; press++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return { tag: element?.tagName ?? "", text: element?.textContent?.trim() ?? "", label: element?.getAttribute("aria-label") ?? "", section: element?.dataset.sectionName ?? "" };
    });
    if (test(focused)) return;
  }
  throw new Error("never reached the element with Tab");
}

const activeTag = (page: Page) => page.evaluate(() => document.activeElement?.tagName ?? "");

async function heldPrices(holdId: string): Promise<number[]> {
  const { rows } = await stack.api.app.db.pool.query<{ price: number; fee: number; facility: number }>(
    `SELECT l.price_minor AS price, e.service_fee_basis_points AS fee, e.facility_fee_minor AS facility
     FROM hold_lines l JOIN holds h ON h.id = l.hold_id JOIN events e ON e.id = h.event_id WHERE l.hold_id = $1`,
    [holdId],
  );
  return rows.map((row) => row.price + Math.floor((row.price * row.fee + 5000) / 10000) + row.facility);
}

describe("seat map", () => {
  it("colours seats by price tier, filters by all-in price and seats together, and best available keeps to the range and zooms to the seats", { timeout: 120_000 }, async () => {
    const fan = await createUser(stack.api);
    const { page, problems } = await browser({ token: fan.token });
    const eventId = stack.events.get(ARENA)!;
    await page.goto(`/events/${eventId}`);
    await page.locator("canvas[data-drawn]").waitFor();

    const tiers = await page.getByTestId("legend-tier").allTextContents();
    expect(tiers.length).toBeGreaterThanOrEqual(2);
    const lows = tiers.map((text) => minorOf(text.split("–")[0]!));
    expect(lows).toEqual([...lows].sort((a, b) => a - b));

    const everything = Number((await page.getByTestId("fit-count").textContent())!.replace(/[^\d]/g, "").slice(0, -1));
    // A maximum just over the cheapest tier: fewer seats match, all of them in the cheapest sections.
    const ceiling = lows[0]! + 1;
    await page.getByLabel(/^Max price/).fill(String(ceiling / 100));
    await expect.poll(async () => Number((await page.getByTestId("fit-count").textContent())!.replace(/[^\d]/g, "").slice(0, -1))).toBeLessThan(everything);

    // Best available anywhere, within that range: the held seats' all-in prices are inside it, and
    // the map zooms to them (seats at least 24 px apart).
    const form = page.getByRole("region", { name: "Best available" });
    expect(await form.getByLabel("Section").inputValue()).toBe("");
    expect(await form.getByLabel("Section").locator("option:checked").textContent()).toBe("Best seats anywhere in your price range");
    await form.getByRole("button", { name: "Find seats" }).click();
    await page.getByRole("heading", { name: "Your seats are held" }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Your seats are held");
    const holdId = (await page.getByRole("link", { name: "Continue to checkout" }).getAttribute("href"))!.split("/").pop()!;
    const prices = await heldPrices(holdId);
    expect(prices).toHaveLength(2);
    for (const price of prices) expect(price).toBeLessThanOrEqual(ceiling);
    await expect.poll(async () => Number(await page.locator("canvas[data-drawn]").getAttribute("data-scale"))).toBeGreaterThanOrEqual(24);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}event-seat-map.png` });

    // Releasing puts focus on the buying controls, never on the page body.
    await page.getByRole("button", { name: "Release seats" }).click();
    await page.getByRole("heading", { name: "Best available" }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Best available");
    expect(problems).toEqual([]);
  });

  it("marks wheelchair, companion and restricted-view seats and filters on them", { timeout: 90_000 }, async () => {
    const { page, problems } = await browser();
    const eventId = stack.events.get(ARENA)!;
    await page.goto(`/events/${eventId}`);
    await page.locator("canvas[data-drawn]").waitFor();
    await page.getByLabel("Seats together").selectOption("1");
    await page.getByLabel("Wheelchair and companion seats").check();
    const { rows } = await stack.api.app.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_seats es JOIN seats s ON s.id = es.seat_id
       WHERE es.event_id = $1 AND es.status = 'AVAILABLE' AND (s.accessible OR s.companion)`,
      [eventId],
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId("fit-count").textContent()).toBe(`${rows[0]!.n.toLocaleString("en-US")} seats match, in blocks of 1 or more side by side.`);

    // In a section's seat grid, the matching seats stand out and say what they are.
    const { rows: spaces } = await stack.api.app.db.pool.query<{ section: string; row: string; number: number }>(
      `SELECT sec.name AS section, r.label AS row, s.number FROM seats s JOIN seat_rows r ON r.id = s.row_id JOIN sections sec ON sec.id = s.section_id
       WHERE sec.venue_id = (SELECT venue_id FROM events WHERE id = $1) AND s.accessible AND sec.name = '101' ORDER BY r.sort_order, s.number LIMIT 1`,
      [eventId],
    );
    const space = spaces[0]!;
    await page.getByRole("button", { name: /^Section 101\b/ }).click();
    const button = page.getByRole("gridcell").getByRole("button", { name: new RegExp(`^Section 101, row ${space.row}, seat ${space.number},`) });
    expect(await button.getAttribute("aria-label")).toMatch(/wheelchair space/);
    expect(await button.getAttribute("class")).not.toContain("seat-faded");
    expect(await page.locator(".seat-list .seat-available:not(.seat-faded)").count()).toBeLessThan(await page.locator(".seat-list .seat-available").count());
    await page.getByLabel("Wheelchair and companion seats").uncheck();
    await page.getByLabel("No restricted view").check();
    expect(problems).toEqual([]);
  });

  it("buys with the keyboard alone, from the event page to a paid order", { timeout: 120_000 }, async () => {
    const fan = await createUser(stack.api);
    const { page, problems } = await browser({ token: fan.token });
    const eventId = stack.events.get(ARENA)!;
    await page.goto(`/events/${eventId}`);
    await page.locator("canvas[data-drawn]").waitFor();

    await tabTo(page, (element) => element.section === "104", 300);
    await page.keyboard.press("Enter");
    // One tab stop into the grid, arrows to move, Enter and Space to pick.
    await tabTo(page, (element) => element.label.startsWith("Section 104, row"));
    const first = await page.evaluate(() => document.activeElement!.getAttribute("aria-label"));
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowRight");
    const moved = await page.evaluate(() => document.activeElement!.getAttribute("aria-label"));
    expect(moved).not.toBe(first);
    expect(moved).toMatch(/^Section 104, row .+, available$/);
    // From the row's first seat, so the pair strands no single seat.
    await page.keyboard.press("Home");
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press(" ");
    await expect.poll(() => page.locator(".seat-list [aria-pressed=true]").count()).toBe(2);
    // The grid is one tab stop: the next Tab leaves it.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.closest("[role=grid]") === null)).toBe(true);

    await tabTo(page, (element) => element.text === "Hold 2 seats");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Your seats are held" }).waitFor();
    await expect.poll(() => activeTag(page)).toBe("H2");
    await tabTo(page, (element) => element.text === "Continue to checkout");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Checkout" }).waitFor();
    await tabTo(page, (element) => element.text.startsWith("Pay "));
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "You're going!" }).waitFor();
    const orderId = new URL(page.url()).pathname.split("/").pop()!;
    const { rows } = await stack.api.app.db.pool.query<{ status: string; tickets: number }>(
      `SELECT o.status, (SELECT count(*)::int FROM tickets t WHERE t.order_id = o.id) AS tickets FROM orders o WHERE o.id = $1 AND o.user_id = $2`,
      [orderId, fan.id],
    );
    expect(rows).toEqual([{ status: "CONFIRMED", tickets: 2 }]);
    expect(problems).toEqual([]);
  });

  it("buys on a phone by touch: 24 px seat targets, the page scrolls past the map, a sticky hold bar", { timeout: 120_000 }, async () => {
    const fan = await createUser(stack.api);
    const { page, problems } = await browser({ token: fan.token, viewport: { width: 390, height: 844 }, touch: true });
    const eventId = stack.events.get(ARENA)!;
    await page.goto(`/events/${eventId}`);
    const canvas = page.locator("canvas[data-drawn]");
    await canvas.waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.querySelector(".seat-map-canvas")!).touchAction)).toBe("pan-y");

    await page.getByRole("button", { name: /^Section 105\b/ }).tap();
    await canvas.scrollIntoViewIfNeeded();
    await expect.poll(async () => Number(await canvas.getAttribute("data-scale"))).toBeGreaterThanOrEqual(24);
    // Tap the seat nearest the middle of the map: the bottom sheet says which seat and its price.
    const box = (await canvas.boundingBox())!;
    let sheet = false;
    for (const [dx, dy] of [[0, 0], [13, 0], [0, 13], [-13, 0], [0, -13], [13, 13]]) {
      await page.touchscreen.tap(box.x + box.width / 2 + dx!, box.y + box.height / 2 + dy!);
      if (await page.getByTestId("seat-sheet").isVisible()) {
        sheet = (await page.getByTestId("seat-sheet").textContent())!.includes("all-in");
        if ((await page.getByRole("region", { name: "Your selection" }).count()) > 0) break;
      }
    }
    expect(sheet).toBe(true);
    await canvas.evaluate((element) => element.scrollIntoView({ block: "start" }));
    await page.getByRole("button", { name: "Close" }).tap();
    expect(await page.getByTestId("seat-sheet").count()).toBe(0);
    // Rows in the seat grid stay on one line beside their label.
    const wrapped = await page.evaluate(() =>
      [...document.querySelectorAll(".seat-row")].some((row) => {
        const tops = [...row.querySelectorAll(".seat")].map((seat) => Math.round(seat.getBoundingClientRect().top));
        return new Set(tops).size > 1;
      }),
    );
    expect(wrapped).toBe(false);
    // Nothing makes the page wider than the phone (a long row scrolls inside the grid).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const hold = page.getByRole("button", { name: /^Hold 1 seat/ });
    await hold.waitFor();
    // Wherever the page is scrolled, the hold bar is on screen.
    for (const top of [0, 600]) {
      await page.evaluate((y) => window.scrollTo(0, y), top);
      const bar = (await page.getByRole("region", { name: "Your selection" }).boundingBox())!;
      expect(bar.y).toBeGreaterThanOrEqual(0);
      expect(bar.y + bar.height).toBeLessThanOrEqual(844 + 1);
    }
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}event-phone.png` });
    await hold.tap();
    await page.getByRole("heading", { name: "Your seats are held" }).waitFor();
    await page.getByRole("link", { name: "Continue to checkout" }).tap();
    await page.getByRole("button", { name: /^Pay / }).tap();
    await page.getByRole("heading", { name: "You're going!" }).waitFor();
    expect(problems).toEqual([]);
  });

  it("draws the arena soon after the click with a 4× slower CPU on slow 4G (printed)", { timeout: 240_000 }, async () => {
    // What fans get: a production build (`npm run build`), not the test run's development build
    // (React's development bundle, several times slower at rendering). SEAT_MAP_DIST serves another
    // build instead (an A/B comparison against other code, measured the same way).
    const dist = process.env.SEAT_MAP_DIST;
    const baseURL = dist ? await stack.serve(dist) : await productionURL();
    const clicked = await slowClickToMap(baseURL);
    expect(clicked.seats).toBeGreaterThan(18_000);
    // The click fetches data only: the event page's code came with the home page's idle time.
    expect(clicked.scripts).toEqual([]);
    // And its data with the home page's: the map was drawn from the prefetched copy, not after a round trip.
    if (!process.env.SEAT_MAP_DIST) expect(clicked.fromCopy).toBe(true);
    // A second figure, not the goal's: a fan's pointer rests on the card for a moment before pressing
    // (Playwright's click above presses at once after moving the pointer there).
    if (process.env.SEAT_MAP_HOVER !== "0") await slowClickToMap(baseURL, { hoverMs: 280 });
  });

  it("prefetches the event pages in view only when the connection does not ask to save data", { timeout: 90_000 }, async () => {
    const eventId = stack.events.get(ARENA)!;
    // Control: without Save-Data the home page reads the arena's seat map before any click.
    // A production build: React's development build (the test run's) runs effects twice under
    // StrictMode, which throws away the reads a click hands over.
    const baseURL = await productionURL();
    const plain = await browser({ baseURL });
    const plainReads = graphQLOperations(plain.page);
    await plain.page.goto("/");
    await waitForPrefetch(plain.page, eventId);
    expect(plainReads).toEqual(expect.arrayContaining(["EventPage", "SeatMap"]));

    const saving = await browser({ baseURL });
    const session = await saving.context.newCDPSession(saving.page);
    await session.send("Emulation.setDataSaverOverride", { dataSaverEnabled: true });
    const reads = graphQLOperations(saving.page);
    await saving.page.goto("/");
    expect(await saving.page.evaluate(() => (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData)).toBe(true);
    await saving.page.getByRole("link", { name: /Chicago Blaze/ }).first().waitFor();
    // Longer than the control took to prefetch: the idle prefetch would have come by now.
    await saving.page.waitForTimeout(3_000);
    await networkQuiet(saving.page);
    expect(reads.filter((name) => name === "SeatMap" || name === "EventPage")).toEqual([]);
    // The click still works, reading after it.
    await saving.page.locator(`a[href="/events/${eventId}"]`).first().click();
    await saving.page.locator("canvas[data-drawn]").waitFor();
    expect(reads.filter((name) => name === "SeatMap")).toEqual(["SeatMap"]);
    expect(plain.problems).toEqual([]);
    expect(saving.problems).toEqual([]);
  });

  it("draws a prefetched map at once and corrects it when the fresh read comes: a seat held by someone else since shows as taken", { timeout: 90_000 }, async () => {
    const eventId = stack.events.get(ARENA)!;
    // A production build, as above.
    const { page, problems } = await browser({ baseURL: await productionURL() });
    await page.goto("/");
    await waitForPrefetch(page, eventId);
    // After the prefetch, another fan holds a seat of section 103: the copy on the device still shows it free.
    const { rows } = await stack.api.app.db.pool.query<{ id: string; key: string }>(
      `SELECT s.id, sec.id || '|' || r.label || '|' || s.number AS key
       FROM event_seats es JOIN seats s ON s.id = es.seat_id JOIN seat_rows r ON r.id = s.row_id JOIN sections sec ON sec.id = s.section_id
       WHERE es.event_id = $1 AND es.status = 'AVAILABLE' AND sec.name = '103' ORDER BY r.sort_order, s.number LIMIT 1`,
      [eventId],
    );
    const seat = rows[0]!;
    const other = await createUser(stack.api);
    const held = await stack.api.query(`mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id } errors { code } } }`, { input: { eventId, seatIds: [seat.id] } }, other.token);
    expect(held.data?.holdSeats.errors).toEqual([]);

    await page.locator(`a[href="/events/${eventId}"]`).first().click();
    await page.locator("canvas[data-drawn]").waitFor();
    await page.getByRole("button", { name: /^Section 103\b/ }).click();
    await page.locator(`[data-seat="${seat.key}"][aria-disabled="true"]`).waitFor({ timeout: 10_000 });
    // It was the copy that was drawn first, and the fresh read that corrected it (not a live change:
    // the hold came before the page subscribed).
    const measures = await page.evaluate(() => performance.getEntriesByType("measure").map((entry) => entry.name));
    expect(measures).toEqual(expect.arrayContaining(["seat map: store built from a prefetched copy", "seat map: revalidated"]));
    expect(measures).not.toContain("seat map: store built");
    expect(problems).toEqual([]);
  });
});

let production: Promise<string> | null = null;

/**
 * This code's production build (`npm run build`, what fans get; not the test run's development
 * build), served against the test API; built once for the file.
 */
function productionURL(): Promise<string> {
  production ??= productionBuild("storefront").then((built) => {
    cleanups.push(() => built.remove());
    return stack.serve(built.dist);
  });
  return production;
}

/** The operation names of the GraphQL requests `page` sends from now on, in order (a live list). */
function graphQLOperations(page: Page): string[] {
  const names: string[] = [];
  page.on("request", (request) => {
    if (!request.url().endsWith("/graphql") || request.method() !== "POST") return;
    const body = request.postDataJSON() as { operationName?: string; query?: string } | null;
    names.push(body?.operationName ?? /^\s*(?:query|mutation)\s+(\w+)/.exec(body?.query ?? "")?.[1] ?? "?");
  });
  return names;
}

/** Waits until the home page has prefetched `eventId`'s event and seat map (prefetched-events.ts marks it). */
async function waitForPrefetch(page: Page, eventId: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, `event prefetched: ${eventId}`, { timeout });
}

/**
 * Throttles (4× CPU, DevTools' "Slow 4G") from before the home page loads, as a fan on that phone and
 * line gets it; opens the home page and lets it settle as a fan reading it would (bounded): its idle
 * prefetch of the event page's chunks, then of the data of the event cards in view (the arena's among
 * them); then clicks the arena's card and prints when the map's first frame was drawn, and a breakdown.
 * `hoverMs`: the pointer rests on the card that long, then presses there (no click() and its checks,
 * which would add their own pause).
 */
async function slowClickToMap(baseURL: string, options: { hoverMs?: number } = {}): Promise<{ seats: number; scripts: string[]; fromCopy: boolean }> {
  const { page, context } = await browser({ baseURL });
  const eventId = stack.events.get(ARENA)!;
  const session = await context.newCDPSession(page);
  await session.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  // Chrome DevTools' "Slow 4G" preset: 562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up.
  await session.send("Network.enable");
  await session.send("Network.emulateNetworkConditions", { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375 });
  const loadStarted = Date.now();
  await page.goto("/", { timeout: 120_000 });
  await page.getByRole("link", { name: /Chicago Blaze/ }).first().waitFor({ timeout: 60_000 });
  const cardsShownMs = Date.now() - loadStarted;
  // Once the home page showed its events and the browser was idle, it fetched the event page's chunks
  // (src/app/route-chunks.ts), then the event and seat map of the cards in view (event-prefetch.ts).
  // A build without that prefetch (SEAT_MAP_DIST, an A/B against older code) is given 10 s for it.
  await page.waitForFunction(
    () => {
      const names = performance.getEntriesByType("resource").map((entry) => entry.name);
      return ["EventPage", "ApolloPage"].every((chunk) => names.some((name) => new RegExp(`/${chunk}-[\\w-]+\\.js$`).test(name)));
    },
    undefined,
    { timeout: 60_000 },
  );
  const prefetched = await waitForPrefetch(page, eventId, process.env.SEAT_MAP_DIST ? 10_000 : 60_000).then(
    () => true,
    () => false,
  );
  if (!process.env.SEAT_MAP_DIST) expect(prefetched).toBe(true);
  await networkQuiet(page);
  const settledMs = Date.now() - loadStarted;
  // Honest to the home page's budget (e2e/build.test.ts counts only what it loads up front): the
  // event page's chunks started after the page had loaded and its events had arrived.
  const order = await page.evaluate(() => {
    const entries = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    const chunk = entries.find((entry) => /\/EventPage-[\w-]+\.js$/.test(entry.name))!;
    const answers = entries.filter((entry) => entry.name.endsWith("/graphql"));
    const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return { chunk: chunk.startTime, loaded: navigation.loadEventEnd, firstAnswer: Math.min(...answers.map((entry) => entry.responseEnd)), answers: answers.length };
  });
  expect(order.answers).toBeGreaterThanOrEqual(1);
  expect(order.chunk).toBeGreaterThan(order.loaded);
  expect(order.chunk).toBeGreaterThan(order.firstAnswer);
  const card = page.locator(`a[href="/events/${eventId}"]`).first();
  const requests: Request[] = [];
  page.on("request", (request) => requests.push(request));
  if (options.hoverMs) {
    await card.hover();
    await page.waitForTimeout(options.hoverMs);
  }
  // The clock, in the page: when the link is pressed (Playwright's own checks of the target come
  // first, in the throttled page), when the map is first drawn (the canvas gets data-drawn) and when
  // that frame is done. The map draws in a rendering step (a ResizeObserver callback or an animation
  // frame), whose layout, paint and commit run in the same task: a task posted from there runs after
  // them. Playwright's waitFor below polls every 500 ms once it has waited a while, so it only
  // confirms the draw; timed by it, the figure would be up to half a second late.
  await page.evaluate(() => {
    addEventListener("pointerdown", () => performance.mark("link pressed"), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (!document.querySelector("canvas[data-drawn]")) return;
      observer.disconnect();
      performance.mark("seat map drawn");
      setTimeout(() => performance.mark("seat map frame done"), 0);
    });
    observer.observe(document, { subtree: true, attributes: true, attributeFilter: ["data-drawn"] });
  });
  const profile = process.env.SEAT_MAP_PROFILE;
  if (profile) await session.send("Profiler.enable").then(() => session.send("Profiler.setSamplingInterval", { interval: 200 })).then(() => session.send("Profiler.start"));
  const trace = process.env.SEAT_MAP_TRACE;
  const traceEvents: unknown[] = [];
  if (trace) {
    session.on("Tracing.dataCollected", ({ value }) => traceEvents.push(...value));
    await session.send("Tracing.start", { traceConfig: { includedCategories: ["devtools.timeline", "blink.user_timing", "v8.execute"] } });
  }
  const started = Date.now();
  // After a rest on the card, a press where the pointer is: the pause before the press is the rest's.
  if (options.hoverMs) await page.mouse.down().then(() => page.mouse.up());
  else await card.click();
  await page.locator("canvas[data-drawn]").waitFor({ timeout: 60_000 });
  const seenMs = Date.now() - started;
  await page.waitForFunction(() => performance.getEntriesByName("seat map frame done").length > 0);
  // The fresh reads the click sent (drawn from a prefetched copy, the map is corrected by them), for the breakdown.
  await page.waitForFunction(() => performance.getEntriesByName("seat map: revalidated").length + performance.getEntriesByName("seat map: store built").length > 0, undefined, {
    timeout: 60_000,
  });
  if (profile) writeFileSync(profile, JSON.stringify((await session.send("Profiler.stop")).profile));
  if (trace) {
    const complete = new Promise<void>((resolve) => session.once("Tracing.tracingComplete", () => resolve()));
    await session.send("Tracing.end");
    await complete;
    writeFileSync(trace, JSON.stringify({ traceEvents }));
  }
  const frame = await page.evaluate(() => {
    const at = (name: string) => performance.timeOrigin + (performance.getEntriesByName(name)[0]?.startTime ?? NaN);
    return {
      pressed: at("link pressed"),
      drawn: at("seat map drawn"),
      done: at("seat map frame done"),
      ...(window as unknown as { __seatMapStats: { last: number; seats: number } }).__seatMapStats,
      store: performance.getEntriesByName("seat map: store built").at(-1)?.duration ?? NaN,
      copy: performance.getEntriesByName("seat map: store built from a prefetched copy").at(-1)?.duration ?? null,
      revalidated: performance.timeOrigin + (performance.getEntriesByName("seat map: revalidated").at(-1)?.startTime ?? NaN),
    };
  });
  const lines: string[] = [];
  for (const request of requests) {
    const timing = request.timing();
    if (timing.responseEnd < 0) continue;
    const body = request.postDataJSON() as { operationName?: string; query?: string } | null;
    const name = body?.operationName ?? /^\s*(?:query|mutation)\s+(\w+)/.exec(body?.query ?? "")?.[1] ?? new URL(request.url()).pathname;
    const { responseBodySize } = await request.sizes();
    const start = timing.startTime - started;
    lines.push(`${name} ${start.toFixed(0)}–${(start + timing.responseEnd).toFixed(0)} ms (${(responseBodySize / 1024).toFixed(1)} KB, first byte at ${(start + timing.responseStart).toFixed(0)})`);
  }
  const doneMs = frame.done - started;
  console.log(
    `seat map with 4x CPU slowdown and slow 4G${options.hoverMs ? `, the pointer resting on the card ${options.hoverMs} ms before the press (not the goal's figure)` : ""}: ` +
      `drawn ${doneMs.toFixed(0)} ms after the click (${frame.seats} seats; ${(frame.done - frame.pressed).toFixed(0)} ms after the press), the link pressed at ${(frame.pressed - started).toFixed(0)} ms; ` +
      `requests after the click: ${lines.join(", ") || "none"}; ` +
      (frame.copy !== null
        ? `drawn from the home page's prefetched copy (store built in ${frame.copy.toFixed(1)} ms), revalidated at ${(frame.revalidated - started).toFixed(0)} ms; `
        : `no prefetched copy, store built in ${frame.store.toFixed(1)} ms; `) +
      `first frame drawn at ${(frame.drawn - started).toFixed(0)} ms in ${frame.last.toFixed(1)} ms; Playwright saw it at ${seenMs} ms; ` +
      `throttled from before the home page: its cards shown ${cardsShownMs} ms after goto, settled (prefetches done${prefetched ? "" : ": none for the arena"}) at ${settledMs} ms`,
  );
  return { seats: frame.seats, scripts: requests.filter((request) => request.resourceType() === "script").map((request) => request.url()), fromCopy: frame.copy !== null };
}

/** Resolves once no request has been in flight for `quietMs` (Playwright's own "networkidle" fires once, at load). */
async function networkQuiet(page: Page, quietMs = 500): Promise<void> {
  for (;;) {
    const count = await page.evaluate(() => performance.getEntriesByType("resource").length);
    await page.waitForTimeout(quietMs);
    if ((await page.evaluate(() => performance.getEntriesByType("resource").length)) === count) return;
  }
}
