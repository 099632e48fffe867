/**
 * Accounts in a real browser: an admin creates an organization and a promoter account in it; the
 * promoter signs in with the first password; the admin disables the account and the promoter's open
 * console signs them out at their next request. A promoter never sees the admins' menu.
 * SCREENSHOTS=1 refreshes docs/screenshots/admin-accounts.png and admin-organization.png.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type TestBrowser } from "../../storefront/e2e/browser.js";
import { openRow, startStack, type Stack } from "./stack.js";

const SCREENSHOTS = process.env.SCREENSHOTS === "1" ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url)) : null;
if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

async function shot(page: Page, name: string, fullPage = false) {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}admin-${name}.png`, fullPage });
}

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

describe("accounts and organizations", () => {
  it("an admin creates an organization and a promoter, who signs in; disabling the account signs them out", { timeout: 150_000 }, async () => {
    const pool = stack.api.app.db.pool;
    const admin = await browser();
    const page = admin.page;
    await signIn(page, "admin@boxoffice.test", "admin-password");
    await page.getByRole("menuitem", { name: "Organizations" }).click();
    await page.locator("table tbody tr").first().waitFor();

    await page.getByRole("link", { name: "Create" }).click();
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Harbour Live");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("link", { name: "Add a promoter" }).click();

    await page.getByRole("textbox", { name: "Email", exact: true }).fill("harbour.promoter@example.test");
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Hana Harbour");
    await page.getByLabel("First password").fill("harbour-password");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/users$/);
    const stored = await pool.query<{ role: string; organization: string }>(
      `SELECT u.role, o.name AS organization FROM users u JOIN organizations o ON o.id = u.organization_id WHERE u.email = 'harbour.promoter@example.test'`,
    );
    expect(stored.rows).toEqual([{ role: "PROMOTER", organization: "Harbour Live" }]);
    await page.getByPlaceholder("Search email or name").fill("harbour");
    await expect.poll(() => page.locator("table tbody tr").count(), POLL).toBe(1);
    await shot(page, "accounts");

    // The new promoter signs in: an empty console of their own, without the admins' menu.
    const promoter = await browser();
    await signIn(promoter.page, "harbour.promoter@example.test", "harbour-password");
    await promoter.page.getByRole("menuitem", { name: "Events" }).click();
    await promoter.page.getByText(/No Event yet|No events yet|No results/i).first().waitFor();
    expect(await promoter.page.getByRole("menuitem", { name: "Accounts" }).count()).toBe(0);

    // The admin disables the account.
    await openRow(page, "harbour.promoter@example.test", /\/users\/[^/]+$/);
    await page.getByLabel("Disabled (cannot sign in)").check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/users$/);
    await expect
      .poll(async () => (await pool.query(`SELECT disabled_at IS NOT NULL AS disabled FROM users WHERE email = 'harbour.promoter@example.test'`)).rows[0].disabled, POLL)
      .toBe(true);

    // The promoter's next request is refused and the console returns to the sign-in page, which then refuses them.
    await promoter.page.getByRole("menuitem", { name: "Venues" }).click();
    await promoter.page.getByRole("button", { name: "Sign in" }).waitFor(POLL);
    await signIn(promoter.page, "harbour.promoter@example.test", "harbour-password");
    await promoter.page.getByText("this account has been disabled", { exact: false }).waitFor(POLL);

    // The organization's page lists the account, disabled (straight to its address: the admin's tab may still be settling after the save).
    const organization = await pool.query<{ id: string }>(`SELECT id FROM organizations WHERE name = 'Harbour Live'`);
    await page.goto(`/#/organizations/${organization.rows[0]!.id}/show`);
    await page.getByRole("cell", { name: "harbour.promoter@example.test" }).waitFor(POLL);
    await shot(page, "organization");

    expect(admin.problems).toEqual([]);
  });
});
