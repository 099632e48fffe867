/**
 * The whole promoter-to-fan journey across both apps, in real browsers against one real API: a
 * promoter builds a venue with the seat-map builder, creates an event there and opens its sale; a fan
 * buys two seats on the storefront; the purchase appears on the promoter's live dashboard within 2 s;
 * the promoter refunds it from the console and the seats are on sale again. A promoter of another
 * organization can neither see nor touch the event, in the console or through the API.
 */
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../api/test/support/processes.js";
import { launchBrowser, type TestBrowser } from "../../storefront/e2e/browser.js";
import { seatIdsOf } from "../../storefront/e2e/seats.js";
import { openRow, startStack, type Stack } from "./stack.js";

const POLL = { timeout: 20_000 };
const VENUE = "Harbour Arena";
const EVENT = "Harbour Lights Live";

let stack: Stack;
let storefront: PreviewServer;
let storefrontURL: string;
const browsers: TestBrowser[] = [];

async function browser(baseURL: string): Promise<TestBrowser> {
  const opened = await launchBrowser({ baseURL, viewport: { width: 1360, height: 900 } });
  browsers.push(opened);
  return opened;
}

async function consoleSignIn(page: Page, email: string) {
  await page.goto("/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("promoter-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("menuitem", { name: "Events" }).waitFor(POLL);
}

beforeAll(async () => {
  stack = await startStack();
  // The storefront, served as `npm start` serves it, forwarding to the same API as the console.
  const root = fileURLToPath(new URL("../../storefront/", import.meta.url));
  const port = await freePort();
  const target = new URL(stack.api.url).origin;
  storefront = await preview({
    root,
    configFile: `${root}vite.config.ts`,
    logLevel: "warn",
    preview: { host: "127.0.0.1", port, strictPort: true, proxy: { "/graphql": { target, ws: true, changeOrigin: true }, "/.well-known": { target, changeOrigin: true } } },
  });
  storefrontURL = `http://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((opened) => opened.close()));
  await storefront?.close();
  await stack?.stop();
});

describe("promoter to fan and back", () => {
  it("a promoter builds a venue and an event and opens the sale; a fan's purchase shows on the live dashboard within 2 s; the promoter refunds it; another organization sees nothing", { timeout: 300_000 }, async () => {
    const pool = stack.api.app.db.pool;
    const promoter = await browser(stack.baseURL);
    const page = promoter.page;
    await consoleSignIn(page, "promoter@boxoffice.test");

    // A venue from the city picker, one section laid out with the builder.
    await page.goto("/#/venues/create");
    await page.getByLabel("Name").fill(VENUE);
    await page.getByLabel("City").fill("Chic");
    await page.getByRole("option", { name: /^Chicago, US · America\/Chicago$/ }).click();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("button", { name: "Add a section" }).click(POLL);
    await page.getByLabel("Section name").fill("Floor");
    await page.getByLabel("Rows").fill("2");
    await page.getByLabel("Seats per row").fill("5");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const builder = page.getByRole("form", { name: "Seat-map builder" });
    await builder.getByLabel("Rows", { exact: true }).fill("4");
    await builder.getByLabel("Seats per row", { exact: true }).fill("10");
    await builder.getByRole("button", { name: "Generate" }).click();
    await page.getByText("Section Floor: 40 seats generated").waitFor(POLL);
    const venue = (await pool.query<{ id: string; seats: number }>(
      `SELECT v.id, (SELECT count(*)::int FROM seats s JOIN sections x ON x.id = s.section_id WHERE x.venue_id = v.id) AS seats FROM venues v WHERE v.name = $1`,
      [VENUE],
    )).rows[0]!;
    expect(venue.seats).toBe(40);

    // An event there, in the venue's time zone, then on sale.
    await page.goto("/#/events/create");
    await page.getByLabel("Name").fill(EVENT);
    await page.getByLabel("Artist").fill("The Harbour Band");
    await page.getByLabel("Category").click();
    await page.getByRole("option", { name: "Concert" }).click();
    await page.getByLabel("Venue").click();
    await page.getByRole("option", { name: VENUE }).click();
    await page.getByLabel("Starting price per section (minor units)").fill("4500");
    await page.getByLabel("Starts (America/Chicago)").fill("2027-08-01T20:00");
    await page.getByLabel("Sale opens (America/Chicago)").fill("2027-05-01T10:00");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: EVENT }).waitFor(POLL);
    const eventId = (await pool.query<{ id: string }>(`SELECT id FROM events WHERE name = $1`, [EVENT])).rows[0]!.id;
    await page.getByRole("button", { name: "Schedule" }).click();
    await page.getByRole("button", { name: "Open the sale" }).click(POLL);
    await expect.poll(async () => (await pool.query(`SELECT status FROM events WHERE id = $1`, [eventId])).rows[0].status, POLL).toBe("ON_SALE");

    // The live dashboard, connected.
    await page.getByRole("link", { name: "Live dashboard" }).click();
    await page.getByTestId("connection").getByText("Live").waitFor(POLL);
    const sold = page.getByTestId("tickets-sold");
    await expect.poll(() => sold.textContent(), POLL).toMatch(/^0\b/);

    // A fan buys two seats on the storefront.
    const fan = await browser(storefrontURL);
    await fan.page.goto("/login?next=/");
    await fan.page.getByLabel("Email").fill("fan@boxoffice.test");
    await fan.page.getByLabel("Password").fill("fan-password");
    await fan.page.getByRole("button", { name: "Sign in" }).click();
    await fan.page.getByRole("link", { name: "My orders" }).waitFor(POLL);
    await fan.page.goto(`/events/${eventId}`);
    await fan.page.getByRole("button", { name: /^Section Floor\b/ }).click(POLL);
    const seats = fan.page.locator(".seat-list button.seat-available");
    await seats.first().waitFor(POLL);
    const picked = [await seats.nth(0).getAttribute("data-seat"), await seats.nth(1).getAttribute("data-seat")];
    await seats.nth(0).click();
    await fan.page.locator(`[data-seat="${picked[1]}"]`).click();
    await fan.page.getByRole("button", { name: "Hold 2 seats" }).click();
    await fan.page.getByRole("link", { name: "Continue to checkout" }).click(POLL);
    await fan.page.getByRole("button", { name: /^Pay / }).click(POLL);
    await fan.page.getByRole("heading", { name: "You're going!" }).waitFor(POLL);
    const paidAt = Date.now();
    const orderId = new URL(fan.page.url()).pathname.split("/").pop()!;

    // On the dashboard within 2 s.
    await expect.poll(() => sold.textContent(), { timeout: 2_000, interval: 50 }).toMatch(/^2\b/);
    const delay = Date.now() - paidAt;
    process.stdout.write(`[journey] storefront purchase on the live dashboard ${delay} ms after the fan's confirmation page\n`);
    expect(delay).toBeLessThan(2_000);

    // The promoter refunds it from the console.
    await page.getByRole("menuitem", { name: "Orders" }).click();
    await page.getByLabel("Buyer email").fill("fan@boxoffice.test");
    await openRow(page, EVENT, /\/orders\/[^/]+\/show$/);
    await page.getByRole("heading", { name: `Order ${orderId}` }).waitFor(POLL);
    await page.getByRole("button", { name: "Refund" }).click();
    const dialog = page.getByRole("dialog", { name: "Refund this order?" });
    await dialog.getByLabel("Reason").fill("Fan asked for a refund");
    await dialog.getByRole("button", { name: "Refund" }).click();
    await page.getByText("Order refunded; its seats are on sale again").waitFor(POLL);
    const after = await pool.query<{ status: string; available: number }>(
      `SELECT o.status, (SELECT count(*)::int FROM event_seats es WHERE es.event_id = o.event_id AND es.seat_id = ANY($2::uuid[]) AND es.status = 'AVAILABLE') AS available
         FROM orders o WHERE o.id = $1`,
      [orderId, await seatIdsOf(pool, picked as string[])],
    );
    expect(after.rows[0]).toMatchObject({ available: 2 });
    expect(after.rows[0]!.status).not.toBe("CONFIRMED");

    // Another organization's promoter: not in their list, not at its address, and the API says so too.
    const other = await browser(stack.baseURL);
    await consoleSignIn(other.page, "promoter@northern-stages.test");
    await other.page.getByRole("menuitem", { name: "Events" }).click();
    await other.page.locator("table tbody tr").first().waitFor(POLL);
    expect(await other.page.getByRole("cell", { name: EVENT }).count()).toBe(0);
    await other.page.goto(`/#/events/${eventId}/show`);
    await expect.poll(() => other.page.getByRole("heading", { name: EVENT }).count(), { timeout: 5_000 }).toBe(0);
    const token = await other.page.evaluate(() => localStorage.getItem("boxoffice.admin.token") ?? "");
    const seen = await stack.api.query(`query($id: ID!) { adminEvent(id: $id) { id } }`, { id: eventId }, token);
    expect(seen.data!.adminEvent).toBeNull();
    const touched = await stack.api.query(`mutation($input: TransitionEventInput!) { transitionEvent(input: $input) { errors { code } } }`, { input: { id: eventId, to: "CANCELLED" } }, token);
    expect(["FORBIDDEN", "NOT_FOUND"]).toContain(touched.data!.transitionEvent.errors[0].code);
    expect((await pool.query(`SELECT status FROM events WHERE id = $1`, [eventId])).rows[0].status).toBe("ON_SALE");
    expect(promoter.problems).toEqual([]);
  });
});
