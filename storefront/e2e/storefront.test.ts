/**
 * The fan's journey in a real browser (Debian's Chromium) against the real stack: PostgreSQL, Redis,
 * the API and the built storefront. Set SCREENSHOTS=1 to refresh docs/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../api/test/support/factories.js";
import { subscribed } from "../../api/test/support/test-api.js";
import { launchBrowser, type TestBrowser } from "./browser.js";
import { seatIdsOf } from "./seats.js";
import { startStack, type Stack } from "./stack.js";

const SCREENSHOTS = process.env.SCREENSHOTS === "1" ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url)) : null;
if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

async function shot(page: Page, name: string, fullPage = false) {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage });
}

let stack: Stack;
const eventIdOf = (page: Page) => new URL(page.url()).pathname.split("/")[2]!;
const browsers: TestBrowser[] = [];

async function browser(options: { token?: string; viewport?: { width: number; height: number } } = {}): Promise<TestBrowser> {
  const opened = await launchBrowser({ baseURL: stack.baseURL, viewport: options.viewport });
  if (options.token) await opened.context.addInitScript((token) => localStorage.setItem("boxoffice.token", token), options.token);
  browsers.push(opened);
  return opened;
}

beforeAll(async () => {
  stack = await startStack({ BARCODE_ROTATION_SECONDS: "4" });
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((opened) => opened.close()));
  await stack?.stop();
});

/** What a screen reader reads after an element's name: the text of its aria-describedby element. */
const description = (element: Locator) =>
  element.evaluate((node) => document.getElementById(node.getAttribute("aria-describedby") ?? "")?.textContent ?? "");

describe("storefront", () => {
  it("buys two seats from search to a ticket whose QR code rotates", { timeout: 120_000 }, async () => {
    const fan = await browser();
    const page = fan.page;

    await page.goto("/login?next=/");
    await page.getByLabel("Email").fill("fan@boxoffice.test");
    await page.getByLabel("Password").fill("fan-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "My orders" }).waitFor();
    await page.getByRole("link", { name: /Chicago Blaze/ }).first().waitFor();
    await shot(page, "home", true);

    await page.getByLabel("Search events").fill("Blaze");
    await page.getByLabel("Search events").press("Enter");
    await page.waitForURL(/\/search\?q=Blaze/);
    const result = page.getByRole("link", { name: /Chicago Blaze vs Detroit Ironworks/ });
    await result.waitFor();
    await expect.poll(() => page.locator(".facet").count()).toBeGreaterThanOrEqual(3);
    await shot(page, "search", true);

    const started = Date.now();
    await result.click();
    await page.locator("canvas[data-drawn]").waitFor();
    const firstPaintMs = Date.now() - started;
    const stats = await page.evaluate(() => (window as unknown as { __seatMapStats: { seats: number; slowest: number } }).__seatMapStats);
    console.log(`seat map: ${stats.seats} seats drawn, first paint ${firstPaintMs} ms after the click, slowest frame ${stats.slowest.toFixed(1)} ms`);
    expect(stats.seats).toBeGreaterThan(18_000);

    // Panning: drag across the map and read the slowest frame drawn meanwhile.
    const box = (await page.locator("canvas[data-drawn]").boundingBox())!;
    const framesBefore = await page.evaluate(() => (window as unknown as { __seatMapStats: { frames: number; slowest: number } }).__seatMapStats.frames);
    await page.evaluate(() => ((window as unknown as { __seatMapStats: { slowest: number } }).__seatMapStats.slowest = 0));
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let step = 1; step <= 30; step++) await page.mouse.move(box.x + box.width / 2 + step * 8, box.y + box.height / 2 + step * 3);
    await page.mouse.up();
    const panned = await page.evaluate(() => (window as unknown as { __seatMapStats: { frames: number; slowest: number } }).__seatMapStats);
    console.log(`panning: ${panned.frames - framesBefore} frames, slowest ${panned.slowest.toFixed(1)} ms`);
    expect(panned.frames - framesBefore).toBeGreaterThan(5);
    await page.getByRole("button", { name: "Show the whole venue" }).click();

    // A price published by the pricing engine shows without a reload.
    const section101 = page.getByRole("button", { name: /^Section 101\b/ });
    const sectionId = (await stack.api.app.db.pool.query<{ id: string }>(`SELECT id FROM sections WHERE name = '101' AND venue_id = (SELECT venue_id FROM events WHERE id = $1)`, [eventIdOf(page)])).rows[0]!.id;
    await stack.api.app.pubsub.publishTo("SECTION_PRICE", eventIdOf(page), { eventId: eventIdOf(page), sectionId, priceMinor: 6150, currency: "USD" });
    await expect.poll(() => description(section101)).toMatch(/\$61\.50/);
    await stack.api.app.pubsub.publishTo("SECTION_PRICE", eventIdOf(page), { eventId: eventIdOf(page), sectionId, priceMinor: 5800, currency: "USD" });
    await expect.poll(() => description(section101)).toMatch(/\$58\.00/);

    await page.getByRole("button", { name: /^Section 101\b/ }).click();
    const seats = page.locator(".seat-list button.seat-available");
    await seats.first().waitFor();
    const picked = [await seats.nth(0).getAttribute("data-seat"), await seats.nth(1).getAttribute("data-seat")];
    await seats.nth(0).click();
    await page.locator(`[data-seat="${picked[1]}"]`).click();
    await page.getByRole("button", { name: "Hold 2 seats" }).click();
    await page.getByRole("heading", { name: "Your seats are held" }).waitFor();
    await expect.poll(() => page.locator(`[data-seat="${picked[0]}"]`).getAttribute("aria-pressed")).toBe("true");
    await shot(page, "event-seat-map");

    await page.getByRole("link", { name: "Continue to checkout" }).click();
    await page.getByRole("heading", { name: "Checkout" }).waitFor();
    const checkoutPath = new URL(page.url()).pathname;
    const total = await page.getByTestId("total").textContent();
    expect(total).toMatch(/\$\d/);
    await shot(page, "checkout", true);
    await page.getByRole("button", { name: /^Pay / }).click();

    await page.getByRole("heading", { name: "You're going!" }).waitFor();
    const orderId = new URL(page.url()).pathname.split("/").pop()!;
    await expect.poll(() => page.locator("canvas.qr").count()).toBe(2);
    await shot(page, "order-tickets", true);

    // The barcode rotates: the page fetches the next one by itself and redraws the QR code.
    const before = await page.locator("canvas.qr").first().getAttribute("data-barcode");
    await expect.poll(() => page.locator("canvas.qr").first().getAttribute("data-barcode"), { timeout: 15_000 }).not.toBe(before);

    const { rows } = await stack.api.app.db.pool.query<{ status: string; tickets: number; sold: number; email: string }>(
      `SELECT o.status, u.email,
              (SELECT count(*)::int FROM tickets t WHERE t.order_id = o.id AND t.status = 'VALID') AS tickets,
              (SELECT count(*)::int FROM event_seats es WHERE es.event_id = o.event_id AND es.seat_id = ANY($2::uuid[]) AND es.status = 'SOLD') AS sold
       FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1`,
      [orderId, await seatIdsOf(stack.api.app.db.pool, picked as string[])],
    );
    expect(rows).toEqual([{ status: "CONFIRMED", email: "fan@boxoffice.test", tickets: 2, sold: 2 }]);

    // The checkout reopened after paying (history, a bookmark, a second tab) says the tickets are bought,
    // not that the hold expired and the seats went back on sale.
    await page.goto(checkoutPath);
    await page.getByText("You have bought these tickets").waitFor();
    expect(await page.getByText(/went back on sale/).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Pay / }).count()).toBe(0);
    await page.getByRole("link", { name: "See your tickets" }).click();
    await page.getByRole("link", { name: /Chicago Blaze/ }).waitFor();

    await page.getByRole("link", { name: "My orders" }).click();
    await page.getByRole("link", { name: /Chicago Blaze/ }).click();

    // Cancel before the event: tickets void, refund through the gateway.
    await page.getByRole("button", { name: "Cancel this order" }).click();
    await page.getByRole("button", { name: "Yes, cancel and refund" }).click();
    await expect.poll(() => page.getByTestId("order-status").textContent(), { timeout: 10_000 }).toMatch(/Cancelled/);
    await expect.poll(() => page.locator("canvas.qr").count()).toBe(0);
    const { rows: after } = await stack.api.app.db.pool.query<{ status: string }>(`SELECT status FROM tickets WHERE order_id = $1`, [orderId]);
    expect(after.map((row) => row.status)).toEqual(["VOID", "VOID"]);
    expect(fan.problems).toEqual([]);
  });

  it("two fans race for one seat: one holds it, the other sees it taken and is told why", { timeout: 90_000 }, async () => {
    const [first, second] = [await createUser(stack.api), await createUser(stack.api)];
    const [a, b] = [await browser({ token: first.token }), await browser({ token: second.token })];
    const eventId = stack.events.get("chicago-blaze-vs-detroit-ironworks")!;
    for (const fan of [a, b]) {
      await fan.page.goto(`/events/${eventId}`);
      await fan.page.locator("canvas[data-drawn]").waitFor();
      await fan.page.getByRole("button", { name: /^Section 102\b/ }).click();
    }
    const seatId = await a.page.locator(".seat-list button.seat-available").first().getAttribute("data-seat");
    for (const fan of [a, b]) await fan.page.locator(`[data-seat="${seatId}"]`).click();

    // Both press Hold at the same moment.
    await Promise.all([a, b].map((fan) => fan.page.getByRole("button", { name: "Hold 1 seat" }).click()));
    const outcome = async (fan: TestBrowser) => {
      await fan.page.locator(".hold-panel, .buy-column [role=alert]").first().waitFor();
      return (await fan.page.locator(".hold-panel").count()) > 0 ? "won" : "lost";
    };
    const results = await Promise.all([outcome(a), outcome(b)]);
    expect([...results].sort()).toEqual(["lost", "won"]);
    const loserPage = results[0] === "lost" ? a.page : b.page;
    await expect.poll(() => loserPage.locator(".buy-column [role=alert]").textContent()).toMatch(/another fan/i);
    const seat = loserPage.locator(`[data-seat="${seatId}"]`);
    await expect.poll(() => seat.getAttribute("aria-label")).toMatch(/taken$/);
    expect(await seat.isDisabled()).toBe(true);
    await shot(loserPage, "seat-race-loser");

    const { rows } = await stack.api.app.db.pool.query<{ holds: number }>(
      `SELECT count(*)::int AS holds FROM hold_lines l JOIN holds h ON h.id = l.hold_id
       WHERE l.seat_id = ANY($1::uuid[]) AND h.status = 'ACTIVE' AND h.expires_at > now()`,
      [await seatIdsOf(stack.api.app.db.pool, [seatId!])],
    );
    expect(rows[0]!.holds).toBe(1);
    expect([...a.problems, ...b.problems]).toEqual([]);
  });

  it("a dynamically priced event says so before the on-sale, with its all-in range, and shows all-in section prices with their breakdown", { timeout: 60_000 }, async () => {
    const eventId = stack.events.get("macbeth-strand")!;
    const admin = await createUser(stack.api, { role: "ADMIN" });
    const { rows: sections } = await stack.api.app.db.pool.query<{ section_id: string }>(`SELECT section_id FROM event_sections WHERE event_id = $1`, [eventId]);
    for (const { section_id: sectionId } of sections) {
      const response = await stack.api.query(
        `mutation($input: UpdateSectionPricingInput!) { updateSectionPricing(input: $input) { errors { code message } } }`,
        { input: { eventId, sectionId, dynamicPricing: true, maxStepPercent: 10 } },
        admin.token,
      );
      expect(response.data?.updateSectionPricing.errors).toEqual([]);
    }
    const { data } = await stack.api.query(`query($id: ID!) { event(id: $id) { dynamicPriceRange { minAllIn { amount } maxAllIn { amount } } sections { section { name } price { amount } allInPrice { amount } } } }`, { id: eventId });
    const range = data!.event.dynamicPriceRange;
    const pounds = (minor: number) => `£${(minor / 100).toLocaleString("en-GB", { minimumFractionDigits: 2 })}`;

    const fan = await browser();
    await fan.page.goto(`/events/${eventId}`);
    const notice = fan.page.getByTestId("dynamic-pricing");
    await notice.waitFor();
    expect(await notice.textContent()).toBe(
      `Prices for this event are dynamic between ${pounds(range.minAllIn.amount)} and ${pounds(range.maxAllIn.amount)} (all-in), set by the promoter; the price you hold is the price you pay.`,
    );
    const first = data!.event.sections[0];
    const row = fan.page.getByRole("button", { name: new RegExp(`^Section ${first.section.name}\\b`) });
    expect(await description(row)).toContain(`${pounds(first.allInPrice.amount)} all-in (${pounds(first.price.amount)} + `);
    await shot(fan.page, "event-dynamic-pricing");
    expect(fan.problems).toEqual([]);
  });

  it("a seat another fan takes turns taken on an open map, pushed (the latency is printed)", { timeout: 60_000 }, async () => {
    const watcher = await browser();
    const eventId = stack.events.get("chicago-blaze-vs-detroit-ironworks")!;
    await watcher.page.goto(`/events/${eventId}`);
    await watcher.page.locator("canvas[data-drawn]").waitFor();
    await watcher.page.getByRole("button", { name: /^Section 103\b/ }).click();
    const seat = watcher.page.locator(".seat-list button.seat-available").first();
    const seatKey = (await seat.getAttribute("data-seat"))!;
    const [seatId] = await seatIdsOf(stack.api.app.db.pool, [seatKey]);

    const other = await createUser(stack.api);
    // The page's live subscription is in place before the hold, so only a push can turn the seat taken.
    await subscribed(stack.api, stack.api.app.keys.seatStatusChannel(eventId));
    const started = Date.now();
    const response = await stack.api.query(
      `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id } errors { code } } }`,
      { input: { eventId, seatIds: [seatId] } },
      other.token,
    );
    expect(response.data?.holdSeats.errors).toEqual([]);
    await watcher.page.locator(`[data-seat="${seatKey}"][aria-disabled="true"]`).waitFor({ timeout: 10_000 });
    console.log(`seat turned taken on the open map ${Date.now() - started} ms after the hold`);
    expect(watcher.problems).toEqual([]);
  });

  it("a fan waits in the waiting room, sees the position, and moves on to seat selection when admitted", { timeout: 90_000 }, async () => {
    const eventId = stack.events.get("nova-lights-chicago")!;
    await stack.api.app.db.pool.query(`UPDATE events SET waiting_room_max_active_shoppers = 1 WHERE id = $1`, [eventId]);
    // Someone else is shopping: the only slot is taken, so our fan waits.
    const ahead = await createUser(stack.api);
    const JOIN = `mutation($eventId: ID!) { joinWaitingRoom(eventId: $eventId) { ticket { queueToken status } errors { code } } }`;
    const joined = await stack.api.query(JOIN, { eventId }, ahead.token);
    const aheadToken = joined.data?.joinWaitingRoom.ticket.queueToken as string;
    await expect
      .poll(async () => (await stack.api.query(`query($e: ID!, $t: String!) { queueStatus(eventId: $e, queueToken: $t) { status } }`, { e: eventId, t: aheadToken }, ahead.token)).data?.queueStatus.status, { timeout: 10_000 })
      .toBe("ADMITTED");

    const fan = await browser({ token: (await createUser(stack.api)).token });
    await fan.page.goto(`/events/${eventId}`);
    await fan.page.getByRole("link", { name: "Join the waiting room" }).click();
    await fan.page.getByTestId("queue-position").waitFor();
    await expect.poll(() => fan.page.getByTestId("queue-position").textContent()).toMatch(/1/);
    await shot(fan.page, "waiting-room", true);

    // The shopper ahead leaves: the scheduler admits our fan, and the page moves on by itself.
    await stack.api.query(`mutation($e: ID!, $t: String!) { leaveWaitingRoom(eventId: $e, queueToken: $t) { ok } }`, { e: eventId, t: aheadToken }, ahead.token);
    await fan.page.waitForURL(new RegExp(`/events/${eventId}\\?admitted=1`), { timeout: 15_000 });
    await fan.page.getByText("It's your turn").waitFor();
    await fan.page.getByRole("button", { name: "Find seats" }).click();
    await fan.page.getByRole("heading", { name: "Your seats are held" }).waitFor();
    expect(fan.problems).toEqual([]);
  });

  it("finds events near the fan's location, nearest first with distances, or near a chosen city", { timeout: 60_000 }, async () => {
    const fan = await browser();
    await fan.context.grantPermissions(["geolocation"]);
    await fan.context.setGeolocation({ latitude: 41.8781, longitude: -87.6298 }); // downtown Chicago
    await fan.page.goto("/search");
    await fan.page.getByRole("button", { name: "Use my location" }).click();
    await fan.page.waitForURL(/near=41\.8781(;|%3B)-87\.6298/);
    const cards = fan.page.locator(".event-card");
    // Until the near-me results arrive, the previous results stay on screen: wait for the new ones.
    const nearby = async () => {
      const all = await cards.allTextContents();
      return all.length > 0 && all.every((text) => /Chicago/.test(text) && /km away/.test(text));
    };
    await expect.poll(nearby, { timeout: 10_000 }).toBe(true);
    const texts = await cards.allTextContents();
    const distances = texts.map((text) => Number(/([\d.]+) km away/.exec(text)![1]));
    expect(distances).toEqual([...distances].sort((a, b) => a - b));

    await fan.page.getByLabel("or a city").selectOption("London");
    await expect.poll(async () => (await cards.allTextContents()).every((text) => /London/.test(text))).toBe(true);
    expect(fan.problems).toEqual([]);
  });

  it("fits a phone screen", { timeout: 60_000 }, async () => {
    const phone = await browser({ viewport: { width: 390, height: 844 } });
    await phone.page.goto(`/events/${stack.events.get("hamlet-strand")!}`);
    await phone.page.locator("canvas[data-drawn]").waitFor();
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(phone.page, "event-phone", true);
    expect(phone.problems).toEqual([]);
  });
});
