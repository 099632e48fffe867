/**
 * Partner API keys in a real browser: a promoter makes a key with the catalogue:read scope, sees it
 * once, a partner calls the API with it, and the promoter revokes it: the next call is refused.
 * SCREENSHOTS=1 refreshes docs/screenshots/admin-api-keys.png.
 */
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

/** A partner's call, straight to the API as a partner's server would make it. */
async function partnerCall(key: string) {
  const response = await fetch(stack.api.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: "{ events(first: 3) { totalCount } }" }),
  });
  return (await response.json()) as { data?: { events: { totalCount: number } }; errors?: { extensions: { code: string } }[] };
}

describe("API keys", () => {
  it("a promoter makes a partner key, the partner uses it, and revoking it shuts the partner out", { timeout: 120_000 }, async () => {
    opened = await launchBrowser({ baseURL: stack.baseURL, viewport: { width: 1360, height: 800 } });
    const { page } = opened;
    await page.goto("/");
    await page.getByLabel("Email").fill("promoter@boxoffice.test");
    await page.getByLabel("Password").fill("promoter-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("menuitem", { name: "API keys" }).click();
    await page.getByText("No keys yet").waitFor(POLL);

    await page.getByRole("button", { name: "New key" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Ticket Hub");
    await dialog.getByRole("button", { name: "Make key" }).click();
    const key = (await dialog.getByTestId("new-api-key").textContent(POLL))!.trim();
    expect(key).toMatch(/^bo_live_/);
    await dialog.getByRole("button", { name: "Done" }).click();
    const row = page.getByRole("table", { name: "API keys" }).getByRole("row", { name: /Ticket Hub/ });
    await expect.poll(() => row.textContent(), POLL).toContain(key.slice(-4));
    expect(await row.textContent()).toContain("catalogue:read");

    const allowed = await partnerCall(key);
    expect(allowed.data!.events.totalCount).toBeGreaterThan(0);
    await page.reload();
    await expect.poll(() => row.textContent(), POLL).not.toContain("never");
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}admin-api-keys.png` });

    await row.getByRole("button", { name: "Revoke Ticket Hub" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => page.getByRole("table", { name: "API keys" }).textContent(), POLL).toContain("No keys yet");
    const refused = await partnerCall(key);
    expect(refused.errors![0]!.extensions.code).toBe("UNAUTHENTICATED");
    expect(opened.problems).toEqual([]);
  });
});
