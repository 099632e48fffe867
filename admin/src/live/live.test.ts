/**
 * The live dashboard's pure parts: its GraphQL documents are valid against the committed
 * api/schema.graphql, and its chart options say what the snapshot says.
 */
import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { chartKeys, expiringHoldsOption, mapColour, mapColourKey, priceHistoryOption, salesChartOption, sellThroughColour, sellThroughMapOption, SELL_THROUGH_COLOURS } from "./charts";
import { SALE_DASHBOARD_SUBSCRIPTION, VENUE_SEATS_QUERY, type DashboardSection, type SaleSnapshot } from "./live-documents";
import { webSocketUrl } from "./use-live-dashboard";

const schema = buildSchema(readFileSync(new URL("../../../api/schema.graphql", import.meta.url), "utf8"));

const usd = (amount: number) => ({ amount, currency: "USD" });
const section = (overrides: Partial<DashboardSection>): DashboardSection => ({
  sectionId: "s1",
  name: "Floor",
  kind: "SEATED",
  total: 10,
  sold: 5,
  held: 1,
  blocked: 0,
  available: 4,
  sellThrough: 0.5,
  price: usd(5500),
  floor: usd(2500),
  ceiling: usd(10_000),
  dynamicPricing: true,
  pricingPaused: false,
  overridden: false,
  lastExplanation: "+10%: pace 2× target",
  lastComputedAt: null,
  priceHistory: [
    { price: usd(5000), reason: "initial", explanation: "", at: "2026-12-02T10:00:00.000Z" },
    { price: usd(5500), reason: "pricing-engine", explanation: "+10%", at: "2026-12-02T11:00:00.000Z" },
  ],
  ...overrides,
});

const snapshot: SaleSnapshot = {
  eventId: "e1",
  eventName: "Gig",
  venueId: "v1",
  status: "ON_SALE",
  generatedAt: "2026-12-02T12:00:30.000Z",
  ticketsSold: 5,
  orders: 2,
  revenue: usd(25_000),
  grossRevenue: usd(28_750),
  salesPerMinute: [
    { minute: "2026-12-02T11:59:00.000Z", tickets: 2, revenue: usd(10_000) },
    { minute: "2026-12-02T12:00:00.000Z", tickets: 3, revenue: usd(15_000) },
  ],
  sections: [section({}), section({ sectionId: "s2", name: "Standing", kind: "GENERAL_ADMISSION", sellThrough: 0, priceHistory: [] })],
  waitingRoom: { enabled: true, waiting: 3, preQueue: 0, admitted: 7, active: 1, admissionRatePerMinute: 2, soldOut: false },
  holdsExpiring: [
    { minutesFromNow: 0, holds: 1, tickets: 2 },
    { minutesFromNow: 1, holds: 0, tickets: 0 },
  ],
};

describe("documents", () => {
  it.each([
    ["subscription", SALE_DASHBOARD_SUBSCRIPTION],
    ["venue seats", VENUE_SEATS_QUERY],
  ])("the %s document is valid against api/schema.graphql", (_name, document) => {
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });
});

describe("chart options", () => {
  it("sales per minute: tickets as bars, revenue in major units as a line on the second axis", () => {
    const option = salesChartOption(snapshot) as any;
    expect(option.series[0]).toMatchObject({ type: "bar", data: [2, 3] });
    expect(option.series[1]).toMatchObject({ type: "line", yAxisIndex: 1, data: [100, 150] });
    expect(option.xAxis.data).toHaveLength(2);
  });

  it("price history: one step line per section with changes, drawn on to the snapshot's time at the current price", () => {
    const option = priceHistoryOption(snapshot) as any;
    expect(option.series).toHaveLength(1);
    expect(option.series[0]).toMatchObject({ name: "Floor", step: "end" });
    expect(option.series[0].data).toEqual([
      ["2026-12-02T10:00:00.000Z", 50],
      ["2026-12-02T11:00:00.000Z", 55],
      ["2026-12-02T12:00:30.000Z", 55],
    ]);
  });

  it("holds expiring: tickets per minute ahead", () => {
    const option = expiringHoldsOption(snapshot) as any;
    expect(option.xAxis.data).toEqual(["<1 min", "1–2"]);
    expect(option.series[0].data).toEqual([2, 0]);
  });

  it("heat map: one series per section with seats, coloured by its sell-through; seats of unknown sections are left out", () => {
    const option = sellThroughMapOption(
      [
        { id: "a", sectionId: "s1", x: 10, y: 20 },
        { id: "b", sectionId: "s1", x: 12, y: 20 },
        { id: "c", sectionId: "gone", x: 0, y: 0 },
      ],
      snapshot.sections,
    ) as any;
    expect(option.series).toHaveLength(1);
    expect(option.series[0]).toMatchObject({ name: "Floor", data: [[10, 20], [12, 20]], itemStyle: { color: mapColour({ sellThrough: 0.5 }) } });
    expect(option.series[0].tooltip.formatter).toBe("Floor: 5 of 10 sold (50%)");
  });

  it("chart keys change with what a chart draws, not with the snapshot's time", () => {
    const keys = chartKeys(snapshot);
    expect(chartKeys({ ...snapshot, generatedAt: "2026-12-02T12:00:35.000Z" })).toEqual(keys);
    const sold = { ...snapshot, salesPerMinute: [snapshot.salesPerMinute[0]!, { ...snapshot.salesPerMinute[1]!, tickets: 4 }] };
    expect(chartKeys(sold)).toEqual({ ...keys, sales: expect.not.stringMatching(keys.sales) });
  });

  it("the seat map's colour key changes only when a section crosses a 5 % step", () => {
    const key = mapColourKey([section({ sellThrough: 0.5 })]);
    expect(mapColourKey([section({ sellThrough: 0.51 })])).toBe(key);
    expect(mapColourKey([section({ sellThrough: 0.53 })])).not.toBe(key);
  });

  it("sell-through colours run from the first colour at 0 to the last at 1, clamped outside", () => {
    expect(sellThroughColour(0)).toBe(SELL_THROUGH_COLOURS[0]);
    expect(sellThroughColour(1)).toBe(SELL_THROUGH_COLOURS.at(-1));
    expect(sellThroughColour(2)).toBe(SELL_THROUGH_COLOURS.at(-1));
    expect(sellThroughColour(0.5)).toBe(SELL_THROUGH_COLOURS[2]);
  });
});

describe("connection", () => {
  it("uses ws: or wss: on the page's own host", () => {
    expect(webSocketUrl({ protocol: "http:", host: "127.0.0.1:5174" })).toBe("ws://127.0.0.1:5174/graphql");
    expect(webSocketUrl({ protocol: "https:", host: "console.example" })).toBe("wss://console.example/graphql");
  });
});
