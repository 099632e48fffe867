/**
 * Orders in the promoters' console, in a real browser against the real stack. The seed has no orders,
 * so a fan buys two tickets through the API first (hold, then checkout with the test card); the
 * promoter then finds the order by the buyer's email, opens it, resends the confirmation, refunds it
 * (the order turns REFUNDED, its seats are on sale again) and downloads the event's CSV exports.
 * Set SCREENSHOTS=1 to refresh docs/screenshots/admin-orders.png and admin-order.png.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkout, hold } from "../../api/test/checkout/checkout-helpers.js";
import { createUser } from "../../api/test/support/factories.js";
import { expectOk } from "../../api/test/support/test-api.js";
import { launchBrowser, type TestBrowser } from "../../storefront/e2e/browser.js";
import { formatInVenueTime } from "../src/events/venue-time.js";
import { startStack, type Stack } from "./stack.js";

const SCREENSHOTS = process.env.SCREENSHOTS === "1" ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url)) : null;
if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

async function shot(page: Page, name: string, fullPage = false) {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}admin-${name}.png`, fullPage });
}

const POLL = { timeout: 15_000 };

let stack: Stack;
let browser: TestBrowser | null = null;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** An on-sale event of the seeded promoter's organization (no waiting room) and one of its seated sections. */
async function promoterSale(): Promise<{ eventId: string; eventName: string; sectionId: string }> {
  const { rows } = await stack.api.app.db.pool.query<{ eventId: string; eventName: string; sectionId: string }>(
    `SELECT e.id AS "eventId", e.name AS "eventName", s.id AS "sectionId"
     FROM events e JOIN users u ON u.organization_id = e.organization_id
     JOIN event_sections es ON es.event_id = e.id JOIN sections s ON s.id = es.section_id
     WHERE u.email = 'promoter@boxoffice.test' AND e.status = 'ON_SALE' AND NOT e.waiting_room_enabled AND e.on_sale_at < now()
       AND s.kind = 'SEATED' AND EXISTS (SELECT 1 FROM event_seats x WHERE x.event_id = e.id AND x.status = 'AVAILABLE')
     ORDER BY e.starts_at, s.sort_order LIMIT 1`,
  );
  return rows[0]!;
}

describe("orders in the console", () => {
  it("a promoter finds a fan's order by email, resends its email, refunds it and exports the event", { timeout: 180_000 }, async () => {
    const db = stack.api.app.db.pool;
    const sale = await promoterSale();
    const fan = await createUser(stack.api);
    const held = await hold(stack.api, fan.token, { eventId: sale.eventId, sectionId: sale.sectionId, quantity: 2 });
    const order = expectOk(await checkout(stack.api, fan.token, { holdId: held.id })).order as { id: string; tickets: { seat: { id: string } }[] };
    const seatIds = order.tickets.map((ticket) => ticket.seat.id);
    const seatStatuses = async () =>
      (await db.query<{ status: string }>(`SELECT status FROM event_seats WHERE event_id = $1 AND seat_id = ANY($2::uuid[])`, [sale.eventId, seatIds])).rows.map((row) => row.status);
    expect(await seatStatuses()).toEqual(["SOLD", "SOLD"]);

    browser = await launchBrowser({ baseURL: stack.baseURL, viewport: { width: 1360, height: 900 } });
    const { page, problems } = browser;
    await page.goto("/");
    await page.getByLabel("Email").fill("promoter@boxoffice.test");
    await page.getByLabel("Password").fill("promoter-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Welcome, Pat Promoter").waitFor();

    // The list, narrowed by the buyer's email.
    await page.getByRole("menuitem", { name: "Orders" }).click();
    await page.waitForURL(/\/orders/);
    await page.getByLabel("Buyer email").fill(fan.email);
    const rows = page.locator("table tbody tr");
    await expect.poll(() => rows.count(), POLL).toBe(1);
    const row = rows.first();
    await expect.poll(async () => (await row.textContent()) ?? "", POLL).toContain(order.id);
    expect(await row.textContent()).toContain(fan.email);
    expect(await row.textContent()).toContain(sale.eventName);
    expect(await row.textContent()).toContain("Paid");
    await shot(page, "orders");

    // The order: its tickets and its payment.
    await row.click();
    await page.getByRole("heading", { name: `Order ${order.id}` }).waitFor();
    const tickets = page.getByRole("table", { name: "Tickets" }).locator("tbody tr");
    await expect.poll(() => tickets.count(), POLL).toBe(2);
    expect(await tickets.first().textContent()).toContain("VALID");
    const payments = page.getByRole("table", { name: "Payments" }).locator("tbody tr");
    await expect.poll(async () => (await payments.first().textContent()) ?? "", POLL).toContain("SUCCEEDED");
    // The event's start as the venue reads it, with its zone: the same words as the event's own page.
    const { rows: start } = await db.query<{ startsAt: Date; timezone: string }>(
      `SELECT e.starts_at AS "startsAt", v.timezone FROM events e JOIN venues v ON v.id = e.venue_id WHERE e.id = $1`,
      [sale.eventId],
    );
    await page.getByText(formatInVenueTime(start[0]!.startsAt, start[0]!.timezone)).waitFor(POLL);
    await shot(page, "order", true);

    // Resend the confirmation: one more email delivery for the order in the outbox.
    const deliveries = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox_deliveries d JOIN outbox_events e ON e.id = d.outbox_event_id WHERE e.aggregate_id = $1 AND d.consumer = 'email'`,
          [order.id],
        )
      ).rows[0]!.n;
    expect(await deliveries()).toBe(1);
    await page.getByRole("button", { name: "Resend confirmation" }).click();
    await page.getByText(`Confirmation email sent again to ${fan.email}`).waitFor();
    expect(await deliveries()).toBe(2);

    // Refund, with a reason: the order is refunded and its seats are on sale again.
    await page.getByRole("button", { name: "Refund" }).click();
    const dialog = page.getByRole("dialog", { name: "Refund this order?" });
    await dialog.getByLabel("Reason").fill("Fan cannot attend");
    await dialog.getByRole("button", { name: "Refund" }).click();
    await page.getByText("Order refunded; its seats are on sale again").waitFor();
    await expect.poll(async () => (await db.query<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [order.id])).rows[0]!.status, POLL).toBe("REFUNDED");
    expect(await seatStatuses()).toEqual(["AVAILABLE", "AVAILABLE"]);
    await page.getByText("Refunded", { exact: true }).first().waitFor();
    await expect.poll(async () => (await tickets.first().textContent()) ?? "", POLL).toContain("VOID");
    expect(await page.getByRole("button", { name: "Refund" }).count()).toBe(0);
    const { rows: audit } = await db.query(`SELECT action, after->>'reason' AS reason FROM audit_log WHERE entity_id = $1 ORDER BY id`, [order.id]);
    expect(audit).toEqual([
      { action: "order.resend_confirmation", reason: null },
      { action: "order.refund", reason: "Fan cannot attend" },
    ]);

    // The event's exports, downloaded by the browser through the console's origin.
    await page.goto(`/#/events/${sale.eventId}/show`);
    await page.getByRole("heading", { name: sale.eventName }).waitFor();
    for (const [button, header] of [
      ["Orders CSV", "order_id,created_at,status,buyer_email"],
      ["Attendees CSV", "ticket_id,order_id,ticket_status,section"],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
      expect(download.suggestedFilename()).toMatch(button === "Orders CSV" ? /-orders\.csv$/ : /-attendees\.csv$/);
      const csv = readFileSync((await download.path())!, "utf8");
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(csv.slice(1).startsWith(`${header},`)).toBe(true);
      const lines = csv.split("\n").filter((line) => line.includes(order.id));
      expect(lines).toHaveLength(button === "Orders CSV" ? 1 : 2);
      expect(lines[0]).toContain(fan.email);
      expect(lines[0]).toContain(button === "Orders CSV" ? ",REFUNDED," : ",VOID,");
    }
    expect(problems).toEqual([]);
  });
});
