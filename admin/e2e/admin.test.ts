/**
 * The promoters' console in a real browser (Debian's Chromium) against the real stack: PostgreSQL,
 * Redis, the API and the built console. Set SCREENSHOTS=1 to refresh docs/screenshots/admin-*.png.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type TestBrowser } from "../../storefront/e2e/browser.js";
import { startStack, type Stack } from "./stack.js";

const SCREENSHOTS = process.env.SCREENSHOTS === "1" ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url)) : null;
if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

async function shot(page: Page, name: string, fullPage = false) {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}admin-${name}.png`, fullPage });
}

/** A shared machine can be slow to render; vitest's default poll gives up after one second. */
const POLL = { timeout: 15_000 };

let stack: Stack;
const browsers: TestBrowser[] = [];

async function browser(): Promise<TestBrowser> {
  const opened = await launchBrowser({ baseURL: stack.baseURL, viewport: { width: 1360, height: 900 } });
  browsers.push(opened);
  return opened;
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((opened) => opened.close()));
  await stack?.stop();
});

describe("admin console", () => {
  it("a promoter signs in, sees only their organization's events and opens one to its sections and prices", { timeout: 120_000 }, async () => {
    const { rows: own } = await stack.api.app.db.pool.query<{ name: string }>(
      `SELECT e.name FROM events e JOIN users u ON u.organization_id = e.organization_id WHERE u.email = 'promoter@boxoffice.test' ORDER BY e.starts_at`,
    );
    const { rows: others } = await stack.api.app.db.pool.query<{ name: string }>(
      `SELECT e.name FROM events e WHERE e.organization_id <> (SELECT organization_id FROM users WHERE email = 'promoter@boxoffice.test')`,
    );
    expect(own.length).toBeGreaterThan(1);
    expect(others.length).toBeGreaterThan(0);

    const { page, problems } = await browser();
    await page.goto("/");
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await shot(page, "login");
    await signIn(page, "promoter@boxoffice.test", "promoter-password");
    await page.getByText("Welcome, Pat Promoter").waitFor();
    await shot(page, "dashboard");

    await page.getByRole("menuitem", { name: "Events" }).click();
    await page.waitForURL(/\/events/);
    const names = page.locator("table tbody tr td.column-name");
    await expect.poll(() => names.count(), POLL).toBe(own.length);
    expect((await names.allTextContents()).sort()).toEqual(own.map((row) => row.name).sort());
    await shot(page, "events", true);

    const eventName = "Nova Lights — Afterglow World Tour";
    await page.getByRole("cell", { name: eventName, exact: true }).click();
    await page.getByRole("heading", { name: eventName }).waitFor();
    const sections = page.getByRole("table", { name: "Sections and prices" }).locator("tbody tr");
    const { rows: sectionRows } = await stack.api.app.db.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM event_sections es JOIN events e ON e.id = es.event_id WHERE e.name = $1`,
      [eventName],
    );
    await expect.poll(() => sections.count(), POLL).toBe(sectionRows[0]!.count);
    await expect.poll(() => sections.first().textContent(), POLL).toMatch(/\$\d/);
    await shot(page, "event-show", true);

    await sections.first().getByRole("button", { name: /^Pricing for section/ }).click();
    await page.getByRole("dialog").getByText("Fix the price by hand").waitFor();
    await shot(page, "pricing");
    await page.getByRole("button", { name: "Close" }).click();

    await page.getByRole("menuitem", { name: "Venues" }).click();
    await page.locator("table tbody tr").first().waitFor();
    await shot(page, "venues");

    expect(problems).toEqual([]);
  });

  it("a promoter pauses a section's pricing engine and schedules a draft event; the audit log shows both", { timeout: 120_000 }, async () => {
    const db = stack.api.app.db.pool;
    const { rows: drafts } = await db.query<{ id: string; name: string }>(
      `SELECT e.id, e.name FROM events e JOIN users u ON u.organization_id = e.organization_id WHERE u.email = 'promoter@boxoffice.test' AND e.status = 'DRAFT' LIMIT 1`,
    );
    const draft = drafts[0]!;
    const { page, problems } = await browser();
    await signIn(page, "promoter@boxoffice.test", "promoter-password");
    await page.getByText("Welcome, Pat Promoter").waitFor();

    await page.goto(`/#/events/${draft.id}/show`);
    await page.getByRole("heading", { name: draft.name }).waitFor();
    const rows = page.getByRole("table", { name: "Sections and prices" }).locator("tbody tr");
    const sectionName = (await rows.first().getAttribute("data-section"))!;
    await rows.first().getByRole("button", { name: /^Pricing for section/ }).click();
    await page.getByRole("button", { name: "Pause the engine" }).click();
    await page.getByText("Engine paused").waitFor();
    await expect.poll(async () => (await rows.first().textContent()) ?? "", POLL).toContain("Paused");
    const paused = await db.query<{ pricing_paused: boolean }>(
      `SELECT es.pricing_paused FROM event_sections es JOIN sections s ON s.id = es.section_id WHERE es.event_id = $1 AND s.name = $2`,
      [draft.id, sectionName],
    );
    expect(paused.rows).toEqual([{ pricing_paused: true }]);

    await page.getByRole("button", { name: "Schedule" }).click();
    await page.getByText("Event is now scheduled").waitFor();
    await expect.poll(async () => (await db.query<{ status: string }>(`SELECT status FROM events WHERE id = $1`, [draft.id])).rows[0]!.status, POLL).toBe("SCHEDULED");
    await shot(page, "event-scheduled", true);

    await page.getByRole("menuitem", { name: "Audit log" }).click();
    const transition = page.locator("table tbody tr", { hasText: "event.transition" }).first();
    await transition.waitFor();
    expect(await transition.textContent()).toContain("promoter@boxoffice.test");
    await transition.click();
    await page.getByText('"status": "SCHEDULED"').first().waitFor();
    await shot(page, "audit", true);
    expect(problems).toEqual([]);
  });

  it("the API's refusal of an edit shows under the input it names", { timeout: 90_000 }, async () => {
    const { rows } = await stack.api.app.db.pool.query<{ id: string; service_fee_basis_points: number }>(
      `SELECT id, service_fee_basis_points FROM events WHERE name = 'Nova Lights — Afterglow World Tour'`,
    );
    const event = rows[0]!;
    const { page } = await browser();
    await signIn(page, "promoter@boxoffice.test", "promoter-password");
    await page.getByText("Welcome, Pat Promoter").waitFor();
    await page.goto(`/#/events/${event.id}`);
    const fee = page.getByLabel("Service fee (basis points)");
    await fee.waitFor();
    await fee.fill(String(event.service_fee_basis_points + 100));
    await page.getByRole("button", { name: "Save" }).click();
    // On sale, fees are fixed: the API answers a UserError with field serviceFeeBasisPoints.
    const message = page.locator(".ra-input-serviceFeeBasisPoints").getByText("cannot change once the sale has begun");
    await message.waitFor();
    await message.scrollIntoViewIfNeeded();
    await shot(page, "event-edit-refused");
    const after = await stack.api.app.db.pool.query<{ service_fee_basis_points: number }>(`SELECT service_fee_basis_points FROM events WHERE id = $1`, [event.id]);
    expect(after.rows[0]!.service_fee_basis_points).toBe(event.service_fee_basis_points);
  });

  it("a promoter creates a venue for their organization, gives it a section and puts an event on there", { timeout: 90_000 }, async () => {
    const { page, problems } = await browser();
    await signIn(page, "promoter@boxoffice.test", "promoter-password");
    await page.getByText("Welcome, Pat Promoter").waitFor();
    await page.goto("/#/venues/create");
    await page.getByLabel("Name").fill("Harbour Hall");
    await page.getByLabel("Address").fill("1 Pier Road");
    await page.getByLabel("City").fill("Chicago");
    await page.getByLabel("Country").fill("US");
    await page.getByLabel("Timezone").fill("America/Chicago");
    await page.getByLabel("Latitude").fill("41.89");
    await page.getByLabel("Longitude").fill("-87.6");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/venues\/[0-9a-f-]+\/show/);
    await page.getByText(/^harbour-hall-[0-9a-f]+$/).waitFor();
    const { rows } = await stack.api.app.db.pool.query<{ name: string; city: string; organization: string }>(
      `SELECT v.name, v.city, o.slug AS organization FROM venues v JOIN organizations o ON o.id = v.organization_id WHERE v.name = 'Harbour Hall'`,
    );
    expect(rows).toEqual([{ name: "Harbour Hall", city: "Chicago", organization: "lakeshore-live" }]);
    await page.getByRole("button", { name: "Add a section" }).click();
    await page.getByLabel("Section name").fill("Stalls");
    // A grid the API would refuse is refused before anything is created, so the corrected one can
    // keep the name (the dialog once created the section, then failed on its seats).
    await page.getByLabel("Rows").fill("-3");
    await page.getByLabel("Seats per row").fill("12");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByText("rows must be between 1 and 200").waitFor();
    const sectionsNamed = async () =>
      (await stack.api.app.db.pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM sections s JOIN venues v ON v.id = s.venue_id WHERE v.name = 'Harbour Hall' AND s.name = 'Stalls'`)).rows[0]!.count;
    expect(await sectionsNamed()).toBe(0);
    await page.getByLabel("Rows").fill("4");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("cell", { name: "Stalls" }).waitFor();
    expect(await sectionsNamed()).toBe(1);
    const seats = await stack.api.app.db.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM seats st JOIN sections s ON s.id = st.section_id JOIN venues v ON v.id = s.venue_id WHERE v.name = 'Harbour Hall' AND s.name = 'Stalls'`,
    );
    expect(seats.rows[0]!.count).toBe(48);
    await shot(page, "venue-created");

    // An event at the new venue: created as a draft with every section priced from the starting price.
    await page.goto("/#/events/create");
    await page.getByLabel("Name").fill("Harbour Sessions");
    await page.getByLabel("Artist").fill("The Tides");
    await page.getByLabel("Category").click();
    await page.getByRole("option", { name: "Concert" }).click();
    await page.getByLabel("Venue").click();
    await page.getByRole("option", { name: "Harbour Hall" }).click();
    await page.getByLabel("Starting price per section (minor units)").fill("4500");
    await page.getByLabel("Starts").fill("2027-03-01T20:00");
    await page.getByLabel("Sale opens").fill("2027-02-01T10:00");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Harbour Sessions" }).waitFor();
    await expect.poll(() => page.getByRole("table", { name: "Sections and prices" }).locator("tbody tr").first().textContent(), POLL).toContain("$45.00");
    const created = await stack.api.app.db.pool.query<{ status: string; starts_at: Date }>(`SELECT status, starts_at FROM events WHERE name = 'Harbour Sessions'`);
    // The form's wall-clock time is the venue's (Harbour Hall, America/Chicago: UTC−6 in March), whatever the browser's zone.
    expect(created.rows).toEqual([{ status: "DRAFT", starts_at: new Date("2027-03-02T02:00:00Z") }]);
    expect(problems).toEqual([]);
  });

  it("a fan's valid credentials are refused at the door, with a message pointing to the storefront", { timeout: 60_000 }, async () => {
    const { page } = await browser();
    await signIn(page, "fan@boxoffice.test", "fan-password");
    await page.getByRole("alert").filter({ hasText: "This console is for promoters and admins" }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem("boxoffice.admin.token"))).toBeNull();
    await shot(page, "fan-refused");
  });
});
