/**
 * The seat-map builder and the event form in a real browser (Debian's Chromium) against the real stack:
 * a promoter makes a venue with the city picker, lays out a section with the builder's live preview
 * (the API then holds exactly those seats), edits a seat, is refused the removal of a sold seat, puts
 * an event on there with times typed in the VENUE's zone (the browser is put in Tokyo's to prove it),
 * prices its sections and blocks house seats. Prints the preview's redraw time at arena scale.
 * SCREENSHOTS=1 refreshes docs/screenshots/admin-{seat-map-builder,event-form,house-seats}.png.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type TestBrowser } from "../../storefront/e2e/browser.js";
import { checkout } from "../../api/test/checkout/checkout-helpers.js";
import { createUser } from "../../api/test/support/factories.js";
import { expectOk } from "../../api/test/support/test-api.js";
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

/** A promoter's browser, signed in, its clock in Tokyo (far from every seeded venue's zone). */
async function promoterPage(): Promise<TestBrowser> {
  const opened = await launchBrowser({ baseURL: stack.baseURL, viewport: { width: 1440, height: 1000 } });
  browsers.push(opened);
  const cdp = await opened.context.newCDPSession(opened.page);
  await cdp.send("Emulation.setTimezoneOverride", { timezoneId: "Asia/Tokyo" });
  const { page } = opened;
  await page.goto("/");
  await page.getByLabel("Email").fill("promoter@boxoffice.test");
  await page.getByLabel("Password").fill("promoter-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("Welcome, Pat Promoter").waitFor();
  return opened;
}

/** Clicks the map at a seat's map coordinates (the SVG's own transform gives the screen point). */
async function clickSeat(page: Page, mapName: string, seat: { x: number; y: number }) {
  const map = page.getByRole("img", { name: mapName });
  await map.scrollIntoViewIfNeeded();
  const point = await map.evaluate((svg, at) => {
    const screen = new DOMPoint(at.x, at.y).matrixTransform((svg as SVGSVGElement).getScreenCTM()!);
    return { x: screen.x, y: screen.y };
  }, seat);
  await page.mouse.click(point.x, point.y);
}

/**
 * Types into a builder input and measures until the preview shows `seats`, two animation frames later
 * (the frame that drew it has been painted): the time from keystroke to a redrawn map.
 */
async function timedPreview(page: Page, label: string, value: string, seats: number): Promise<number> {
  const input = page.getByRole("form", { name: "Seat-map builder" }).getByLabel(label, { exact: true });
  await input.waitFor();
  return input.evaluate(
    (element, { value, seats }) =>
      new Promise<number>((resolve) => {
        const start = performance.now();
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
        setter.call(element, value);
        element.dispatchEvent(new Event("input", { bubbles: true }));
        const check = () => {
          if (document.querySelector("[data-preview-seats]")?.getAttribute("data-preview-seats") === String(seats)) {
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
          } else requestAnimationFrame(check);
        };
        check();
      }),
    { value, seats },
  );
}

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await Promise.all(browsers.map((opened) => opened.close()));
  await stack?.stop();
});

describe("seat-map builder and event form", () => {
  it("a promoter creates a venue from the city picker and lays out a section with the builder's live preview", { timeout: 180_000 }, async () => {
    const db = stack.api.app.db.pool;
    const { page, problems } = await promoterPage();
    await page.goto("/#/venues/create");
    await page.getByLabel("Name").fill("Riverside Bowl");
    await page.getByLabel("City").fill("Chic");
    await page.getByRole("option", { name: /^Chicago, US · America\/Chicago$/ }).click();
    expect(await page.getByLabel("Country").inputValue()).toBe("US");
    expect(await page.getByLabel("Timezone").inputValue()).toBe("America/Chicago");
    expect(Number(await page.getByLabel("Latitude").inputValue())).toBeCloseTo(41.9, 0);
    // A zone Intl does not know is refused before saving.
    await page.getByLabel("Timezone").fill("America/Chicagoo");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Not a time zone").waitFor();
    await page.getByLabel("Timezone").fill("America/Chicago");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/venues\/[0-9a-f-]+\/show/);
    const { rows: venues } = await db.query<{ id: string; city: string; country: string; timezone: string }>(`SELECT id, city, country, timezone FROM venues WHERE name = 'Riverside Bowl'`);
    expect(venues).toEqual([{ id: expect.any(String), city: "Chicago", country: "US", timezone: "America/Chicago" }]);

    // A seated section starts as a small grid, then the builder opens on it.
    await page.getByRole("button", { name: "Add a section" }).click();
    await page.getByLabel("Section name").fill("Bowl");
    await page.getByLabel("Rows").fill("2");
    await page.getByLabel("Seats per row").fill("5");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const builder = page.getByRole("form", { name: "Seat-map builder" });
    const status = builder.getByRole("status");
    await expect.poll(() => status.textContent(), POLL).toBe("Preview: 10 seats in 2 rows (replaces 10)");
    await builder.getByLabel("Rows", { exact: true }).fill("12");
    await builder.getByLabel("Seats per row", { exact: true }).fill("30");
    await builder.getByLabel("Curvature", { exact: true }).fill("0.35");
    await builder.getByLabel("Aisles after seats").fill("10, 20");
    await builder.getByLabel("Accessible (wheelchair) seats").fill("A-1, A-2, A-30");
    await builder.getByLabel("Restricted-view seats").fill("L-1, L-30");
    await expect.poll(() => status.textContent(), POLL).toBe("Preview: 360 seats in 12 rows (replaces 10)");
    // The map draws exactly the previewed seats (the section's current 10 are hidden while building).
    expect(await page.getByRole("img", { name: "Venue map" }).getAttribute("data-seat-count")).toBe("360");
    // The builder refuses what the API would refuse, with the API's own message.
    await builder.getByLabel("Aisles after seats").fill("10, 30");
    await builder.getByText("aisles are seat positions between 1 and 29").waitFor();
    expect(await builder.getByRole("button", { name: "Generate" }).isDisabled()).toBe(true);
    await builder.getByLabel("Aisles after seats").fill("10, 20");
    await expect.poll(() => status.textContent(), POLL).toBe("Preview: 360 seats in 12 rows (replaces 10)");
    await builder.scrollIntoViewIfNeeded();
    await shot(page, "seat-map-builder");
    await builder.getByRole("button", { name: "Generate" }).click();
    await page.getByText("Section Bowl: 360 seats generated").waitFor();

    const seatsOf = async () =>
      (
        await db.query<{ row: string; number: number; x: number; y: number; accessible: boolean; restricted_view: boolean }>(
          `SELECT r.label AS row, st.number, st.x::float8 AS x, st.y::float8 AS y, st.accessible, st.restricted_view
           FROM seats st JOIN seat_rows r ON r.id = st.row_id JOIN sections s ON s.id = st.section_id
           WHERE s.venue_id = $1 AND s.name = 'Bowl' ORDER BY r.sort_order, st.number`,
          [venues[0]!.id],
        )
      ).rows;
    const stored = await seatsOf();
    expect(stored).toHaveLength(360);
    expect(stored.filter((seat) => seat.accessible).map((seat) => `${seat.row}-${seat.number}`)).toEqual(["A-1", "A-2", "A-30"]);
    expect(stored.filter((seat) => seat.restricted_view).map((seat) => `${seat.row}-${seat.number}`)).toEqual(["L-1", "L-30"]);
    await expect.poll(() => page.getByRole("img", { name: "Venue map" }).getAttribute("data-seat-count"), POLL).toBe("360");

    // One seat: A-2 loses its wheelchair flag and gets a restricted view.
    const seatA2 = stored.find((seat) => seat.row === "A" && seat.number === 2)!;
    await clickSeat(page, "Venue map", seatA2);
    const panel = page.getByRole("form", { name: "Seat" });
    await panel.getByText("Section Bowl · row A · seat 2").waitFor();
    await panel.getByLabel("Accessible (wheelchair)").uncheck();
    await panel.getByLabel("Restricted view").check();
    await panel.getByRole("button", { name: "Save seat" }).click();
    await page.getByText("Seat A-2 saved").waitFor();
    const edited = (await seatsOf()).find((seat) => seat.row === "A" && seat.number === 2)!;
    expect([edited.accessible, edited.restricted_view]).toEqual([false, true]);

    // A general-admission section: added with a capacity, resized, then deleted.
    await page.getByRole("button", { name: "Add a section" }).click();
    await page.getByLabel("Section name").fill("Lawn");
    await page.getByRole("dialog").getByLabel("Kind").click();
    await page.getByRole("option", { name: "General admission" }).click();
    await page.getByRole("dialog").getByLabel("Capacity").fill("200");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const lawn = page.locator('tr[data-section="Lawn"]');
    await lawn.waitFor();
    await lawn.getByRole("button", { name: "Edit" }).click();
    await page.getByRole("dialog").getByLabel("Capacity (places)").fill("250");
    await page.getByRole("dialog").getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Section Lawn saved").waitFor();
    const gaCapacity = () => db.query(`SELECT capacity FROM sections WHERE venue_id = $1 AND name = 'Lawn'`, [venues[0]!.id]).then((result) => result.rows);
    expect(await gaCapacity()).toEqual([{ capacity: 250 }]);
    await lawn.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
    await page.getByText("Section Lawn deleted").waitFor();
    expect(await gaCapacity()).toEqual([]);

    // Arena scale: the builder's preview of an 18,000-seat section beside the seeded arena's ~19,000 seats.
    const { rows: arena } = await db.query<{ id: string; section: string }>(
      `SELECT v.id, s.name AS section FROM venues v JOIN sections s ON s.venue_id = v.id WHERE v.name = 'Lakeshore Arena' AND s.kind = 'SEATED' ORDER BY s.sort_order LIMIT 1`,
    );
    await page.goto(`/#/venues/${arena[0]!.id}/show`);
    await expect.poll(async () => Number(await page.getByRole("img", { name: "Venue map" }).getAttribute("data-seat-count")), { timeout: 30_000 }).toBeGreaterThan(18_000);
    await page.locator(`tr[data-section="${arena[0]!.section}"]`).getByRole("button", { name: "Build seats" }).click();
    await timedPreview(page, "Seats per row", "200", 200 * Number(await page.getByRole("form", { name: "Seat-map builder" }).getByLabel("Rows", { exact: true }).inputValue()));
    const rowsMs = await timedPreview(page, "Rows", "90", 18_000);
    const curveMs = await timedPreview(page, "Curvature", "0.6", 18_000);
    const angleMs = await timedPreview(page, "Angle (degrees)", "15", 18_000);
    const drawn = Number(await page.getByRole("img", { name: "Venue map" }).getAttribute("data-seat-count"));
    console.log(`seat-map preview, 18,000 previewed seats + the arena's other seats (${drawn} drawn): keystroke to painted frame ${rowsMs.toFixed(0)} ms (rows), ${curveMs.toFixed(0)} ms (curvature), ${angleMs.toFixed(0)} ms (angle)`);
    expect(Math.max(rowsMs, curveMs, angleMs)).toBeLessThan(2000);
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(problems).toEqual([]);
  });

  it("a promoter is refused the removal of a seat a fan bought, with the reason", { timeout: 120_000 }, async () => {
    const db = stack.api.app.db.pool;
    const { rows: events } = await db.query<{ id: string; venue_id: string }>(`SELECT id, venue_id FROM events WHERE name = 'Late Night Laughs'`);
    const event = events[0]!;
    const { rows: seats } = await db.query<{ id: string; row: string; number: number; x: number; y: number }>(
      `SELECT st.id, r.label AS row, st.number, st.x::float8 AS x, st.y::float8 AS y FROM event_seats es JOIN seats st ON st.id = es.seat_id JOIN seat_rows r ON r.id = st.row_id
       WHERE es.event_id = $1 AND es.status = 'AVAILABLE' ORDER BY r.sort_order, st.number LIMIT 1`,
      [event.id],
    );
    const seat = seats[0]!;
    // A fan buys it through the API: hold, then checkout with the test card.
    const fan = await createUser(stack.api);
    const held = expectOk(
      (
        await stack.api.query(`mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id } errors { code message field } } }`, { input: { eventId: event.id, seatIds: [seat.id], requestKey: randomUUID() } }, fan.token)
      ).data!.holdSeats,
    ).hold;
    expectOk(await checkout(stack.api, fan.token, { holdId: held.id }));
    expect((await db.query(`SELECT status::text FROM event_seats WHERE event_id = $1 AND seat_id = $2`, [event.id, seat.id])).rows).toEqual([{ status: "SOLD" }]);

    const { page, problems } = await promoterPage();
    await page.goto(`/#/venues/${event.venue_id}/show`);
    await expect.poll(async () => Number(await page.getByRole("img", { name: "Venue map" }).getAttribute("data-seat-count")), POLL).toBeGreaterThan(1000);
    await clickSeat(page, "Venue map", seat);
    const panel = page.getByRole("form", { name: "Seat" });
    await panel.getByText(`row ${seat.row} · seat ${seat.number}`).waitFor();
    await panel.getByRole("button", { name: "Remove seat" }).click();
    const alert = panel.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe(`1 seat is sold or held for an event (e.g. row ${seat.row} seat ${seat.number}); they cannot be removed`);
    expect((await db.query(`SELECT count(*)::int AS n FROM seats WHERE id = $1`, [seat.id])).rows).toEqual([{ n: 1 }]);

    // The same seat cannot be made a house seat either: the event's map rings it and names it.
    await page.goto(`/#/events/${event.id}/show`);
    await page.getByRole("img", { name: "Event seat map" }).waitFor(POLL);
    await clickSeat(page, "Event seat map", seat);
    await page.getByRole("button", { name: "Block selected", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: `Refused: ${seat.row}-${seat.number} (sold)` }).waitFor();
    // The pricing dialog is opaque from its first frame (it used to fade in see-through).
    await page.getByRole("button", { name: /^Pricing for section/ }).first().click();
    const paper = page.getByRole("dialog"); // MUI puts the dialog role on the paper itself
    await paper.waitFor();
    expect(await paper.evaluate((element) => [getComputedStyle(element).backgroundColor, getComputedStyle(element.closest(".MuiDialog-container")!).opacity])).toEqual(["rgb(255, 255, 255)", "1"]);
    // react-admin logs a rejected data-provider call to the console: only the two expected refusals may appear.
    expect(problems.filter((problem) => !problem.includes("they cannot be removed") && !problem.includes("only AVAILABLE seats can be blocked"))).toEqual([]);
  });

  it("a promoter creates an event with times in the venue's zone, sets section prices and blocks two house seats", { timeout: 180_000 }, async () => {
    const db = stack.api.app.db.pool;
    const { page, problems } = await promoterPage();
    await page.goto("/#/events/create");
    await page.getByLabel("Name").fill("Riverside Nights");
    await page.getByLabel("Artist").fill("The Currents");
    await page.getByLabel("Category").click();
    await page.getByRole("option", { name: "Concert" }).click();
    await page.getByLabel("Venue").click();
    await page.getByRole("option", { name: "Riverside Bowl" }).click();
    await page.locator("[data-zone='America/Chicago']").waitFor();
    await page.getByLabel("Starting price per section (minor units)").fill("4500");
    await page.getByLabel("Starts (America/Chicago)").fill("2027-07-01T20:00");
    await page.getByLabel("Ends (America/Chicago)").fill("2027-07-01T23:00");
    // 02:30 on 14 March 2027 does not exist in Chicago (the clocks go forward at 02:00).
    await page.getByLabel("Sale opens (America/Chicago)").fill("2027-03-14T02:30");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("This time does not exist in America/Chicago").waitFor();
    await page.getByLabel("Sale opens (America/Chicago)").fill("2027-03-14T10:00");
    await page.getByText("CDT (UTC\u221205:00) = 2027-03-14 15:00 UTC").waitFor();
    await page.getByLabel("Hold duration (seconds)").fill("30");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("At least a minute").waitFor();
    await page.getByLabel("Hold duration (seconds)").fill("480");
    await page.getByLabel("Shoppers at once").fill("250");
    await page.getByLabel("Admit every (seconds)").fill("3");
    await page.getByLabel("Waiting room").check();
    await shot(page, "event-form", true);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Riverside Nights" }).waitFor();
    const { rows: created } = await db.query(
      `SELECT id, status, starts_at, ends_at, on_sale_at, hold_duration_seconds, waiting_room_enabled, waiting_room_max_active_shoppers, waiting_room_admission_interval_seconds
       FROM events WHERE name = 'Riverside Nights'`,
    );
    // 20:00 CDT is 01:00 UTC the next day; 10:00 on the first day of summer time is 15:00 UTC.
    expect(created).toEqual([
      {
        id: expect.any(String),
        status: "DRAFT",
        starts_at: new Date("2027-07-02T01:00:00Z"),
        ends_at: new Date("2027-07-02T04:00:00Z"),
        on_sale_at: new Date("2027-03-14T15:00:00Z"),
        hold_duration_seconds: 480,
        waiting_room_enabled: true,
        waiting_room_max_active_shoppers: 250,
        waiting_room_admission_interval_seconds: 3,
      },
    ]);
    const eventId = created[0]!.id as string;
    await page.getByText("Thu, 1 Jul 2027, 20:00 CDT").waitFor();

    // The edit form shows the same wall clock, in the venue's zone, not Tokyo's.
    await page.goto(`/#/events/${eventId}`);
    await expect.poll(() => page.getByLabel("Starts (America/Chicago)").inputValue(), POLL).toBe("2027-07-01T20:00");
    await page.getByLabel("Pricing curve").click();
    await page.getByRole("option", { name: /^Linear/ }).click();
    await page.getByLabel("Sell-out target (America/Chicago)").fill("2027-06-30T12:00");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Riverside Nights" }).waitFor();
    await expect
      .poll(async () => (await db.query(`SELECT pricing_curve::text AS curve, pricing_sell_out_at AS sell_out_by FROM events WHERE id = $1`, [eventId])).rows[0], POLL)
      .toEqual({ curve: "LINEAR", sell_out_by: new Date("2027-06-30T17:00:00Z") });

    // Section prices.
    await page.getByRole("button", { name: "Set section prices" }).click();
    await page.getByLabel("Section Bowl (USD)").fill("52.50");
    await page.getByRole("button", { name: "Save prices" }).click();
    await page.getByText("1 section price saved").waitFor();
    const price = await db.query(
      `SELECT es.price_minor FROM event_sections es JOIN sections s ON s.id = es.section_id WHERE es.event_id = $1 AND s.name = 'Bowl'`,
      [eventId],
    );
    expect(price.rows).toEqual([{ price_minor: 5250 }]);

    // Two house seats picked on the event's map.
    const { rows: pick } = await db.query<{ id: string; x: number; y: number }>(
      `SELECT st.id, st.x::float8 AS x, st.y::float8 AS y FROM seats st JOIN seat_rows r ON r.id = st.row_id JOIN sections s ON s.id = st.section_id
       WHERE s.name = 'Bowl' AND s.venue_id = (SELECT venue_id FROM events WHERE id = $1) AND r.label = 'F' AND st.number IN (15, 16) ORDER BY st.number`,
      [eventId],
    );
    await clickSeat(page, "Event seat map", pick[0]!);
    await clickSeat(page, "Event seat map", pick[1]!);
    await page.getByText("2 selected: F-15 (available), F-16 (available)").waitFor();
    await page.getByRole("heading", { name: "House seats" }).scrollIntoViewIfNeeded();
    await shot(page, "house-seats");
    await page.getByRole("button", { name: "Block selected", exact: true }).click();
    await page.getByText("2 seats blocked").waitFor();
    const blocked = await db.query(`SELECT seat_id FROM event_seats WHERE event_id = $1 AND status = 'BLOCKED' ORDER BY seat_id`, [eventId]);
    expect(blocked.rows.map((row) => row.seat_id)).toEqual(pick.map((seat) => seat.id).sort());
    await page.getByText("Blocked (house): 2").waitFor();
    expect(problems).toEqual([]);
  });
});
