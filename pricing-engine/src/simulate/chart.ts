/**
 * One PNG per simulated section, drawn without a browser: ECharts renders the chart to an SVG string in
 * its server-side mode (no DOM, no canvas), and resvg (a Rust SVG renderer shipped as a prebuilt binary)
 * rasterises it with the system fonts.
 *
 * Top panel: the dynamic price with the floor and ceiling dashed and the fixed price dotted, the freeze
 * window shaded. Bottom panel: seats sold (dynamic and fixed-price runs) and the waiting room's depth.
 */
import { Resvg } from "@resvg/resvg-js";
import * as echarts from "echarts";
import type { MinuteSample, SimulatedSection } from "./market.js";

export interface SectionChart {
  title: string;
  subtitle: string;
  section: SimulatedSection;
  dynamic: MinuteSample[];
  fixed: MinuteSample[];
  freezeFromMinute: number;
  saleMinutes: number;
  currencySymbol: string;
}

const WIDTH = 1200;
const HEIGHT = 760;
const FONT = "DejaVu Sans";
const COLORS = { price: "#1f5fbf", rail: "#c0392b", fixed: "#7f8c8d", sold: "#27ae60", queue: "#e67e22", freeze: "rgba(120,120,120,0.12)" };

/** The chart as PNG bytes. */
export function renderSectionChart(chart: SectionChart): Buffer {
  const svg = renderSectionSvg(chart);
  return new Resvg(svg, {
    background: "#ffffff",
    fitTo: { mode: "width", value: WIDTH },
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
  })
    .render()
    .asPng();
}

/** The chart as an SVG string (what the PNG is rasterised from). */
export function renderSectionSvg(chart: SectionChart): string {
  const instance = echarts.init(null, null, { renderer: "svg", ssr: true, width: WIDTH, height: HEIGHT });
  const major = (minor: number) => minor / 100;
  const line = (samples: MinuteSample[], value: (sample: MinuteSample) => number) => samples.map((sample) => [sample.minute, value(sample)]);
  const constant = (value: number) => [
    [0, value],
    [chart.saleMinutes, value],
  ];
  const { section } = chart;
  const money = (value: number) => `${chart.currencySymbol}${value.toFixed(0)}`;

  instance.setOption({
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: FONT },
    title: { text: chart.title, subtext: chart.subtitle, left: 24, top: 12, textStyle: { fontSize: 20 }, subtextStyle: { fontSize: 13, color: "#555" } },
    legend: [
      { top: 76, right: 90, data: ["price (dynamic)", "floor", "ceiling", "price (fixed)"] },
      { top: 418, right: 90, data: ["sold (dynamic)", "sold (fixed price)", "waiting room"] },
    ],
    grid: [
      { left: 80, right: 90, top: 110, height: 260 },
      { left: 80, right: 90, top: 455, height: 250 },
    ],
    xAxis: [
      { gridIndex: 0, type: "value", min: 0, max: chart.saleMinutes, axisLabel: { show: false } },
      { gridIndex: 1, type: "value", min: 0, max: chart.saleMinutes, name: "minute of the sale", nameLocation: "middle", nameGap: 28 },
    ],
    yAxis: [
      {
        gridIndex: 0,
        type: "value",
        name: "price",
        nameLocation: "middle",
        nameGap: 52,
        min: Math.floor(major(section.floorMinor) * 0.9),
        max: Math.ceil(major(section.ceilingMinor) * 1.05),
        axisLabel: { formatter: money },
      },
      { gridIndex: 1, type: "value", name: "seats sold", nameLocation: "middle", nameGap: 52, min: 0, max: section.capacity },
      { gridIndex: 1, type: "value", name: "fans waiting", nameLocation: "middle", nameGap: 60, position: "right", minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      {
        name: "price (dynamic)",
        type: "line",
        step: "end",
        showSymbol: false,
        xAxisIndex: 0,
        yAxisIndex: 0,
        lineStyle: { width: 2.5, color: COLORS.price },
        itemStyle: { color: COLORS.price },
        data: [[0, major(section.priceMinor)], ...line(chart.dynamic, (sample) => major(sample.priceMinor))],
        markArea:
          chart.freezeFromMinute < chart.saleMinutes
            ? { silent: true, itemStyle: { color: COLORS.freeze }, label: { color: "#555", position: "insideTop" }, data: [[{ name: "frozen", xAxis: chart.freezeFromMinute }, { xAxis: chart.saleMinutes }]] }
            : undefined,
      },
      dashed("floor", constant(major(section.floorMinor)), COLORS.rail, "dashed", 0),
      dashed("ceiling", constant(major(section.ceilingMinor)), COLORS.rail, "dashed", 0),
      dashed("price (fixed)", constant(major(section.priceMinor)), COLORS.fixed, "dotted", 0),
      {
        name: "sold (dynamic)",
        type: "line",
        showSymbol: false,
        xAxisIndex: 1,
        yAxisIndex: 1,
        lineStyle: { width: 2.5, color: COLORS.sold },
        itemStyle: { color: COLORS.sold },
        data: line(chart.dynamic, (sample) => sample.sold),
      },
      { ...dashed("sold (fixed price)", line(chart.fixed, (sample) => sample.sold), COLORS.fixed, "dotted", 1), yAxisIndex: 1 },
      {
        name: "waiting room",
        type: "line",
        showSymbol: false,
        xAxisIndex: 1,
        yAxisIndex: 2,
        lineStyle: { width: 1.5, color: COLORS.queue },
        itemStyle: { color: COLORS.queue },
        areaStyle: { color: COLORS.queue, opacity: 0.15 },
        data: line(chart.dynamic, (sample) => sample.queueDepth),
      },
    ],
  });
  const svg = instance.renderToSVGString();
  instance.dispose();
  return svg;
}

function dashed(name: string, data: number[][], color: string, type: "dashed" | "dotted", grid: number) {
  return { name, type: "line" as const, showSymbol: false, xAxisIndex: grid, yAxisIndex: grid, lineStyle: { width: 1.5, type, color }, itemStyle: { color }, data };
}
