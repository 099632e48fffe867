/**
 * The guardrails: from the current price and the strategy's raw proposal to the price the section gets
 * this tick, with machine-readable reason codes and a one-line explanation. Pure, like strategy.ts.
 *
 * Pipeline, in order (each stage records its code):
 *   1. state checks — OVERRIDE, PAUSED, FROZEN, NO_SIGNAL: the price holds, that code alone;
 *   2. DEADBAND — a step too small to be worth a visible change: the price holds;
 *   3. raw = current × (1 + step), clamped to floor..ceiling (FLOOR_APPLIED / CEILING_APPLIED);
 *   4. at most maxStep of the current price per tick (STEP_CLAMPED_UP / STEP_CLAMPED_DOWN);
 *   5. re-clamped to floor..ceiling (a current price outside a narrowed range is pulled in);
 *   6. rounded to the price unit toward the current price, so rounding never reverses the direction or
 *      exceeds the cap, then clamped into floor..ceiling exactly;
 *   7. the primary code RAISED / LOWERED / UNCHANGED is put first.
 *
 * Guarantees (test/guardrails.test.ts): the result is an integer within [floor, ceiling]; when the
 * current price was within the range, |result − current| ≤ current × maxStep; the state checks and the
 * deadband return the current price exactly; the result never decreases as the step increases.
 */
import type { Proposal } from "./strategy.js";

export type ReasonCode =
  | "RAISED"
  | "LOWERED"
  | "UNCHANGED"
  | "DEADBAND"
  | "FLOOR_APPLIED"
  | "CEILING_APPLIED"
  | "STEP_CLAMPED_UP"
  | "STEP_CLAMPED_DOWN"
  | "FROZEN"
  | "PAUSED"
  | "OVERRIDE"
  | "NO_SIGNAL";

export interface Guardrails {
  floorMinor: number;
  ceilingMinor: number;
  /** Largest change per tick, basis points of the current price (1000 = 10%). */
  maxStepBasisPoints: number;
  paused: boolean;
  /** A promoter's fixed price: the API already set it; the engine must leave the price alone. */
  overridePriceMinor: number | null;
  startsAt: Date;
  /** No change from this many minutes before startsAt. */
  freezeMinutes: number;
}

export interface Decision {
  priceMinor: number;
  previousPriceMinor: number;
  changed: boolean;
  /** reasons[0] is the primary reason */
  reasons: ReasonCode[];
}

/** |step| below this holds the price: 0.5% of a $100 ticket is 50 cents, not worth a visible change. */
export const DEFAULT_DEADBAND = 0.005;
/** Prices move on a grid of 50 minor units ($0.50), so fans see round prices, not $103.27. */
export const DEFAULT_PRICE_UNIT_MINOR = 50;

/** proposal null = the demand signals are missing (Redis lost or unreachable): NO_SIGNAL, price holds. */
export function decide(
  currentMinor: number,
  proposal: { step: number } | null,
  rails: Guardrails,
  now: Date,
  options?: { deadband?: number; priceUnitMinor?: number },
): Decision {
  const { floorMinor: floor, ceilingMinor: ceiling } = rails;
  // A range the promoter cannot have saved (the API and a CHECK refuse it): a bug, not a market state.
  if (!(floor <= ceiling) || !(floor >= 0)) throw new RangeError(`invalid price range ${floor}..${ceiling}`);
  const deadband = options?.deadband ?? DEFAULT_DEADBAND;
  const unit = Math.max(1, Math.round(options?.priceUnitMinor ?? DEFAULT_PRICE_UNIT_MINOR));
  const hold = (reason: ReasonCode): Decision => ({ priceMinor: currentMinor, previousPriceMinor: currentMinor, changed: false, reasons: [reason] });

  if (rails.overridePriceMinor !== null) return hold("OVERRIDE");
  if (rails.paused) return hold("PAUSED");
  if (now.getTime() >= rails.startsAt.getTime() - rails.freezeMinutes * 60_000) return hold("FROZEN");
  // A NaN step is as good as no signal: holding is the only safe reading.
  if (proposal === null || !Number.isFinite(proposal.step)) return hold("NO_SIGNAL");
  if (Math.abs(proposal.step) < deadband) return hold("DEADBAND");

  const secondary: ReasonCode[] = [];
  const note = (reason: ReasonCode) => {
    if (!secondary.includes(reason)) secondary.push(reason);
  };
  const intoRange = (price: number): number => {
    if (price > ceiling) {
      note("CEILING_APPLIED");
      return ceiling;
    }
    if (price < floor) {
      note("FLOOR_APPLIED");
      return floor;
    }
    return price;
  };

  let raw = intoRange(currentMinor * (1 + proposal.step));
  const maxDelta = (currentMinor * rails.maxStepBasisPoints) / 10_000;
  if (raw > currentMinor + maxDelta) {
    raw = currentMinor + maxDelta;
    note("STEP_CLAMPED_UP");
  } else if (raw < currentMinor - maxDelta) {
    raw = currentMinor - maxDelta;
    note("STEP_CLAMPED_DOWN");
  }
  const capped = raw;
  raw = intoRange(raw);
  // The range wins over the cap (a current price above a lowered ceiling comes straight down to it);
  // then the cap did not decide the price and is not reported.
  if (raw !== capped) secondary.splice(0, secondary.length, ...secondary.filter((reason) => reason !== "STEP_CLAMPED_UP" && reason !== "STEP_CLAMPED_DOWN"));

  let price = currentMinor;
  if (raw > currentMinor) price = Math.max(currentMinor, Math.floor(raw / unit) * unit);
  else if (raw < currentMinor) price = Math.min(currentMinor, Math.ceil(raw / unit) * unit);
  // Exactly inside the range: a floor or ceiling off the unit grid, or a current price outside a
  // narrowed range, must still end within it.
  price = Math.min(ceiling, Math.max(floor, price));

  const primary: ReasonCode = price > currentMinor ? "RAISED" : price < currentMinor ? "LOWERED" : "UNCHANGED";
  return { priceMinor: price, previousPriceMinor: currentMinor, changed: price !== currentMinor, reasons: [primary, ...secondary] };
}

/** One line per decision for logs, price history and the admin console, e.g. "+6%: 82% sold, pace 3.1× target, 4,200 waiting" or "held: frozen 60 min before the event". */
export function explain(decision: Decision, proposal: Proposal | null, queueDepth: number, rails?: Pick<Guardrails, "freezeMinutes">): string {
  const primary = decision.reasons[0];
  switch (primary) {
    case "OVERRIDE":
      return "held: promoter's fixed price";
    case "PAUSED":
      return "held: paused by the promoter";
    case "FROZEN":
      return rails ? `held: frozen ${rails.freezeMinutes} min before the event` : "held: frozen before the event";
    case "NO_SIGNAL":
      return "held: no demand signal";
    case "DEADBAND":
      return `held: ${signedPercent(proposal?.step ?? 0)} is within the deadband${demandSummary(proposal, queueDepth)}`;
    case "RAISED":
    case "LOWERED":
    case "UNCHANGED":
    case undefined:
      return `${changeHead(decision)}${demandSummary(proposal, queueDepth)}${limitNotes(decision)}`;
    case "FLOOR_APPLIED":
    case "CEILING_APPLIED":
    case "STEP_CLAMPED_UP":
    case "STEP_CLAMPED_DOWN":
      // decide() never puts these first; a hand-built decision still gets a readable line.
      return `${changeHead(decision)}${demandSummary(proposal, queueDepth)}${limitNotes(decision)}`;
    default:
      return assertNever(primary);
  }
}

function changeHead(decision: Decision): string {
  if (!decision.changed || decision.previousPriceMinor === 0) return "unchanged";
  return signedPercent((decision.priceMinor - decision.previousPriceMinor) / decision.previousPriceMinor);
}

function demandSummary(proposal: Proposal | null, queueDepth: number): string {
  if (!proposal) return "";
  const parts = [`${Math.round(proposal.soldFraction * 100)}% sold`, `pace ${proposal.pace.toFixed(1)}× target`];
  if (queueDepth > 0) parts.push(`${Math.round(queueDepth).toLocaleString("en-US")} waiting`);
  return `: ${parts.join(", ")}`;
}

function limitNotes(decision: Decision): string {
  const notes: string[] = [];
  if (decision.reasons.includes("STEP_CLAMPED_UP") || decision.reasons.includes("STEP_CLAMPED_DOWN")) notes.push("capped at the per-tick limit");
  if (decision.reasons.includes("CEILING_APPLIED")) notes.push("at the ceiling");
  if (decision.reasons.includes("FLOOR_APPLIED")) notes.push("at the floor");
  return notes.length > 0 ? ` (${notes.join(", ")})` : "";
}

/** "+6%", "−3.5%": one decimal below 10%, none above; a real minus sign. */
function signedPercent(fraction: number): string {
  const percent = Math.abs(fraction * 100);
  const digits = percent < 10 ? Number(percent.toFixed(1)).toString() : Math.round(percent).toString();
  return `${fraction < 0 ? "−" : "+"}${digits}%`;
}

function assertNever(value: never): never {
  throw new Error(`unexpected reason code ${String(value)}`);
}
