/**
 * The live sale dashboard: what a snapshot says about a sale built through the real hold and checkout
 * paths, who may see it (query and subscription), how fast a purchase reaches a subscriber over a real
 * graphql-ws socket, and that feeds are shared, coalesced and gone once their subscribers are.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboardFeeds } from "../../src/admin/admin.dashboard.live.js";
import { checkout, hold, sale } from "../checkout/checkout-helpers.js";
import { createUser, setSeatStatus } from "../support/factories.js";
import { expectGraphQLError, expectOk, startTestApi, subscribed, type TestApi } from "../support/test-api.js";
import { cast } from "./events-helpers.js";
import { DASHBOARD, DASHBOARD_LIVE, firstMessage } from "./dashboard-helpers.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" } });
});
afterAll(async () => {
  await api.stop();
});

/** Resolves once Redis reports no subscriber left on the channel. */
async function unsubscribed(channel: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const [, count] = (await api.app.redis.pubsub("NUMSUB", channel)) as [string, number];
    if (Number(count) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${channel} still has subscribers`);
}

describe("snapshot", () => {
  it("counts sales, sell-through, holds, prices and the waiting room from the database and Redis", async () => {
    const { pool, eventId, sectionId, seatIds, gaSectionId, promoter } = await sale(api, { holdDurationSeconds: 300 });
    const buyer = await createUser(api);
    expectOk(await checkout(api, buyer.token, { holdId: (await hold(api, buyer.token, { eventId, seatIds: seatIds.slice(0, 2) })).id }));
    expectOk(await checkout(api, buyer.token, { holdId: (await hold(api, buyer.token, { eventId, sectionId: gaSectionId, quantity: 3 })).id }));
    const holder = await createUser(api);
    await hold(api, holder.token, { eventId, seatIds: [seatIds[5]!] });
    await setSeatStatus(pool, eventId, [seatIds[9]!], "BLOCKED");
    await pool.query(
      `INSERT INTO price_history (event_id, section_id, price_minor, previous_price_minor, reason, explanation, created_at)
       VALUES ($1, $2, 5000, NULL, 'initial', '', now() - interval '2 hours'), ($1, $2, 5500, 5000, 'pricing-engine', '+10%: 20% sold, pace 2.0× target', now() - interval '1 minute')`,
      [eventId, sectionId],
    );
    await pool.query(`INSERT INTO section_pricing_state (event_id, section_id, last_tick, last_reason_codes, last_explanation) VALUES ($1, $2, 7, '{STEP_CLAMPED_UP}', 'held: pace on target')`, [
      eventId,
      sectionId,
    ]);
    const room = api.app.keys.waitingRoom(eventId);
    await api.app.redis.zadd(room.queue, 1, "a", 2, "b", 3, "c");
    await api.app.redis.zadd(room.active, Date.now() + 60_000, "d");
    await api.app.redis.hset(room.state, { admitted: "7", used: "2" });

    const response = await api.query(DASHBOARD, { eventId }, promoter.token);
    expect(response.errors).toBeUndefined();
    const dashboard = response.data!.adminSaleDashboard;
    expect(dashboard).toMatchObject({ eventId, status: "ON_SALE", ticketsSold: 5, orders: 2 });
    expect(dashboard.revenue).toEqual({ amount: 25_000, currency: "USD" });
    // 10% service fee and 2.50 facility fee per ticket on top of the face value.
    expect(dashboard.grossRevenue).toEqual({ amount: 28_750, currency: "USD" });

    expect(dashboard.salesPerMinute).toHaveLength(60);
    expect(dashboard.salesPerMinute.reduce((sum: number, minute: any) => sum + minute.tickets, 0)).toBe(5);
    expect(dashboard.salesPerMinute.reduce((sum: number, minute: any) => sum + minute.revenue.amount, 0)).toBe(25_000);
    const minutes = dashboard.salesPerMinute.map((minute: any) => Date.parse(minute.minute));
    expect(minutes.slice(1).map((minute: number, index: number) => minute - minutes[index]!)).toEqual(Array(59).fill(60_000));
    expect(minutes[59]).toBe(Math.floor(Date.now() / 60_000) * 60_000);

    const [seated, standing] = dashboard.sections;
    expect(seated).toMatchObject({ sectionId, kind: "SEATED", total: 10, sold: 2, held: 1, blocked: 1, available: 6, sellThrough: 0.2 });
    expect(seated).toMatchObject({ price: { amount: 5000, currency: "USD" }, lastExplanation: "held: pace on target", lastReasonCodes: ["STEP_CLAMPED_UP"] });
    expect(seated.priceHistory.map((change: any) => [change.reason, change.price.amount, change.previousPrice?.amount ?? null, change.explanation])).toEqual([
      ["initial", 5000, null, ""],
      ["pricing-engine", 5500, 5000, "+10%: 20% sold, pace 2.0× target"],
    ]);
    expect(standing).toMatchObject({ sectionId: gaSectionId, kind: "GENERAL_ADMISSION", total: 20, sold: 3, held: 0, blocked: 0, available: 17, sellThrough: 0.15 });
    expect(standing).toMatchObject({ lastExplanation: null, lastReasonCodes: [], lastComputedAt: null, priceHistory: [] });

    expect(dashboard.waitingRoom).toMatchObject({ enabled: false, waiting: 3, preQueue: 0, admitted: 7, active: 1, purchased: 2, soldOut: false });
    // The one active hold of 300 s expires between 4 and 5 minutes from now.
    expect(dashboard.holdsExpiring).toEqual(Array.from({ length: 10 }, (_, minutesFromNow) => ({ minutesFromNow, holds: minutesFromNow === 4 ? 1 : 0, tickets: minutesFromNow === 4 ? 1 : 0 })));
  });

  it("revenue past 32 bits of minor units (a stadium) is reported exactly", async () => {
    const { pool, eventId, seatIds, promoter } = await sale(api);
    const fan = await createUser(api);
    for (const seatId of seatIds.slice(0, 2)) expectOk(await checkout(api, fan.token, { holdId: (await hold(api, fan.token, { eventId, seatIds: [seatId] })).id }));
    // Two orders of 15,000,000.00 each: their sum, 3,000,000,000 minor units, does not fit a GraphQL Int.
    await pool.query(`UPDATE orders SET subtotal_minor = 1500000000, fees_minor = 0, total_minor = 1500000000 WHERE event_id = $1`, [eventId]);
    const response = await api.query(DASHBOARD, { eventId }, promoter.token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.adminSaleDashboard.revenue).toEqual({ amount: 3_000_000_000, currency: "USD" });
    expect(response.data!.adminSaleDashboard.grossRevenue).toEqual({ amount: 3_000_000_000, currency: "USD" });
  });

  it("an event without any sale: zeros everywhere, 60 empty minutes", async () => {
    const { eventId, promoter } = await sale(api);
    const dashboard = (await api.query(DASHBOARD, { eventId }, promoter.token)).data!.adminSaleDashboard;
    expect(dashboard).toMatchObject({ ticketsSold: 0, orders: 0, revenue: { amount: 0, currency: "USD" } });
    expect(dashboard.salesPerMinute.every((minute: any) => minute.tickets === 0 && minute.revenue.amount === 0)).toBe(true);
    expect(dashboard.sections.map((section: any) => section.available)).toEqual([10, 20]);
  });
});

describe("authorization", () => {
  it("the event's promoter and an admin see the dashboard; another organization's promoter and a fan get FORBIDDEN, anonymous UNAUTHENTICATED", async () => {
    const people = await cast(api);
    const { eventId } = await sale(api, { organizationId: people.organizationId });
    for (const viewer of [people.promoter, people.admin]) {
      const response = await api.query(DASHBOARD, { eventId }, viewer.token);
      expect(response.data!.adminSaleDashboard.eventId).toBe(eventId);
      const live = await firstMessage<any>(api.wsClient(viewer.token), DASHBOARD_LIVE, { eventId });
      expect(live.errors).toBeUndefined();
      expect(live.data!.adminSaleDashboardChanged.eventId).toBe(eventId);
    }
    for (const [viewer, code] of [
      [people.otherPromoter, "FORBIDDEN"],
      [people.fan, "FORBIDDEN"],
      [null, "UNAUTHENTICATED"],
    ] as const) {
      const response = await api.query(DASHBOARD, { eventId }, viewer?.token);
      expectGraphQLError(response, code);
      expect(response.data ?? null).toBeNull();
      const live = await firstMessage<Record<string, unknown>>(api.wsClient(viewer?.token), DASHBOARD_LIVE, { eventId });
      expectGraphQLError(live, code);
    }
    // A refused subscription opened no feed.
    await unsubscribed(api.app.keys.seatStatusChannel(eventId));
    expect(api.app.dashboards.feeds.activeEvents()).toBe(0);
  });

  it("an unknown event is NOT_FOUND", async () => {
    const admin = await createUser(api, { role: "ADMIN" });
    expectGraphQLError(await api.query(DASHBOARD, { eventId: "00000000-0000-4000-8000-000000000000" }, admin.token), "NOT_FOUND");
    expectGraphQLError(await firstMessage<Record<string, unknown>>(api.wsClient(admin.token), DASHBOARD_LIVE, { eventId: "not-an-id" }), "NOT_FOUND");
  });
});

describe("live", () => {
  it("a purchase through checkout reaches a subscribed dashboard within 2 seconds", async () => {
    const { eventId, seatIds, promoter } = await sale(api);
    const fan = await createUser(api);
    const snapshots: { ticketsSold: number; revenue: { amount: number }; receivedAt: number }[] = [];
    const client = api.wsClient(promoter.token);
    const firstArrived = new Promise<void>((resolve, reject) => {
      client.subscribe<any>(
        { query: DASHBOARD_LIVE, variables: { eventId } },
        {
          next: (message) => {
            if (message.errors) reject(new Error(JSON.stringify(message.errors)));
            snapshots.push({ ...message.data!.adminSaleDashboardChanged, receivedAt: Date.now() });
            resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await firstArrived;
    expect(snapshots[0]).toMatchObject({ ticketsSold: 0, revenue: { amount: 0 } });
    await subscribed(api, api.app.keys.seatStatusChannel(eventId));

    const held = await hold(api, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
    // The hold is news for the dashboard too, and a change within a second of a snapshot waits for the
    // end of that second, by design (one snapshot a second per event). A fan spends longer than that on
    // the payment form; the pause keeps that wait out of the figure (as admin/e2e/live-dashboard does),
    // which leaves the 2 s bound its whole margin for a stall of the loaded CI machine.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const paidAt = Date.now();
    expectOk(await checkout(api, fan.token, { holdId: held.id }));
    const deadline = Date.now() + 2_000;
    while (!snapshots.some((snapshot) => snapshot.ticketsSold === 2) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const shown = snapshots.find((snapshot) => snapshot.ticketsSold === 2);
    expect(shown, "the sale within 2 s").toBeDefined();
    expect(shown!.revenue.amount).toBe(10_000);
    process.stdout.write(`[dashboard] checkout request to snapshot on the socket: ${shown!.receivedAt - paidAt} ms\n`);
    expect(shown!.receivedAt - paidAt).toBeLessThan(2_000);

    await client.dispose();
    await unsubscribed(api.app.keys.seatStatusChannel(eventId));
    expect(api.app.dashboards.feeds.activeEvents()).toBe(0);
  });

  it("one computation per change burst is shared by every subscriber, and the feed ends with its last subscriber", async () => {
    const { eventId, sectionId } = await sale(api);
    let computations = 0;
    const feeds = createDashboardFeeds({
      pubsub: api.app.pubsub,
      logger: api.app.logger,
      minIntervalMs: 1_000,
      refreshMs: 60_000,
      compute: async () => ({ computation: ++computations }),
    });
    const first = feeds.follow(eventId);
    const second = feeds.follow(eventId);
    expect((await first.next()).value).toEqual({ computation: 1 });
    expect((await second.next()).value).toEqual({ computation: 1 });
    await subscribed(api, api.app.keys.seatStatusChannel(eventId));

    // 50 changes within a few milliseconds: one computation at once, one more at the end of the second.
    const message = { eventId, sectionId, seatId: null, status: "SOLD" as const, available: 0 };
    for (let index = 0; index < 50; index++) await api.app.pubsub.publishTo("SEAT_STATUS", eventId, message);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    expect(computations).toBeLessThanOrEqual(3);
    const latest = (await first.next()).value;
    expect(latest).toEqual({ computation: computations });
    expect((await second.next()).value).toBe(latest);

    await first.return!();
    expect(feeds.activeEvents()).toBe(1);
    await second.return!();
    expect(feeds.activeEvents()).toBe(0);
    await unsubscribed(api.app.keys.seatStatusChannel(eventId));
    await unsubscribed(api.app.keys.queueChannel(eventId));
    // No timer left behind: nothing computes after the last subscriber left.
    const after = computations;
    await api.app.pubsub.publishTo("SEAT_STATUS", eventId, message);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(computations).toBe(after);
  });
});
