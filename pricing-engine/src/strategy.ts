/**
 * The pricing strategy: from one section's state (inventory, time into the sale, demand, waiting room)
 * to a proposed relative price change. Pure — no I/O, no clock, no randomness — so the engine's tick,
 * the simulator and the tests all run exactly this code.
 *
 * It is a pacing controller (research/WAVE2.md A2): the sale should follow a target sell-through curve
 * to the sell-out time; selling ahead of the curve raises the price, behind it lowers it. Three bounded
 * corrections are added: fans waiting per remaining seat (≥ 0), seats held right now per remaining seat
 * (≥ 0), and carts being abandoned at this price (≤ 0).
 *
 * Guarantees (tested in test/strategy.test.ts):
 * - every term is finite for any input, and the queue, hold and release terms stay within their caps;
 * - all else equal, more sold, more fans waiting or more seats held never give a lower step;
 * - a sale exactly on its curve with no queue, no holds and no abandonment proposes 0.
 * The proposal is raw: it may exceed any per-tick cap. guardrails.ts applies the promoter's limits.
 */

export type PacingCurve = "FRONT_LOADED" | "LINEAR";

/** Demand of one section over the last `minutes` whole minutes (Redis counters). */
export interface DemandWindow {
  minutes: number;
  views: number;
  holdsPlaced: number;
  holdsReleased: number;
  seatsSold: number;
}

export interface SectionState {
  now: Date;
  onSaleAt: Date;
  sellOutBy: Date;
  curve: PacingCurve;
  /** PostgreSQL: sellable seats/places, sold, held right now. */
  capacity: number;
  sold: number;
  held: number;
  demand: DemandWindow;
  /** The event's waiting room: fans waiting now, and joins per minute over the window. */
  queueDepth: number;
  queueJoinsPerMinute: number;
}

/** Gains and limits of the strategy. Every term's cap is a relative price change (0.05 = 5%). */
export interface Tuning {
  /**
   * Gain on ln(pace). 0.1 turns 2× ahead of the curve into +6.9% and 2× behind into −6.9%; with the
   * default 10% per-tick cap a section far ahead reaches its cap within a few ticks, not in one jump.
   */
  paceGain: number;
  /**
   * Added to both sold fraction and target before dividing, so the first minutes (target ≈ 0) give a
   * finite pace. 0.02 = the first 2% of a section is not read as a trend; it also bounds |ln(pace)|
   * by ln(1.02 / 0.02) ≈ 3.9, so the pace term never exceeds ±0.39.
   */
  paceEpsilon: number;
  /** Largest queue term. 0.05: a waiting room full of fans adds at most +5% per tick. */
  queueMax: number;
  /**
   * Fans waiting per remaining seat at which the queue term is half its cap. 5: the event's whole
   * waiting room is seen by every section, so a few fans per seat is normal and only a crowd counts.
   */
  queueHalfSaturation: number;
  /**
   * Minutes of current joins counted as already waiting: fans arriving in the next few minutes compete
   * for the same seats. 2 keeps a fast-filling queue from being read as empty.
   */
  queueLookaheadMinutes: number;
  /** Largest hold term. 0.05: seats in carts add at most +5% per tick. */
  holdMax: number;
  /** Seats held per remaining seat at which the hold term is half its cap. 0.5: one held seat for two free. */
  holdHalfSaturation: number;
  /** Largest release term, as a positive number (the term is its negative). 0.05: at most −5% per tick. */
  releaseMax: number;
  /**
   * Share of placed holds released that is normal (timeouts, fans changing their mind at any price);
   * only abandonment beyond it counts. 0.2.
   */
  releaseBaseline: number;
  /**
   * Holds (placed + released) in the window at which the release signal gets half its weight, so two
   * abandoned carts in a quiet section do not cut its price by the full cap. 10.
   */
  releaseConfidenceHolds: number;
}

export const DEFAULT_TUNING: Tuning = Object.freeze({
  paceGain: 0.1,
  paceEpsilon: 0.02,
  queueMax: 0.05,
  queueHalfSaturation: 5,
  queueLookaheadMinutes: 2,
  holdMax: 0.05,
  holdHalfSaturation: 0.5,
  releaseMax: 0.05,
  releaseBaseline: 0.2,
  releaseConfidenceHolds: 10,
});

export interface Proposal {
  /** Raw relative change proposed before guardrails, e.g. 0.06 = +6% (may exceed any cap). */
  step: number;
  soldFraction: number;
  target: number;
  pace: number;
  terms: { pace: number; queue: number; hold: number; release: number };
}

/** Share of capacity that should be sold at this fraction of the sale (0..1 → 0..1). FRONT_LOADED = 1-(1-t)^2, LINEAR = t. */
export function targetSellThrough(elapsedFraction: number, curve: PacingCurve): number {
  const t = clamp(elapsedFraction, 0, 1);
  switch (curve) {
    case "FRONT_LOADED":
      // 1-(1-t)^2 written as t(2-t): the same curve, but exact near 0 (1-(1-t)^2 rounds a tiny t to 0,
      // which would put the front-loaded target behind the linear one).
      return t * (2 - t);
    case "LINEAR":
      return t;
    default:
      return assertNever(curve);
  }
}

/** Fraction of the sale elapsed, 0 at on-sale and 1 at (and after) the sell-out time; 1 when the window is empty. */
export function elapsedFraction(now: Date, onSaleAt: Date, sellOutBy: Date): number {
  const length = sellOutBy.getTime() - onSaleAt.getTime();
  if (!(length > 0)) return 1;
  return clamp((now.getTime() - onSaleAt.getTime()) / length, 0, 1);
}

/** The strategy's proposal for one section at one tick; see the header for what it guarantees. */
export function propose(state: SectionState, tuning: Tuning = DEFAULT_TUNING): Proposal {
  const capacity = Math.max(0, finiteOr(state.capacity, 0));
  const sold = clamp(finiteOr(state.sold, 0), 0, capacity);
  // Not capped at capacity − sold: a count read a moment apart may briefly overlap, and capping would
  // make more sold read as fewer held (breaking monotonicity); `remaining` absorbs the overlap.
  const held = Math.max(0, finiteOr(state.held, 0));
  // A section with nothing to sell has nothing to pace: no signal in any direction.
  if (capacity === 0) return { step: 0, soldFraction: 0, target: 0, pace: 1, terms: { pace: 0, queue: 0, hold: 0, release: 0 } };

  const target = targetSellThrough(elapsedFraction(state.now, state.onSaleAt, state.sellOutBy), state.curve);
  const soldFraction = sold / capacity;
  const pace = (soldFraction + tuning.paceEpsilon) / (target + tuning.paceEpsilon);
  // Seats a newly admitted fan could still take. At least 1 so a section sold out or fully in carts
  // reads as maximal pressure rather than a division by zero.
  const remaining = Math.max(1, capacity - sold - held);

  const waiting = Math.max(0, finiteOr(state.queueDepth, 0)) + Math.max(0, finiteOr(state.queueJoinsPerMinute, 0)) * tuning.queueLookaheadMinutes;
  const terms = {
    pace: tuning.paceGain * Math.log(pace),
    queue: tuning.queueMax * saturate(waiting / remaining, tuning.queueHalfSaturation),
    hold: tuning.holdMax * saturate(held / remaining, tuning.holdHalfSaturation),
    // `0 -` rather than unary minus: no abandonment is +0, not −0, in logs and JSON.
    release: 0 - tuning.releaseMax * abandonment(state.demand, tuning),
  };
  return { step: terms.pace + terms.queue + terms.hold + terms.release, soldFraction, target, pace, terms };
}

/**
 * 0..1: how strongly fans are abandoning carts in the window. Excess release rate over the baseline
 * (scaled so "all released" is 1), weighted by how many holds the window saw.
 */
function abandonment(demand: DemandWindow, tuning: Tuning): number {
  const placed = Math.max(0, finiteOr(demand.holdsPlaced, 0));
  const released = Math.max(0, finiteOr(demand.holdsReleased, 0));
  if (placed + released === 0) return 0;
  // Released can exceed placed in a window (holds placed before it); the rate is capped at 1.
  const rate = Math.min(1, released / Math.max(placed, 1));
  const excess = Math.max(0, rate - tuning.releaseBaseline) / (1 - tuning.releaseBaseline);
  const confidence = (placed + released) / (placed + released + tuning.releaseConfidenceHolds);
  return clamp(excess * confidence, 0, 1);
}

/** x / (x + half): 0 at 0, ½ at `half`, approaches 1; increasing, so a term built on it is monotone and bounded. */
function saturate(x: number, half: number): number {
  if (!(x > 0)) return 0;
  if (x === Infinity) return 1;
  return x / (x + half);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

function assertNever(value: never): never {
  throw new Error(`unexpected pacing curve ${String(value)}`);
}
