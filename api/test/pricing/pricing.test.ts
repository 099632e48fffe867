import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganization, createUser } from "../support/factories.js";
import { collect, expectError, expectGraphQLError, expectOk, startTestApi, subscribed, type TestApi } from "../support/test-api.js";
import {
  CLEAR_OVERRIDE,
  EVENT_PRICING,
  history,
  OVERRIDE,
  PAUSE,
  pricedEvent,
  sectionRow,
  UPDATE_EVENT_PRICING,
  UPDATE_SECTION_PRICING,
} from "./pricing-helpers.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" } });
});
afterAll(async () => {
  await api.stop();
});

const HISTORY = `query($id: ID!, $first: Int, $after: String) {
  event(id: $id) {
    sections {
      section { id }
      priceHistory(first: $first, after: $after) {
        edges { cursor node { price { amount currency } previousPrice { amount } at actor reasonCodes explanation } }
        pageInfo { hasNextPage endCursor }
        totalCount
      }
    }
  }
}`;

describe("public pricing fields", () => {
  it("show the rules, the all-in price and its per-ticket fees", async () => {
    const { pool, eventId, sectionId } = await pricedEvent(api, { priceMinor: 4999 });
    await pool.query(
      `UPDATE event_sections SET dynamic_pricing = true, max_step_basis_points = 750 WHERE event_id = $1 AND section_id = $2`,
      [eventId, sectionId],
    );
    const response = await api.query(EVENT_PRICING, { id: eventId });
    expect(response.errors).toBeUndefined();
    const event = response.data!.event;
    expect(event.dynamicPricing).toBe(true);
    expect(event.pricingFreezeMinutes).toBe(60);
    expect(event.pricingCurve).toBe("FRONT_LOADED");
    expect(event.sellOutBy).toBeNull();
    // 4999 → service 10% = 499.9 → 500 per ticket; facility 250. Range: floor 2499 → 2499+250+250, ceiling 9998 → 9998+1000+250.
    expect(event.dynamicPriceRange).toEqual({ minAllIn: { amount: 2999, currency: "USD" }, maxAllIn: { amount: 11_248, currency: "USD" } });
    const seated = event.sections.find((section: any) => section.section.id === sectionId);
    expect(seated).toEqual({
      section: { id: sectionId },
      price: { amount: 4999, currency: "USD" },
      dynamicPricing: true,
      floor: { amount: 2499 },
      ceiling: { amount: 9998 },
      maxStepPercent: 7.5,
      pricingPaused: false,
      priceOverridden: false,
      allInPrice: { amount: 5749, currency: "USD" },
      fees: [
        { kind: "SERVICE", amount: { amount: 500, currency: "USD" } },
        { kind: "FACILITY", amount: { amount: 250, currency: "USD" } },
      ],
    });
    const ga = event.sections.find((section: any) => section.section.id !== sectionId);
    expect(ga.dynamicPricing).toBe(false);
  });

  it("an event without dynamic sections says so and has no dynamic range", async () => {
    const { eventId } = await pricedEvent(api);
    const event = (await api.query(EVENT_PRICING, { id: eventId })).data!.event;
    expect(event.dynamicPricing).toBe(false);
    expect(event.dynamicPriceRange).toBeNull();
  });

  it("reads the pricing of every section of many events in a fixed number of statements", async () => {
    for (let index = 0; index < 3; index++) await pricedEvent(api);
    const query = `query($first: Int) { events(first: $first) { edges { node { id dynamicPricing pricingCurve dynamicPriceRange { minAllIn { amount } }
      sections { dynamicPricing floor { amount } allInPrice { amount } fees { kind } priceHistory(first: 2) { edges { node { actor } } } } } } } }`;
    const statementsFor = async (first: number) => {
      api.statements.length = 0;
      const response = await api.query(query, { first });
      expect(response.errors).toBeUndefined();
      expect(response.data!.events.edges).toHaveLength(first);
      return api.statements.length;
    };
    await statementsFor(3); // warm the availability cache
    const one = await statementsFor(1);
    const three = await statementsFor(3);
    // events page, event sections, section pricing, event fees, event pacing, price history pages.
    expect(three).toBe(6);
    expect(one).toBe(three);
  });
});

describe("priceHistory", () => {
  it("pages newest first with opaque cursors and shows the actor, never the promoter", async () => {
    const { pool, eventId, sectionId, promoter } = await pricedEvent(api);
    await pool.query(
      `INSERT INTO price_history (event_id, section_id, price_minor, previous_price_minor, reason, actor_user_id, reason_codes, explanation, created_at)
       VALUES ($1, $2, 5000, NULL, 'initial', NULL, '{}', '', now() - interval '3 minutes'),
              ($1, $2, 5300, 5000, 'pricing-engine', NULL, '{STEP_CLAMPED_UP}', '+6%: selling fast', now() - interval '2 minutes'),
              ($1, $2, 6000, 5300, 'promoter', $3, '{OVERRIDE}', 'Set by the promoter: fan night', now() - interval '1 minute')`,
      [eventId, sectionId, promoter.id],
    );
    const page = async (variables: Record<string, unknown>) => {
      const response = await api.query(HISTORY, { id: eventId, ...variables });
      expect(response.errors).toBeUndefined();
      return response.data!.event.sections.find((section: any) => section.section.id === sectionId).priceHistory;
    };
    const first = await page({ first: 2 });
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.edges.map((edge: any) => [edge.node.price.amount, edge.node.previousPrice?.amount ?? null, edge.node.actor, edge.node.reasonCodes])).toEqual([
      [6000, 5300, "PROMOTER", ["OVERRIDE"]],
      [5300, 5000, "ENGINE", ["STEP_CLAMPED_UP"]],
    ]);
    expect(first.edges[1].node.explanation).toBe("+6%: selling fast");
    expect(JSON.stringify(first)).not.toContain(promoter.id);
    const second = await page({ first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((edge: any) => [edge.node.price.amount, edge.node.previousPrice, edge.node.actor])).toEqual([[5000, null, "INITIAL"]]);
    expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: second.edges[0].cursor });
    // The default page is 20.
    expect((await page({})).edges).toHaveLength(3);
  });

  it("rejects page sizes outside 1..100 and foreign cursors with VALIDATION", async () => {
    const { eventId } = await pricedEvent(api);
    // Both sections of the event answer the same error.
    const expectValidation = (response: Awaited<ReturnType<TestApi["query"]>>) => {
      expect(response.errors?.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([
        ["VALIDATION", expect.any(String)],
        ["VALIDATION", expect.any(String)],
      ]);
      expect(JSON.stringify(response)).not.toMatch(/stacktrace|\n\s+at /);
    };
    for (const first of [0, 101, -1]) expectValidation(await api.query(HISTORY, { id: eventId, first }));
    expectValidation(await api.query(HISTORY, { id: eventId, after: "not-a-cursor" }));
    expectValidation(await api.query(HISTORY, { id: eventId, after: Buffer.from(JSON.stringify(["1 OR 1=1"])).toString("base64url") }));
    expect((await api.query(HISTORY, { id: eventId, first: 100 })).errors).toBeUndefined();
    expect((await api.query(HISTORY, { id: eventId, first: 1 })).errors).toBeUndefined();
  });
});

describe("who may change prices", () => {
  it("a fan is FORBIDDEN by the guard and an anonymous caller UNAUTHENTICATED; nothing changes", async () => {
    const { pool, eventId, sectionId } = await pricedEvent(api);
    const before = await sectionRow(pool, eventId, sectionId);
    const fan = await createUser(api);
    const input = { eventId, sectionId, priceMinor: 6000, reason: "fan night" };
    expectGraphQLError(await api.query(OVERRIDE, { input }, fan.token), "FORBIDDEN");
    expectGraphQLError(await api.query(OVERRIDE, { input }), "UNAUTHENTICATED");
    expect(await sectionRow(pool, eventId, sectionId)).toEqual(before);
    expect(await history(pool, eventId, sectionId)).toEqual([]);
  });

  it("another organization's promoter gets FORBIDDEN on every mutation and nothing changes", async () => {
    const { pool, eventId, sectionId } = await pricedEvent(api);
    const other = await createUser(api, { role: "PROMOTER", organizationId: await createOrganization(pool) });
    const before = await sectionRow(pool, eventId, sectionId);
    expectError((await api.query(OVERRIDE, { input: { eventId, sectionId, priceMinor: 6000, reason: "x" } }, other.token)).data!.overrideSectionPrice, "FORBIDDEN");
    expectError((await api.query(UPDATE_SECTION_PRICING, { input: { eventId, sectionId, dynamicPricing: true } }, other.token)).data!.updateSectionPricing, "FORBIDDEN");
    expectError((await api.query(PAUSE, { eventId, sectionId, paused: true }, other.token)).data!.setSectionPricingPaused, "FORBIDDEN");
    expectError((await api.query(CLEAR_OVERRIDE, { eventId, sectionId }, other.token)).data!.clearSectionPriceOverride, "FORBIDDEN");
    expectError((await api.query(UPDATE_EVENT_PRICING, { input: { eventId, curve: "LINEAR" } }, other.token)).data!.updateEventPricing, "FORBIDDEN");
    expect(await sectionRow(pool, eventId, sectionId)).toEqual(before);
    const { rows } = await pool.query("SELECT pricing_curve FROM events WHERE id = $1", [eventId]);
    expect(rows[0].pricing_curve).toBe("FRONT_LOADED");
  });

  it("an admin may; an unknown section is NOT_FOUND and a malformed id VALIDATION", async () => {
    const { pool, eventId, sectionId } = await pricedEvent(api);
    const admin = await createUser(api, { role: "ADMIN" });
    const paused = expectOk((await api.query(PAUSE, { eventId, sectionId, paused: true }, admin.token)).data!.setSectionPricingPaused);
    expect(paused.eventSection.pricingPaused).toBe(true);
    expect((await sectionRow(pool, eventId, sectionId)).pricing_paused).toBe(true);
    const resumed = expectOk((await api.query(PAUSE, { eventId, sectionId, paused: false }, admin.token)).data!.setSectionPricingPaused);
    expect(resumed.eventSection.pricingPaused).toBe(false);
    expectError((await api.query(PAUSE, { eventId, sectionId: eventId, paused: true }, admin.token)).data!.setSectionPricingPaused, "NOT_FOUND");
    expectError((await api.query(PAUSE, { eventId, sectionId: "nope", paused: true }, admin.token)).data!.setSectionPricingPaused, "VALIDATION");
  });
});

describe("updateSectionPricing", () => {
  it("changes the rules more than 24 hours before on-sale and moves the price into the new range, with history", async () => {
    const { pool, eventId, sectionId, promoter } = await pricedEvent(api);
    const payload = expectOk(
      (await api.query(UPDATE_SECTION_PRICING, { input: { eventId, sectionId, dynamicPricing: true, floorMinor: 6000, ceilingMinor: 9000, maxStepPercent: 12.5 } }, promoter.token))
        .data!.updateSectionPricing,
    );
    expect(payload.eventSection).toMatchObject({ price: { amount: 6000 }, dynamicPricing: true, floor: { amount: 6000 }, ceiling: { amount: 9000 }, maxStepPercent: 12.5 });
    expect(await sectionRow(pool, eventId, sectionId)).toMatchObject({ price_minor: 6000, price_floor_minor: 6000, price_ceiling_minor: 9000, max_step_basis_points: 1250, dynamic_pricing: true });
    const rows = await history(pool, eventId, sectionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ price_minor: 6000, previous_price_minor: 5000, reason: "promoter", actor_user_id: promoter.id, reason_codes: ["RANGE_CHANGED"] });
  });

  it("is refused with VALIDATION from 24 hours before on-sale (and after it), and nothing changes", async () => {
    for (const onSaleAt of [new Date(Date.now() + 23 * 3_600_000), new Date(Date.now() - 3_600_000)]) {
      const { pool, eventId, sectionId, promoter } = await pricedEvent(api, { onSaleAt });
      const before = await sectionRow(pool, eventId, sectionId);
      const payload = (await api.query(UPDATE_SECTION_PRICING, { input: { eventId, sectionId, dynamicPricing: true, floorMinor: 6000 } }, promoter.token)).data!
        .updateSectionPricing;
      expectError(payload, "VALIDATION");
      expect(payload.errors[0].message).toMatch(/public and fixed from 24 hours before on-sale/);
      expect(payload.eventSection).toBeNull();
      expect(await sectionRow(pool, eventId, sectionId)).toEqual(before);
      expect(await history(pool, eventId, sectionId)).toEqual([]);
    }
  });

  it("rejects bad rules with VALIDATION and the field at fault, changing nothing", async () => {
    const { pool, eventId, sectionId, promoter } = await pricedEvent(api);
    const before = await sectionRow(pool, eventId, sectionId);
    const cases: [Record<string, unknown>, string | null][] = [
      [{ floorMinor: 0 }, "floorMinor"],
      [{ floorMinor: 7000, ceilingMinor: 6000 }, "floorMinor"],
      [{ floorMinor: 20_000 }, "floorMinor"], // above the stored ceiling of 100.00
      [{ maxStepPercent: 0 }, "maxStepPercent"],
      [{ maxStepPercent: 50.5 }, "maxStepPercent"],
      [{}, null],
    ];
    for (const [change, field] of cases) {
      const payload = (await api.query(UPDATE_SECTION_PRICING, { input: { eventId, sectionId, ...change } }, promoter.token)).data!.updateSectionPricing;
      expectError(payload, "VALIDATION");
      expect(payload.errors[0].field).toBe(field);
    }
    expect(await sectionRow(pool, eventId, sectionId)).toEqual(before);
    expect(await history(pool, eventId, sectionId)).toEqual([]);
  });
});

describe("overrideSectionPrice", () => {
  it("inside the range: sets the override and the price, writes history with the actor, publishes sectionPriceChanged", async () => {
    const { pool, eventId, sectionId, promoter } = await pricedEvent(api, { onSaleAt: new Date(Date.now() - 3_600_000), status: "ON_SALE" });
    const messages = collect<{ sectionPriceChanged: { section: { id: string }; price: { amount: number }; allInPrice: { amount: number }; priceOverridden: boolean } }>(
      api.wsClient(),
      `subscription($eventId: ID!) { sectionPriceChanged(eventId: $eventId) { section { id } price { amount } allInPrice { amount } priceOverridden } }`,
      { eventId },
      1,
    );
    await subscribed(api, api.app.keys.sectionPriceChannel(eventId));
    const outboxRows = async () =>
      (await pool.query(`SELECT count(*)::int AS count FROM outbox_events WHERE aggregate_id = $1`, [eventId])).rows[0].count as number;
    const outboxBefore = await outboxRows();
    const payload = expectOk((await api.query(OVERRIDE, { input: { eventId, sectionId, priceMinor: 7000, reason: "  Fan club night  " } }, promoter.token)).data!.overrideSectionPrice);
    expect(payload.eventSection).toMatchObject({ price: { amount: 7000 }, priceOverridden: true, allInPrice: { amount: 7000 + 700 + 250 } });
    expect(await sectionRow(pool, eventId, sectionId)).toMatchObject({ price_minor: 7000, override_price_minor: 7000, override_reason: "Fan club night" });
    expect(await history(pool, eventId, sectionId)).toEqual([
      {
        price_minor: 7000,
        previous_price_minor: 5000,
        reason: "promoter",
        actor_user_id: promoter.id,
        reason_codes: ["OVERRIDE"],
        explanation: "Set by the promoter: Fan club night",
      },
    ]);
    const [message] = await messages.done;
    expect(message!.sectionPriceChanged).toEqual({ section: { id: sectionId }, price: { amount: 7000 }, allInPrice: { amount: 7950 }, priceOverridden: true });
    // The search outbox row comes from the trigger, in the same transaction.
    expect(await outboxRows()).toBe(outboxBefore + 1);
  });

  it("outside the range, or without a reason: VALIDATION and nothing changes", async () => {
    const { pool, eventId, sectionId, promoter } = await pricedEvent(api);
    const before = await sectionRow(pool, eventId, sectionId);
    const cases: [number, string, string][] = [
      [2499, "below floor", "priceMinor"],
      [10_001, "above ceiling", "priceMinor"],
      [6000, "   ", "reason"],
      [6000, "x".repeat(201), "reason"],
      [0, "zero", "priceMinor"],
    ];
    for (const [priceMinor, reason, field] of cases) {
      const payload = (await api.query(OVERRIDE, { input: { eventId, sectionId, priceMinor, reason } }, promoter.token)).data!.overrideSectionPrice;
      expectError(payload, "VALIDATION");
      expect(payload.errors[0].field).toBe(field);
    }
    expect(await sectionRow(pool, eventId, sectionId)).toEqual(before);
    expect(await history(pool, eventId, sectionId)).toEqual([]);
  });

  it("concurrent overrides from two API processes leave one unbroken history: each change starts from the price before it", async () => {
    const { pool, eventId, sectionId, promoter } = await pricedEvent(api, { onSaleAt: new Date(Date.now() - 3_600_000), status: "ON_SALE" });
    const second = await startTestApi({ database: api.database, env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" } });
    try {
      const prices = Array.from({ length: 16 }, (_, index) => 3000 + index * 250);
      const payloads = await Promise.all(
        prices.map((priceMinor, index) =>
          (index % 2 === 0 ? api : second).query(OVERRIDE, { input: { eventId, sectionId, priceMinor, reason: `race ${index}` } }, promoter.token),
        ),
      );
      for (const payload of payloads) expectOk(payload.data!.overrideSectionPrice);
      const rows = await history(pool, eventId, sectionId);
      expect(rows).toHaveLength(prices.length);
      expect(rows[0].previous_price_minor).toBe(5000);
      for (let index = 1; index < rows.length; index++) expect(rows[index].previous_price_minor).toBe(rows[index - 1].price_minor);
      expect(rows.map((row) => row.price_minor).sort()).toEqual(prices.sort());
      const section = await sectionRow(pool, eventId, sectionId);
      expect(section.price_minor).toBe(rows.at(-1).price_minor);
      expect(section.override_price_minor).toBe(rows.at(-1).price_minor);
    } finally {
      await second.stop();
    }
  });

  it("clearing keeps the price and writes no history", async () => {
    const { pool, eventId, sectionId, promoter } = await pricedEvent(api, { onSaleAt: new Date(Date.now() - 3_600_000), status: "ON_SALE" });
    expectOk((await api.query(OVERRIDE, { input: { eventId, sectionId, priceMinor: 2500, reason: "floor test" } }, promoter.token)).data!.overrideSectionPrice);
    const cleared = expectOk((await api.query(CLEAR_OVERRIDE, { eventId, sectionId }, promoter.token)).data!.clearSectionPriceOverride);
    expect(cleared.eventSection).toMatchObject({ price: { amount: 2500 }, priceOverridden: false });
    expect(await sectionRow(pool, eventId, sectionId)).toMatchObject({ price_minor: 2500, override_price_minor: null, override_reason: null });
    expect(await history(pool, eventId, sectionId)).toHaveLength(1);
  });
});

describe("updateEventPricing", () => {
  it("sets the curve, freeze and sell-out point; sellOutBy outside on-sale..start and a late freeze change are VALIDATION", async () => {
    const { pool, eventId, promoter } = await pricedEvent(api);
    const sellOutBy = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const payload = expectOk((await api.query(UPDATE_EVENT_PRICING, { input: { eventId, curve: "LINEAR", freezeMinutes: 30, sellOutBy } }, promoter.token)).data!.updateEventPricing);
    expect(payload.event).toEqual({ id: eventId, pricingFreezeMinutes: 30, pricingCurve: "LINEAR", sellOutBy });
    for (const bad of [new Date(Date.now() + 86_400_000), new Date(Date.now() + 60 * 86_400_000)]) {
      const refused = (await api.query(UPDATE_EVENT_PRICING, { input: { eventId, sellOutBy: bad.toISOString(), curve: "FRONT_LOADED" } }, promoter.token)).data!.updateEventPricing;
      expectError(refused, "VALIDATION");
      expect(refused.errors[0].field).toBe("sellOutBy");
    }
    await pool.query("UPDATE events SET on_sale_at = now() + interval '1 hour' WHERE id = $1", [eventId]);
    expectError((await api.query(UPDATE_EVENT_PRICING, { input: { eventId, freezeMinutes: 0 } }, promoter.token)).data!.updateEventPricing, "VALIDATION");
    // The curve is not a published rule: it may still change.
    expectOk((await api.query(UPDATE_EVENT_PRICING, { input: { eventId, curve: "FRONT_LOADED" } }, promoter.token)).data!.updateEventPricing);
    const { rows } = await pool.query(`SELECT pricing_freeze_minutes, pricing_curve, pricing_sell_out_at FROM events WHERE id = $1`, [eventId]);
    expect(rows[0]).toEqual({ pricing_freeze_minutes: 30, pricing_curve: "FRONT_LOADED", pricing_sell_out_at: new Date(sellOutBy) });
  });
});
