/**
 * The smaller fan promises of issue 27, in Chromium against the real stack: a presale access code
 * typed on the waiting-room page (a refused code says so in words, never the API's text), and the
 * ticket page the confirmation email's QR code opens, which names the real rotation period of the
 * entry code (BARCODE_ROTATION_SECONDS, 7 here, so no default could pass for it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkout, hold, sale } from "../../api/test/checkout/checkout-helpers.js";
import { createUser } from "../../api/test/support/factories.js";
import { presaleCodeHash } from "../../api/src/waiting-room/waiting-room.db.js";
import { launchBrowser, type TestBrowser } from "./browser.js";
import { startStack, type Stack } from "./stack.js";

const PRESALE_CODE_REFUSED =
  "That presale code isn't valid for this event, or it has already been used. Check the code and try again, or join the general queue without a code.";

let stack: Stack;
const browsers: TestBrowser[] = [];

async function browser(token: string): Promise<TestBrowser> {
  const opened = await launchBrowser({ baseURL: stack.baseURL });
  await opened.context.addInitScript((value) => localStorage.setItem("boxoffice.token", value), token);
  browsers.push(opened);
  return opened;
}

beforeAll(async () => {
  stack = await startStack({ BARCODE_ROTATION_SECONDS: "7" });
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((opened) => opened.close()));
  await stack?.stop();
});

describe("presale access code on the waiting-room page", () => {
  it("a wrong or used code is refused in words and joins nothing; a good code joins the presale lane; no code joins the pre-queue", { timeout: 90_000 }, async () => {
    // Before its on-sale, with a presale: presale fans queue at once, everyone else waits for the draw.
    const eventId = stack.events.get("aurora-skies-reunion-chicago")!;
    const pool = stack.api.app.db.pool;
    await pool.query(`UPDATE events SET presale_enabled = true WHERE id = $1`, [eventId]);
    const { rows: codes } = await pool.query<{ id: string }>(
      `INSERT INTO presale_access (event_id, kind, code_hash, max_uses) VALUES ($1, 'ACCESS_CODE', $2, 1) RETURNING id`,
      [eventId, presaleCodeHash("AURORA-FIRST")],
    );
    const usedCount = async () => (await pool.query<{ used: number }>(`SELECT used_count AS used FROM presale_access WHERE id = $1`, [codes[0]!.id])).rows[0]!.used;
    const room = stack.api.app.waitingRoom;
    const queued = async (userId: string) => room.redis.hget(room.keys.waitingRoom(eventId).users, userId);

    const first = await createUser(stack.api);
    const fan = await browser(first.token);
    await fan.page.goto(`/events/${eventId}/queue`);
    const code = fan.page.getByLabel("Presale access code");
    await code.fill("NOT-A-CODE");
    await fan.page.getByRole("button", { name: "Join the presale" }).click();
    const refused = fan.page.getByRole("alert");
    await refused.waitFor();
    expect(await refused.textContent()).toBe(PRESALE_CODE_REFUSED);
    expect(await code.getAttribute("aria-invalid")).toBe("true");
    expect(await usedCount()).toBe(0);
    expect(await queued(first.id)).toBeNull();

    // Codes are typed in any case, with stray spaces.
    await code.fill("  aurora-first ");
    await fan.page.getByRole("button", { name: "Join the presale" }).click();
    await fan.page.getByText("Presale access").waitFor();
    await fan.page.getByTestId("queue-position").waitFor();
    expect(await fan.page.getByRole("alert").count()).toBe(0);
    expect(await usedCount()).toBe(1);
    expect(await queued(first.id)).not.toBeNull();
    expect(fan.problems).toEqual([]);

    // The code had one use: the next fan is told the same, and can still join without it.
    const second = await createUser(stack.api);
    const other = await browser(second.token);
    await other.page.goto(`/events/${eventId}/queue`);
    await other.page.getByLabel("Presale access code").fill("AURORA-FIRST");
    await other.page.getByRole("button", { name: "Join the presale" }).click();
    await other.page.getByRole("alert").filter({ hasText: PRESALE_CODE_REFUSED }).waitFor();
    expect(await usedCount()).toBe(1);
    expect(await queued(second.id)).toBeNull();
    await other.page.getByRole("button", { name: "Join without a code" }).click();
    await other.page.getByText("You're in the pre-queue").waitFor();
    expect(await other.page.getByText("Presale access").count()).toBe(0);
    expect(other.problems).toEqual([]);
  });
});

describe("the ticket page", () => {
  it("opened from the email's QR link, shows that ticket and says its code refreshes every 7 seconds, as the API rotates it", { timeout: 60_000 }, async () => {
    const { eventId, seatIds } = await sale(stack.api);
    const buyer = await createUser(stack.api);
    const held = await hold(stack.api, buyer.token, { eventId, seatIds: seatIds.slice(0, 2) });
    const order = (await checkout(stack.api, buyer.token, { holdId: held.id })).order as { id: string; tickets: { id: string }[] };
    const [, second] = order.tickets;

    const fan = await browser(buyer.token);
    // The path the confirmation email's QR code encodes (api/src/outbox/outbox.email.ts, ticketPageUrl).
    await fan.page.goto(`/orders/${order.id}?ticket=${second!.id}`);
    // The page's code (and Apollo's) loads after the document's load event, so allow more than poll's 1 s.
    await expect.poll(() => fan.page.locator("canvas.qr").count(), { timeout: 10_000 }).toBe(2);
    const focused = fan.page.locator("[data-ticket-id][aria-current='true']");
    expect(await focused.getAttribute("data-ticket-id")).toBe(second!.id);
    expect(await focused.isVisible()).toBe(true);
    const notes = await fan.page.locator(".ticket .muted").allTextContents();
    expect(notes).toEqual(Array(2).fill("Show this code at the door. It refreshes every 7 seconds; screenshots won't scan."));
    expect(fan.problems).toEqual([]);
  });
});
