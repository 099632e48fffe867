/**
 * The dashboard's chart options, built from a snapshot by pure functions (tested in live.test.ts).
 *
 * Charts are Apache ECharts, the library pricing-engine/simulate already uses: it is made for the
 * browser first (canvas rendering, animated updates when setOption gets new data, so a live chart
 * does not flicker), draws the venue's ~20,000 seats as one scatter series without strain, and its
 * modular build lets the console import only the chart kinds it uses.
 */
import type { EChartsCoreOption } from "echarts/core";
import type { DashboardSection, SaleSnapshot, VenueSeat } from "./live-documents";
import { formatMoney, toMajor } from "../shared/money";

/** Sell-through colours from empty (pale) to sold out (deep red); the heat map and the table share them. */
export const SELL_THROUGH_COLOURS = ["#e3f2fd", "#90caf9", "#ffd54f", "#fb8c00", "#c62828"];

/** The colour of a sell-through (0 to 1), by linear interpolation between SELL_THROUGH_COLOURS. */
export function sellThroughColour(sellThrough: number): string {
  const clamped = Math.min(1, Math.max(0, sellThrough));
  const position = clamped * (SELL_THROUGH_COLOURS.length - 1);
  const low = Math.floor(position);
  const high = Math.min(SELL_THROUGH_COLOURS.length - 1, low + 1);
  const mix = position - low;
  const channel = (hex: string, index: number) => parseInt(hex.slice(1 + index * 2, 3 + index * 2), 16);
  const value = [0, 1, 2].map((index) => Math.round(channel(SELL_THROUGH_COLOURS[low]!, index) * (1 - mix) + channel(SELL_THROUGH_COLOURS[high]!, index) * mix));
  return `#${value.map((part) => part.toString(16).padStart(2, "0")).join("")}`;
}

const minuteLabel = (iso: string) => new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

/**
 * What each chart draws, as a string that changes exactly when the chart would: the page redraws a
 * chart only then, not on every snapshot (the 5-second refresh mostly changes nothing drawn).
 */
export const chartKeys = (snapshot: SaleSnapshot) => ({
  sales: snapshot.salesPerMinute.map((minute) => `${minute.minute}:${minute.tickets}:${minute.revenue.amount}`).join(","),
  prices: snapshot.sections.map((section) => `${section.sectionId}:${section.price.amount}:${section.priceHistory.length}:${section.priceHistory.at(-1)?.at ?? ""}`).join(","),
  expiring: snapshot.holdsExpiring.map((minute) => minute.tickets).join(","),
});

/** Tickets (bars, left axis) and revenue (line, right axis) per minute over the last hour. */
export function salesChartOption(snapshot: SaleSnapshot): EChartsCoreOption {
  const currency = snapshot.revenue.currency;
  return {
    animation: false,
    grid: { left: 48, right: 72, top: 32, bottom: 28 },
    tooltip: { trigger: "axis" },
    legend: { data: ["Tickets", "Revenue"], top: 0 },
    xAxis: { type: "category", data: snapshot.salesPerMinute.map((minute) => minuteLabel(minute.minute)) },
    yAxis: [
      { type: "value", name: "tickets", minInterval: 1 },
      { type: "value", name: currency, axisLabel: { formatter: (value: number) => value.toLocaleString("en") } },
    ],
    series: [
      { name: "Tickets", type: "bar", data: snapshot.salesPerMinute.map((minute) => minute.tickets), itemStyle: { color: "#5b3df5" } },
      {
        name: "Revenue",
        type: "line",
        yAxisIndex: 1,
        showSymbol: false,
        data: snapshot.salesPerMinute.map((minute) => toMajor(minute.revenue.amount, currency)),
        itemStyle: { color: "#00897b" },
      },
    ],
  };
}

/**
 * Each section's price over time as a step line: a price holds until the next change, and the line is
 * drawn on to the snapshot's time so the current price reaches the right edge.
 */
export function priceHistoryOption(snapshot: SaleSnapshot): EChartsCoreOption {
  const sections = snapshot.sections.filter((section) => section.priceHistory.length > 0);
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 40, bottom: 28 },
    tooltip: { trigger: "axis", valueFormatter: (value: number) => value.toLocaleString("en", { minimumFractionDigits: 2 }) },
    legend: { type: "scroll", top: 0 },
    xAxis: { type: "time" },
    yAxis: { type: "value", name: snapshot.revenue.currency, scale: true },
    series: sections.map((section) => ({
      name: section.name,
      type: "line",
      step: "end",
      showSymbol: false,
      data: [
        ...section.priceHistory.map((change) => [change.at, toMajor(change.price.amount, change.price.currency)]),
        [snapshot.generatedAt, toMajor(section.price.amount, section.price.currency)],
      ],
    })),
  };
}

/** Holds (bars) expiring in each of the next minutes. */
export function expiringHoldsOption(snapshot: SaleSnapshot): EChartsCoreOption {
  return {
    animation: false,
    grid: { left: 40, right: 12, top: 16, bottom: 28 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: snapshot.holdsExpiring.map((minute) => (minute.minutesFromNow === 0 ? "<1 min" : `${minute.minutesFromNow}–${minute.minutesFromNow + 1}`)) },
    yAxis: { type: "value", minInterval: 1, name: "tickets" },
    series: [{ name: "Tickets held", type: "bar", data: snapshot.holdsExpiring.map((minute) => minute.tickets), itemStyle: { color: "#fb8c00" } }],
  };
}

/**
 * The seat map as a heat map: every seat a dot at its map position, coloured by its section's
 * sell-through. One scatter series per section with the section's colour, so ECharts' large mode
 * (one draw call per series, needed for ~20,000 seats) can be used: large mode cannot colour dots one
 * by one. Map y grows downwards, as on the venue editor.
 */
/**
 * The map's colour of a section, in 5 % steps: the seat map (thousands of dots) is redrawn only when
 * a section crosses a step, not on every sale (see mapColourKey).
 */
export const mapColour = (section: Pick<DashboardSection, "sellThrough">) => sellThroughColour(Math.round(section.sellThrough * 20) / 20);

/** Changes exactly when the seat map would look different. */
export const mapColourKey = (sections: readonly DashboardSection[]) => sections.map((section) => `${section.sectionId}:${mapColour(section)}`).join(",");

export function sellThroughMapOption(seats: readonly VenueSeat[], sections: readonly DashboardSection[]): EChartsCoreOption {
  const positions = new Map<string, [number, number][]>();
  for (const seat of seats) {
    const list = positions.get(seat.sectionId);
    if (list) list.push([seat.x, seat.y]);
    else positions.set(seat.sectionId, [[seat.x, seat.y]]);
  }
  const large = seats.length > 5000;
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 8, bottom: 8 },
    tooltip: { trigger: "item" },
    xAxis: { type: "value", show: false, scale: true },
    yAxis: { type: "value", show: false, scale: true, inverse: true },
    series: sections
      .filter((section) => positions.has(section.sectionId))
      .map((section) => ({
        name: section.name,
        type: "scatter",
        data: positions.get(section.sectionId),
        symbolSize: large ? 3 : 6,
        large,
        itemStyle: { color: mapColour(section) },
        tooltip: { formatter: `${section.name}: ${section.sold} of ${section.total} sold (${Math.round(section.sellThrough * 100)}%)` },
      })),
  };
}

export const money = (value: { amount: number; currency: string }) => formatMoney(value.amount, value.currency);
