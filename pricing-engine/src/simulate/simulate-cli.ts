/**
 * npm run pricing:simulate -- --event <slug> --arrivals <profile> [--sections N] [--minutes M] [--out DIR] [--seed S] [--curve C]
 *
 * Replays an on-sale of a real event's sections (read from PostgreSQL, DATABASE_URL) against a synthetic
 * market (market.ts), twice with the same fans: once with every section priced by the engine's own
 * propose() + decide(), once at its current fixed price. Prints progress and a summary per section
 * (final price, sold, revenue against the fixed price) and writes one PNG chart per section plus
 * summary.json. The sale is compressed to M virtual minutes and the event starts when it ends, so the
 * last freeze window of the sale is frozen. --curve tries another pacing target than the event's.
 * Nothing is written to the database.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { ARRIVAL_PROFILES, arrivalProfile, isArrivalProfileName } from "./arrivals.js";
import { renderSectionChart } from "./chart.js";
import type { PacingCurve } from "../strategy.js";
import { loadEvent, type EventForSimulation } from "./event-source.js";
import { runMarket, type MarketRun, type SimulatedEvent } from "./market.js";

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const USAGE = `usage: npm run pricing:simulate -- --event <slug> --arrivals <${ARRIVAL_PROFILES.join("|")}> [--sections N] [--minutes M] [--out DIR] [--seed S] [--curve FRONT_LOADED|LINEAR]`;
const CURVES: readonly PacingCurve[] = ["FRONT_LOADED", "LINEAR"];

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values } = parseOptions();
  if (!values.event) throw new UsageError(`--event is required\n${USAGE}`);
  if (!values.arrivals) throw new UsageError(`--arrivals is required: one of ${ARRIVAL_PROFILES.join(", ")}\n${USAGE}`);
  if (!isArrivalProfileName(values.arrivals)) throw new UsageError(`unknown arrival profile "${values.arrivals}"; known profiles: ${ARRIVAL_PROFILES.join(", ")}`);
  const profile = arrivalProfile(values.arrivals);
  const saleMinutes = positiveInteger("--minutes", values.minutes);
  const seed = positiveInteger("--seed", values.seed);
  const curveOverride = values.curve?.toUpperCase().replace("-", "_");
  if (curveOverride !== undefined && !CURVES.some((curve) => curve === curveOverride)) throw new UsageError(`unknown pacing curve "${values.curve}"; known: ${CURVES.join(", ")}`);
  const sectionLimit = values.sections === undefined ? Infinity : positiveInteger("--sections", values.sections);

  // The CLI is this process's only configuration reader; the default matches the rest of the project.
  const databaseUrl = process.env.DATABASE_URL || "postgresql://root@127.0.0.1:5432/boxoffice";
  const stored = await readEvent(databaseUrl, values.event);
  const event = curveOverride ? { ...stored, curve: curveOverride as PacingCurve } : stored;
  const sections = event.sections.filter((section) => section.capacity > 0).slice(0, sectionLimit);
  if (sections.length === 0) throw new UsageError(`event ${event.slug} has no sections with sellable capacity`);
  // npm runs workspace scripts inside the workspace; a relative --out is meant from where the user typed it.
  const outDir = values.out ? resolve(process.env.INIT_CWD ?? process.cwd(), values.out) : resolve(PACKAGE_ROOT, "simulations", event.slug);

  const simulated: SimulatedEvent = {
    onSaleAt: event.onSaleAt,
    saleMinutes,
    curve: event.curve,
    freezeMinutes: event.freezeMinutes,
    serviceFeeBasisPoints: event.serviceFeeBasisPoints,
    facilityFeeMinor: event.facilityFeeMinor,
    sections,
  };
  const capacity = sections.reduce((sum, section) => sum + section.capacity, 0);
  console.log(`pricing:simulate: ${event.name} (${event.slug}) — ${sections.length} sections, ${capacity.toLocaleString("en-US")} seats, ${event.curve.toLowerCase().replace("_", "-")} target`);
  console.log(`  arrivals: ${profile.name} — ${profile.description}`);
  console.log(`  sale: ${saleMinutes} virtual minutes, event starts at the end; prices frozen for the last ${event.freezeMinutes} min; all-in = price + ${event.serviceFeeBasisPoints / 100}% + ${money(event.facilityFeeMinor, event.currency)}`);
  if (saleMinutes <= event.freezeMinutes) console.log(`  note: the whole sale is inside the ${event.freezeMinutes}-minute freeze window, so no price will move; pass a longer --minutes`);

  // A terminal gets one line rewritten in place; a log gets a line per half hour of the sale.
  const interactive = process.stdout.isTTY === true;
  const progress = (label: string) => (minute: number, queueDepth: number) => {
    const line = `  ${label}: minute ${minute}/${saleMinutes}, ${queueDepth.toLocaleString("en-US")} waiting`;
    if (interactive && (minute % 5 === 0 || minute === saleMinutes)) process.stdout.write(`\r${line}   `);
    else if (!interactive && (minute % 30 === 0 || minute === saleMinutes)) process.stdout.write(`${line}\n`);
  };
  const fixed = runMarket(simulated, profile, { dynamicPricing: false, seed, onMinute: progress("fixed prices  ") });
  if (interactive) process.stdout.write("\n");
  const dynamic = runMarket(simulated, profile, { dynamicPricing: true, seed, onMinute: progress("dynamic prices") });
  if (interactive) process.stdout.write("\n");

  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for (const [index, outcome] of dynamic.sections.entries()) {
    const label = `  chart ${index + 1}/${dynamic.sections.length}: section ${outcome.section.name}`;
    if (interactive) process.stdout.write(`\r${label}        `);
    else if ((index + 1) % 10 === 0 || index + 1 === dynamic.sections.length) process.stdout.write(`${label}\n`);
    const fixedOutcome = fixed.sections[index]!;
    const png = renderSectionChart({
      title: `${event.name} — section ${outcome.section.name}`,
      subtitle: `${profile.name} arrivals · ${outcome.section.capacity.toLocaleString("en-US")} seats · ${saleMinutes}-minute sale · revenue ${money(outcome.revenueMinor, event.currency)} dynamic vs ${money(fixedOutcome.revenueMinor, event.currency)} fixed (${signedPercent(outcome.revenueMinor, fixedOutcome.revenueMinor)})`,
      section: outcome.section,
      dynamic: outcome.samples,
      fixed: fixedOutcome.samples,
      freezeFromMinute: Math.max(0, saleMinutes - event.freezeMinutes),
      saleMinutes,
      currencySymbol: currencySymbol(event.currency),
    });
    const file = resolve(outDir, `${String(index + 1).padStart(2, "0")}-${fileSafe(outcome.section.name)}.png`);
    await writeFile(file, png);
    files.push(file);
  }
  process.stdout.write(interactive ? "\n\n" : "\n");

  printSummary(event, dynamic, fixed);
  await writeFile(resolve(outDir, "summary.json"), `${JSON.stringify(summaryJson(event, profile.name, saleMinutes, seed, dynamic, fixed, files), null, 2)}\n`);
  console.log(`\n  ${files.length} charts and summary.json in ${outDir}`);
}

/** The command line, with a usage message rather than a stack trace for an unknown or malformed option. */
function parseOptions() {
  try {
    return parseArgs({
      options: {
        event: { type: "string" },
        arrivals: { type: "string" },
        sections: { type: "string" },
        minutes: { type: "string", default: "240" },
        out: { type: "string" },
        seed: { type: "string", default: "1" },
        curve: { type: "string" },
      },
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

async function readEvent(databaseUrl: string, slug: string): Promise<EventForSimulation> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: 5000 });
  try {
    const lookup = await loadEvent(pool, slug);
    if (!lookup.ok) {
      throw new UsageError(`no event with slug "${slug}"${lookup.knownSlugs.length > 0 ? `; some that exist: ${lookup.knownSlugs.join(", ")}` : " (the database has no events: npm run db:seed)"}`);
    }
    return lookup.event;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const where = new URL(databaseUrl);
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot read the event from PostgreSQL at ${where.host}${where.pathname} (DATABASE_URL): ${reason}`);
  } finally {
    await pool.end();
  }
}

function printSummary(event: EventForSimulation, dynamic: MarketRun, fixed: MarketRun): void {
  const rows = dynamic.sections.map((outcome, index) => {
    const base = fixed.sections[index]!;
    return [
      outcome.section.name,
      outcome.section.capacity.toLocaleString("en-US"),
      money(outcome.section.priceMinor, event.currency),
      `${money(outcome.finalPriceMinor, event.currency)} (${money(outcome.lowestPriceMinor, event.currency)}–${money(outcome.highestPriceMinor, event.currency)})`,
      `${percent(outcome.sold, outcome.section.capacity)} / ${percent(base.sold, base.section.capacity)}`,
      money(outcome.revenueMinor, event.currency),
      money(base.revenueMinor, event.currency),
      signedPercent(outcome.revenueMinor, base.revenueMinor),
    ];
  });
  const revenue = (run: MarketRun) => run.sections.reduce((sum, outcome) => sum + outcome.revenueMinor, 0);
  const sold = (run: MarketRun) => run.sections.reduce((sum, outcome) => sum + outcome.sold, 0);
  const capacity = dynamic.sections.reduce((sum, outcome) => sum + outcome.section.capacity, 0);
  rows.push([
    "all",
    capacity.toLocaleString("en-US"),
    "",
    "",
    `${percent(sold(dynamic), capacity)} / ${percent(sold(fixed), capacity)}`,
    money(revenue(dynamic), event.currency),
    money(revenue(fixed), event.currency),
    signedPercent(revenue(dynamic), revenue(fixed)),
  ]);
  const header = ["section", "seats", "fixed price", "final price (range)", "sold dyn / fixed", "revenue dyn", "revenue fixed", "effect"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) => `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ")}`;
  console.log(format(header));
  rows.forEach((row, index) => {
    if (index === rows.length - 1) console.log(`  ${"-".repeat(widths.reduce((a, b) => a + b + 2, -2))}`);
    console.log(format(row));
  });
  console.log(`\n  fans: ${dynamic.fansArrived.toLocaleString("en-US")} arrived, ${dynamic.fansAdmitted.toLocaleString("en-US")} admitted with dynamic prices (${fixed.fansAdmitted.toLocaleString("en-US")} fixed); peak waiting room ${dynamic.peakQueueDepth.toLocaleString("en-US")}`);
  const examples = dynamic.sections.filter((outcome) => outcome.lastChange).slice(0, 3);
  for (const outcome of examples) console.log(`  last change, section ${outcome.section.name}: ${outcome.lastChange}`);
}

function summaryJson(event: EventForSimulation, profile: string, saleMinutes: number, seed: number, dynamic: MarketRun, fixed: MarketRun, files: string[]) {
  return {
    event: event.slug,
    arrivals: profile,
    saleMinutes,
    seed,
    currency: event.currency,
    sections: dynamic.sections.map((outcome, index) => ({
      name: outcome.section.name,
      capacity: outcome.section.capacity,
      fixedPriceMinor: outcome.section.priceMinor,
      floorMinor: outcome.section.floorMinor,
      ceilingMinor: outcome.section.ceilingMinor,
      finalPriceMinor: outcome.finalPriceMinor,
      lowestPriceMinor: outcome.lowestPriceMinor,
      highestPriceMinor: outcome.highestPriceMinor,
      soldDynamic: outcome.sold,
      soldFixed: fixed.sections[index]!.sold,
      revenueDynamicMinor: outcome.revenueMinor,
      revenueFixedMinor: fixed.sections[index]!.revenueMinor,
      lastChange: outcome.lastChange,
      chart: files[index],
    })),
  };
}

function positiveInteger(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${flag} must be a positive whole number, not "${raw}"`);
  return value;
}

function currencySymbol(currency: string): string {
  return { USD: "$", EUR: "€", GBP: "£" }[currency] ?? `${currency} `;
}

function money(minor: number, currency: string): string {
  return `${currencySymbol(currency)}${(minor / 100).toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${Math.round((part / whole) * 100)}%`;
}

function signedPercent(value: number, base: number): string {
  if (base === 0) return value === 0 ? "±0%" : "n/a";
  const change = ((value - base) / base) * 100;
  return `${change >= 0 ? "+" : "−"}${Math.abs(change).toFixed(1)}%`;
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-|-$/g, "") || "section";
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`pricing:simulate: ${error.message}`);
  } else {
    console.error(`pricing:simulate failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  process.exitCode = 1;
});
