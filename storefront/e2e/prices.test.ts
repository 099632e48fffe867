/**
 * All-in prices in a real browser (issue 27, "Prices"): the "from" price on an event card, the price of
 * that section in the event page's list and what checkout asks for one ticket of it are the same
 * figure, the API's; the breakdown behind each is one keyboard-reachable toggle away; a dynamically
 * priced section shows its all-in range and says its prices are dynamic.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../api/test/support/factories.js";
import { launchBrowser, type TestBrowser } from "./browser.js";
import { startStack, type Stack } from "./stack.js";

let stack: Stack;
const browsers: TestBrowser[] = [];

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((opened) => opened.close()));
  await stack?.stop();
});

interface Money {
  amount: number;
  currency: string;
}

interface ShownSection {
  section: { id: string; name: string; kind: string };
  price: Money;
  allInPrice: Money;
  allInFloor: Money;
  allInCeiling: Money;
  fees: { kind: string; amount: Money }[];
  dynamicPricing: boolean;
  available: number;
}

/** "$57.50" → 5750 (the storefront formats in the browser's locale, en-US here). */
const minorOf = (text: string) => Math.round(Number(/[\d,]+\.\d{2}/.exec(text)![0].replace(/,/g, "")) * 100);

/** Opens a "Price details" toggle with the keyboard and returns its panel; Escape closes it again. */
async function openDetails(page: Page, toggle: Locator): Promise<Locator> {
  await toggle.focus();
  await page.keyboard.press("Enter");
  expect(await toggle.getAttribute("aria-expanded")).toBe("true");
  const panel = page.locator(`[id="${await toggle.getAttribute("aria-controls")}"]`);
  await panel.waitFor({ state: "visible" });
  return panel;
}

describe("all-in prices", () => {
  it("the card's from price, the section list and the checkout total agree, and each breakdown opens", { timeout: 120_000 }, async () => {
    const eventId = stack.events.get("chicago-blaze-vs-detroit-ironworks")!;
    const { data } = await stack.api.query(
      `query($id: ID!) { event(id: $id) { name lowestAllInPrice { amount currency }
         sections { section { id name kind } price { amount currency } allInPrice { amount currency } allInFloor { amount currency }
           allInCeiling { amount currency } fees { kind amount { amount currency } } dynamicPricing available } } }`,
      { id: eventId },
    );
    const event = data!.event as { name: string; lowestAllInPrice: Money; sections: ShownSection[] };
    const cheapest = event.sections
      .filter((section) => section.available > 0)
      .reduce((best, section) => (section.allInPrice.amount < best.allInPrice.amount ? section : best));
    expect(event.lowestAllInPrice).toEqual(cheapest.allInPrice);
    // The fees are real: the all-in price is more than the base price, by exactly its fee lines.
    expect(cheapest.fees.map((fee) => fee.kind).sort()).toEqual(["FACILITY", "SERVICE"]);
    expect(cheapest.price.amount + cheapest.fees.reduce((sum, fee) => sum + fee.amount.amount, 0)).toBe(cheapest.allInPrice.amount);

    const fan = await launchBrowser({ baseURL: stack.baseURL });
    browsers.push(fan);
    const { token } = await createUser(stack.api);
    await fan.context.addInitScript((stored) => localStorage.setItem("boxoffice.token", stored), token);
    const page = fan.page;

    // 1. The card on the home page: "from <all-in> all-in", the breakdown behind its toggle.
    await page.goto("/");
    const card = page.locator(".event-card", { hasText: event.name });
    const cardPrice = card.getByTestId("card-price");
    await cardPrice.waitFor();
    const fromText = (await cardPrice.textContent())!;
    expect(fromText).toMatch(/^from \$[\d,.]+ all-in$/);
    expect(minorOf(fromText)).toBe(event.lowestAllInPrice.amount);
    const cardToggle = card.getByRole("button", { name: `Price details, ${event.name}` });
    const cardPanel = await openDetails(page, cardToggle);
    const cardLines = await cardPanel.locator(":scope > span").allTextContents();
    expect(cardLines.map((line) => line.replace(/\$[\d,.]+/, "").trim())).toEqual(["Ticket", "Service fee", "Facility fee", "All-in"]);
    expect(cardLines.map(minorOf)).toEqual([cheapest.price.amount, ...sortedFees(cheapest), cheapest.allInPrice.amount]);
    await page.keyboard.press("Escape");
    await cardPanel.waitFor({ state: "hidden" });
    expect(await cardToggle.getAttribute("aria-expanded")).toBe("false");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(`Price details, ${event.name}`);
    // Opening the details did not follow the card's link.
    expect(new URL(page.url()).pathname).toBe("/");

    // 2. The event page's section list: the same figure for that section, its range, the dynamic note.
    await card.getByRole("link").click();
    await page.locator("canvas[data-drawn]").waitFor();
    const row = page.locator(`li[data-section-id="${cheapest.section.id}"]`);
    expect(await row.getByTestId("section-price").textContent()).toBe(fromText.replace(/^from | all-in$/g, ""));
    expect(cheapest.dynamicPricing).toBe(true);
    const range = (await row.getByTestId("section-range").textContent())!;
    expect(range).toMatch(/^\$[\d,.]+ – \$[\d,.]+ all-in · prices are dynamic$/);
    expect(range.match(/\$[\d,.]+/g)!.map(minorOf)).toEqual([cheapest.allInFloor.amount, cheapest.allInCeiling.amount]);
    const sectionPanel = await openDetails(page, row.getByRole("button", { name: `Price details, Section ${cheapest.section.name}` }));
    expect((await sectionPanel.locator(":scope > span").allTextContents()).map(minorOf)).toEqual([
      cheapest.price.amount,
      ...sortedFees(cheapest),
      cheapest.allInPrice.amount,
    ]);
    // The map's legend states the all-in range of the prices on it.
    const allIn = event.sections.map((section) => section.allInPrice.amount);
    const legend = (await page.getByTestId("legend-price").textContent())!;
    expect(legend).toMatch(/per ticket, all-in \(fees included\)$/);
    expect(legend.match(/\$[\d,.]+/g)!.map(minorOf)).toEqual([Math.min(...allIn), Math.max(...allIn)]);

    // The seat tooltip of a seated section names its all-in price.
    const seated = event.sections.find((section) => section.section.kind === "SEATED" && section.available > 0)!;
    await page.getByRole("button", { name: new RegExp(`^Section ${seated.section.name}\\b`) }).click();
    const seat = page.locator(".seat-list button.seat-available").first();
    await seat.waitFor();
    const tooltip = (await seat.getAttribute("title"))!;
    expect(tooltip).toMatch(new RegExp(`^Section ${seated.section.name}, row .+, seat .+ · \\$[\\d,.]+ all-in$`));
    expect(minorOf(tooltip.split(" · ")[1]!)).toBe(seated.allInPrice.amount);

    // 3. One ticket of the cheapest section, held and at checkout: the same total.
    await page.getByRole("region", { name: "Best available" }).getByLabel("Section").selectOption(cheapest.section.id);
    await page.getByRole("region", { name: "Best available" }).getByLabel("Tickets").selectOption("1");
    await page.getByRole("button", { name: "Find seats" }).click();
    await page.getByRole("heading", { name: "Your seats are held" }).waitFor();
    await page.getByRole("link", { name: "Continue to checkout" }).click();
    await page.getByRole("heading", { name: "Checkout" }).waitFor();
    const total = (await page.getByTestId("total").textContent())!;
    expect(total).toBe(fromText.replace(/^from | all-in$/g, ""));
    expect(minorOf(total)).toBe(event.lowestAllInPrice.amount);
    expect(await page.getByRole("button", { name: /^Pay / }).textContent()).toBe(`Pay ${total}`);
    expect(fan.problems).toEqual([]);
  });
});

describe("live prices", () => {
  it("a price the promoter changes while the event page is open replaces the shown all-in price, without a reload", { timeout: 120_000 }, async () => {
    const eventId = stack.events.get("chicago-blaze-vs-detroit-ironworks")!;
    const { data } = await stack.api.query(
      `query($id: ID!) { event(id: $id) { sections { section { id name } price { amount } floor { amount } ceiling { amount } allInPrice { amount } available } } }`,
      { id: eventId },
    );
    type Priced = { section: { id: string; name: string }; price: Money; floor: Money; ceiling: Money; allInPrice: Money; available: number };
    const sections = (data!.event as { sections: Priced[] }).sections;
    const changed = sections.find((section) => section.available > 0 && section.ceiling.amount > section.price.amount)!;
    const newBase = Math.min(changed.ceiling.amount, changed.price.amount + 1_000);

    const fan = await launchBrowser({ baseURL: stack.baseURL });
    browsers.push(fan);
    const page = fan.page;
    await page.goto(`/events/${eventId}`);
    await page.locator("canvas[data-drawn]").waitFor();
    const shown = page.locator(`li[data-section-id="${changed.section.id}"]`).getByTestId("section-price");
    expect(minorOf((await shown.textContent())!)).toBe(changed.allInPrice.amount);
    const otherRows = sections.filter((section) => section.section.id !== changed.section.id);
    const othersBefore = await Promise.all(otherRows.map((section) => page.locator(`li[data-section-id="${section.section.id}"]`).getByTestId("section-price").textContent()));

    // The page has subscribed when it is drawn, but the subscription's first frame may still be on its
    // way: change the price until the page shows it (each change is the same new price, so a repeat is
    // harmless and the figure asserted is the API's answer, not a guess).
    const login = await stack.api.query(`mutation($input: LoginInput!) { login(input: $input) { token } }`, {
      input: { email: "admin@boxoffice.test", password: "admin-password" },
    });
    const adminToken = (login.data!.login as { token: string }).token;
    const override = async () => {
      const answer = await stack.api.query(
        `mutation($input: OverrideSectionPriceInput!) { overrideSectionPrice(input: $input) { eventSection { allInPrice { amount } } errors { code message } } }`,
        { input: { eventId, sectionId: changed.section.id, priceMinor: newBase, reason: "live price test" } },
        adminToken,
      );
      const payload = answer.data!.overrideSectionPrice as { eventSection: { allInPrice: Money } | null; errors: unknown[] };
      expect(payload.errors).toEqual([]);
      return payload.eventSection!.allInPrice.amount;
    };
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    const newAllIn = await override();
    expect(newAllIn).toBeGreaterThan(changed.allInPrice.amount);
    await expect
      .poll(async () => {
        const now = minorOf((await shown.textContent())!);
        if (now !== newAllIn) await override();
        return now;
      }, { timeout: 20_000, interval: 1_000 })
      .toBe(newAllIn);
    // Only that section changed, and the page was not reloaded to show it.
    expect(await Promise.all(otherRows.map((section) => page.locator(`li[data-section-id="${section.section.id}"]`).getByTestId("section-price").textContent()))).toEqual(othersBefore);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(fan.problems).toEqual([]);
  });
});

/** The fee amounts in the order the breakdown lists them: service, then facility. */
function sortedFees(section: ShownSection): number[] {
  const order = ["SERVICE", "FACILITY"];
  return [...section.fees].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind)).map((fee) => fee.amount.amount);
}
