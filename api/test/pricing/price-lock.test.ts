import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteFees, ticketFees, totalOf } from "../../src/checkout/checkout.fees.js";
import { checkout, expectMoneyConsistent, hold } from "../checkout/checkout-helpers.js";
import { createUser } from "../support/factories.js";
import { collect, expectOk, startTestApi, subscribed, type TestApi } from "../support/test-api.js";
import { pino } from "pino";
import { demandField, demandMinute } from "@boxoffice/pricing-engine/redis-contract";
import { createTickDependencies, runOnce } from "../../../pricing-engine/src/tick.js";
import { OVERRIDE, pricedEvent } from "./pricing-helpers.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", HOLD_SWEEP_INTERVAL_MS: "0" } });
});
afterAll(async () => {
  await api.stop();
});

const ALL_IN = `query($id: ID!) { event(id: $id) { sections { section { id } price { amount } allInPrice { amount } fees { kind amount { amount } } } } }`;

describe("all-in prices add up to what checkout charges", () => {
  it("n tickets at awkward prices: n × allIn equals the quoted total, for every fee setting", () => {
    const prices = [1, 5, 15, 105, 1005, 1995, 4999, 12_345, 99_999];
    const settings = [
      { serviceFeeBasisPoints: 1000, facilityFeeMinor: 250 },
      { serviceFeeBasisPoints: 1250, facilityFeeMinor: 0 },
      { serviceFeeBasisPoints: 333, facilityFeeMinor: 99 },
      { serviceFeeBasisPoints: 0, facilityFeeMinor: 0 },
    ];
    for (const fees of settings) {
      for (const price of prices) {
        const allIn = totalOf(price, ticketFees(price, fees));
        for (let tickets = 1; tickets <= 8; tickets++) {
          const lines = Array.from({ length: tickets }, () => price);
          expect(totalOf(price * tickets, quoteFees(lines, fees)), `${tickets} × ${price} at ${JSON.stringify(fees)}`).toBe(tickets * allIn);
        }
      }
      // Mixed sections: the total is the sum of each ticket's all-in price.
      const mixed = [1005, 4999, 15];
      expect(totalOf(1005 + 4999 + 15, quoteFees(mixed, fees))).toBe(mixed.reduce((sum, price) => sum + totalOf(price, ticketFees(price, fees)), 0));
    }
    // The case subtotal rounding got wrong: 2 × 10.05 at 10% is 2 × (10.05 + 1.01).
    expect(quoteFees([1005, 1005], { serviceFeeBasisPoints: 1000, facilityFeeMinor: 0 })).toEqual([{ kind: "SERVICE", amountMinor: 202 }]);
  });

  it("the hold and the order of 3 tickets at 10.05 cost exactly 3 × the all-in price the event page showed", async () => {
    const { pool, eventId, seatIds, sectionId } = await pricedEvent(api, { priceMinor: 1005, status: "ON_SALE", onSaleAt: new Date(Date.now() - 3_600_000) });
    const shown = (await api.query(ALL_IN, { id: eventId })).data!.event.sections.find((section: any) => section.section.id === sectionId);
    expect(shown).toMatchObject({ price: { amount: 1005 }, allInPrice: { amount: 1005 + 101 + 250 } });
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(0, 3) });
    expect(held.total.amount).toBe(3 * shown.allInPrice.amount);
    const order = expectOk(await checkout(api, fan.token, { holdId: held.id })).order;
    expect(order.total.amount).toBe(3 * shown.allInPrice.amount);
    const { rows: charges } = await pool.query(
      `SELECT c.amount_minor FROM payment_intents i JOIN test_gateway.charges c ON c.intent_id = i.id::text WHERE i.order_id = $1 AND c.status = 'SUCCEEDED'`,
      [order.id],
    );
    expect(charges).toEqual([{ amount_minor: 3 * shown.allInPrice.amount }]);
  });
});

const CARD_AND_SECTIONS = `query($id: ID!) {
  event(id: $id) {
    lowestAllInPrice { amount currency }
    sections { section { id } price { amount } allInPrice { amount currency } fees { kind amount { amount } } dynamicPricing
      floor { amount } ceiling { amount } allInFloor { amount currency } allInCeiling { amount currency } }
  }
}`;

describe("the prices a fan is shown before holding", () => {
  it("the card's from price and each section's all-in price are exactly what a hold of one ticket charges (subtotal + fees)", async () => {
    const { pool, eventId, sectionId, seatIds, gaSectionId } = await pricedEvent(api, { status: "ON_SALE", onSaleAt: new Date(Date.now() - 3_600_000) });
    // The standing section is the cheaper one, at a price whose 10% fee rounds (299.5 → 300), and dynamically priced.
    await pool.query(`UPDATE event_sections SET price_minor = 2995, dynamic_pricing = true WHERE event_id = $1 AND section_id = $2`, [eventId, gaSectionId]);
    const shown = (await api.query(CARD_AND_SECTIONS, { id: eventId })).data!.event;
    const seated = shown.sections.find((section: any) => section.section.id === sectionId);
    const standing = shown.sections.find((section: any) => section.section.id === gaSectionId);
    expect(standing).toMatchObject({ price: { amount: 2995 }, allInPrice: { amount: 2995 + 300 + 250, currency: "USD" }, dynamicPricing: true });
    expect(seated).toMatchObject({ price: { amount: 5000 }, allInPrice: { amount: 5000 + 500 + 250 }, dynamicPricing: false });
    expect(shown.lowestAllInPrice).toEqual({ amount: 2995 + 300 + 250, currency: "USD" });
    // The range is the published floor and ceiling with the same per-ticket fees checkout adds.
    const fees = { serviceFeeBasisPoints: 1000, facilityFeeMinor: 250 };
    for (const section of [seated, standing]) {
      expect(section.allInFloor).toEqual({ amount: totalOf(section.floor.amount, ticketFees(section.floor.amount, fees)), currency: "USD" });
      expect(section.allInCeiling).toEqual({ amount: totalOf(section.ceiling.amount, ticketFees(section.ceiling.amount, fees)), currency: "USD" });
    }
    expect(standing.allInFloor.amount).toBeLessThan(standing.allInPrice.amount);

    const fan = await createUser(api);
    const cheapest = await hold(api, fan.token, { eventId, sectionId: gaSectionId, quantity: 1 });
    const feeSum = cheapest.fees.reduce((sum: number, fee: { amount: { amount: number } }) => sum + fee.amount.amount, 0);
    expect(cheapest.subtotal.amount + feeSum).toBe(shown.lowestAllInPrice.amount);
    expect(cheapest.total).toEqual(shown.lowestAllInPrice);
    expect(cheapest.fees).toEqual(standing.fees.map((fee: any) => ({ kind: fee.kind, amount: { amount: fee.amount.amount, currency: "USD" } })));

    const other = await createUser(api);
    const seat = await hold(api, other.token, { eventId, seatIds: seatIds.slice(0, 1) });
    expect(seat.total).toEqual(seated.allInPrice);
    // And checkout charges that total, to the minor unit.
    const order = expectOk(await checkout(api, other.token, { holdId: seat.id })).order;
    expect(order.total.amount).toBe(seated.allInPrice.amount);
  });

  it("the from price skips sections with nothing left, and is the lowest of all when every section is sold out", async () => {
    const { pool, eventId, sectionId, gaSectionId } = await pricedEvent(api, { status: "ON_SALE", onSaleAt: new Date(Date.now() - 3_600_000), maxSeatsPerUser: 20 });
    await pool.query(`UPDATE event_sections SET price_minor = 2995 WHERE event_id = $1 AND section_id = $2`, [eventId, gaSectionId]);
    const from = async () => (await api.query(`query($id: ID!) { event(id: $id) { lowestAllInPrice { amount } } }`, { id: eventId })).data!.event.lowestAllInPrice.amount;
    expect(await from()).toBe(2995 + 300 + 250);
    // Every place held (by real holds, so PostgreSQL and the cached counts agree): nothing left there.
    await hold(api, (await createUser(api)).token, { eventId, sectionId: gaSectionId, quantity: 20 });
    expect(await from()).toBe(5000 + 500 + 250);
    await hold(api, (await createUser(api)).token, { eventId, sectionId, quantity: 10 });
    expect(await from()).toBe(2995 + 300 + 250);
  });
});

describe("the price a fan holds is the price they pay", () => {
  it("after a promoter override and an engine-style update, the hold's lines and the order stay at the held price P, fees on P", async () => {
    const P = 4999;
    const { pool, eventId, sectionId, seatIds, promoter } = await pricedEvent(api, { priceMinor: P, status: "ON_SALE", onSaleAt: new Date(Date.now() - 3_600_000) });
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
    expect(held.subtotal.amount).toBe(2 * P);

    // The promoter raises the price; then the engine moves it again, straight in SQL as the worker does.
    expectOk((await api.query(OVERRIDE, { input: { eventId, sectionId, priceMinor: 8000, reason: "demand" } }, promoter.token)).data!.overrideSectionPrice);
    await pool.query(`UPDATE event_sections SET override_price_minor = NULL, override_reason = NULL, price_minor = 9100 WHERE event_id = $1 AND section_id = $2`, [
      eventId,
      sectionId,
    ]);
    const now = (await api.query(ALL_IN, { id: eventId })).data!.event.sections.find((section: any) => section.section.id === sectionId);
    expect(now.price.amount).toBe(9100);

    const reread = await api.query(`query($id: ID!) { hold(id: $id) { lines { price { amount } } subtotal { amount } fees { kind amount { amount } } total { amount } } }`, { id: held.id }, fan.token);
    const feesOnP = { service: 2 * 500, facility: 2 * 250 }; // 10% of 49.99 is 4.999 → 5.00 per ticket
    expect(reread.data!.hold).toEqual({
      lines: [{ price: { amount: P } }, { price: { amount: P } }],
      subtotal: { amount: 2 * P },
      fees: [
        { kind: "SERVICE", amount: { amount: feesOnP.service } },
        { kind: "FACILITY", amount: { amount: feesOnP.facility } },
      ],
      total: { amount: 2 * P + feesOnP.service + feesOnP.facility },
    });

    const order = expectOk(await checkout(api, fan.token, { holdId: held.id })).order;
    const { rows: orders } = await pool.query(`SELECT subtotal_minor, fees_minor, total_minor FROM orders WHERE id = $1`, [order.id]);
    expect(orders).toEqual([{ subtotal_minor: 2 * P, fees_minor: feesOnP.service + feesOnP.facility, total_minor: 2 * P + feesOnP.service + feesOnP.facility }]);
    const { rows: lines } = await pool.query(`SELECT price_minor FROM order_lines WHERE order_id = $1`, [order.id]);
    expect(lines).toEqual([{ price_minor: P }, { price_minor: P }]);
    expect(order.fees).toEqual(reread.data!.hold.fees.map((fee: any) => ({ ...fee, amount: { ...fee.amount, currency: "USD" } })));
    const { rows: charges } = await pool.query(
      `SELECT c.amount_minor FROM payment_intents i JOIN test_gateway.charges c ON c.intent_id = i.id::text WHERE i.order_id = $1 AND c.status = 'SUCCEEDED'`,
      [order.id],
    );
    expect(charges).toEqual([{ amount_minor: 2 * P + feesOnP.service + feesOnP.facility }]);
    await expectMoneyConsistent(pool);
  });

  it("the pricing engine raising the section between hold and checkout changes nothing for the fan who held", async () => {
    const P = 5000;
    const { pool, eventId, sectionId, seatIds } = await pricedEvent(api, { priceMinor: P, status: "ON_SALE", onSaleAt: new Date(Date.now() - 3_600_000) });
    await pool.query(`UPDATE event_sections SET dynamic_pricing = true, price_floor_minor = 2500, price_ceiling_minor = 10000 WHERE event_id = $1`, [eventId]);
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
    // Most of the section sold an hour into a month-long sale, a crowd of demand: the engine raises it.
    await pool.query(`UPDATE event_seats SET status = 'SOLD' WHERE event_id = $1 AND seat_id = ANY($2::uuid[])`, [eventId, seatIds.slice(2, 8)]);
    const now = new Date();
    const keys = api.app.keys;
    await api.app.redis.set(`${keys.prefix}pricing:demand-epoch`, String(now.getTime() - 3_600_000));
    for (let minute = demandMinute(now.getTime()) - 5; minute < demandMinute(now.getTime()); minute++) {
      await api.app.redis.hset(keys.demandBucket(eventId, minute), demandField(sectionId, "views"), 200, demandField(sectionId, "holdsPlaced"), 20);
    }
    // A fan watching the event page gets the engine's change live, through the API's subscription.
    const live = collect<{ sectionPriceChanged: { section: { id: string }; price: { amount: number }; allInPrice: { amount: number } } }>(
      api.wsClient(),
      `subscription($eventId: ID!) { sectionPriceChanged(eventId: $eventId) { section { id } price { amount } allInPrice { amount } } }`,
      { eventId },
      1,
    );
    await subscribed(api, keys.sectionPriceChannel(eventId));
    const engine = createTickDependencies({ pool, redis: api.app.redis, logger: pino({ level: "silent" }), intervalMs: 60_000, windowMinutes: 5, redisKeyPrefix: keys.prefix });
    const tick = await runOnce(engine, now);
    expect(tick.changed).toBeGreaterThan(0);
    const { rows: raised } = await pool.query(`SELECT price_minor FROM event_sections WHERE event_id = $1 AND section_id = $2`, [eventId, sectionId]);
    expect(raised[0].price_minor).toBeGreaterThan(P);
    const [message] = await live.done;
    expect(message!.sectionPriceChanged.section.id).toBe(sectionId);
    expect(message!.sectionPriceChanged.price.amount).toBe(raised[0].price_minor);
    expect(message!.sectionPriceChanged.allInPrice.amount).toBeGreaterThan(raised[0].price_minor);

    const order = expectOk(await checkout(api, fan.token, { holdId: held.id })).order;
    const { rows: lines } = await pool.query(`SELECT price_minor FROM order_lines WHERE order_id = $1`, [order.id]);
    expect(lines).toEqual([{ price_minor: P }, { price_minor: P }]);
    expect(order.subtotal.amount).toBe(2 * P);
    // And a fan holding now pays the new price.
    const later = await createUser(api);
    const second = await hold(api, later.token, { eventId, seatIds: seatIds.slice(8, 10) });
    expect(second.subtotal.amount).toBe(2 * raised[0].price_minor);
  });
});
