/**
 * Presale tools in a real browser: a promoter makes access codes on an event's page (shown once,
 * stored hashed) and uploads a verified-fan CSV; the page reports what was added and what was not,
 * and the database holds exactly that. SCREENSHOTS=1 refreshes docs/screenshots/admin-presale.png.
 */
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type TestBrowser } from "../../storefront/e2e/browser.js";
import { startStack, type Stack } from "./stack.js";

const SCREENSHOTS = process.env.SCREENSHOTS === "1" ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url)) : null;
if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
const POLL = { timeout: 15_000 };

let stack: Stack;
let opened: TestBrowser | undefined;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await opened?.close();
  await stack?.stop();
});

describe("presale", () => {
  it("a promoter makes access codes and uploads verified fans for an event", { timeout: 120_000 }, async () => {
    const pool = stack.api.app.db.pool;
    const eventName = "Nova Lights — Afterglow World Tour";
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM events WHERE name = $1`, [eventName]);
    const eventId = rows[0]!.id;

    opened = await launchBrowser({ baseURL: stack.baseURL, viewport: { width: 1360, height: 1000 } });
    const { page } = opened;
    await page.goto("/");
    await page.getByLabel("Email").fill("promoter@boxoffice.test");
    await page.getByLabel("Password").fill("promoter-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("menuitem", { name: "Events" }).click();
    await page.getByRole("cell", { name: eventName, exact: true }).click();
    const panel = page.getByRole("region", { name: "Presale" });
    await panel.getByTestId("presale-summary").waitFor(POLL);

    await panel.getByRole("button", { name: "Make access codes" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("How many codes").fill("5");
    await dialog.getByRole("button", { name: "Make codes" }).click();
    const codes = (await dialog.getByTestId("presale-codes").textContent({ timeout: 15_000 }))!.trim().split("\n");
    expect(codes).toHaveLength(5);
    const stored = await pool.query<{ hash: string }>(`SELECT code_hash AS hash FROM presale_access WHERE event_id = $1 AND kind = 'ACCESS_CODE'`, [eventId]);
    expect(stored.rows.map((row) => row.hash).sort()).toEqual(codes.map((code) => createHash("sha256").update(code).digest("hex")).sort());
    await dialog.getByRole("button", { name: "Done" }).click();

    const csv = ["First name,Email", "Frankie,FAN@boxoffice.test", "Sam,fan2@boxoffice.test", "Ghost,ghost@example.test", "Typo,not-an-email", "Frankie again,fan@boxoffice.test", ""].join("\n");
    await panel.getByTestId("verified-fans-file").setInputFiles({ name: "verified-fans.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    const report = panel.getByTestId("verified-fans-report");
    await report.waitFor(POLL);
    // Every row accounted for, the repeated one too.
    expect(await report.textContent()).toMatch(/Read 5 rows: added 2 fans, 0 already listed, 1 line repeats an email given above \(counted once\)\..*1 email has no account.*ghost@example\.test.*line 5/s);
    await expect.poll(() => panel.getByTestId("presale-summary").textContent(), POLL).toMatch(/5 codes.*2 verified fans/);
    const listed = await pool.query<{ email: string }>(
      `SELECT u.email FROM presale_access p JOIN users u ON u.id = p.user_id WHERE p.event_id = $1 AND p.kind = 'VERIFIED_FAN' ORDER BY u.email`,
      [eventId],
    );
    expect(listed.rows.map((row) => row.email)).toEqual(["fan2@boxoffice.test", "fan@boxoffice.test"]);
    await panel.scrollIntoViewIfNeeded();
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}admin-presale.png` });
    expect(opened.problems).toEqual([]);
  });
});
