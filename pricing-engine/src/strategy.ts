/**
 * The pricing strategy: from one section's state (inventory, time into the sale, demand, waiting room)
 * to a proposed relative price change. Pure — no I/O, no clock, no randomness — so the engine's tick,
 * the simulator and the tests all run exactly this code.
 *
 * It is a pacing controller (research/WAVE2.md A2): the sale should follow a target sell-through curve
 * to the sell-out time; selling ahead of the curve raises the price, behind it lowers it, and within a
 * tolerance band of it the pace says nothing. Three bounded corrections are added, each counting only
 * what exceeds normal traffic: fans waiting per remaining seat (≥ 0), seats held right now per
 * remaining seat (≥ 0), and carts being abandoned at this price (≤ 0). Each tick's step builds on the
 * last price, so the gains are small; Tuning documents each one and why.
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
   * Gain on ln(pace) beyond the tolerance band, per tick. 0.05: 2× ahead of the curve gives
   * 0.05 × (ln 2 − 0.2) = +2.5% a minute. The tick runs every minute and each step builds on the last,
   * so this is an integral gain: the simulator (README) showed 0.1 over-cutting sections that were only
   * somewhat behind, and sales react to a price only after holds convert (minutes later).
   */
  paceGain: number;
  /**
   * Added to both sold fraction and target before dividing, so the first minutes (target ≈ 0) give a
   * finite pace. 0.1: sales lag holds by the hold's lifetime, so the first tenth of a section is not
   * read as a trend; it also bounds |ln(pace)| by ln(1.1 / 0.1) ≈ 2.4 (a pace term within ±0.12).
   */
  paceEpsilon: number;
  /**
   * Tolerance band on ln(pace): within ±paceTolerance of the curve the pace term is 0, beyond it only
   * the excess counts. 0.2: a pace between 0.82× and 1.22× the target is on pace. A per-minute tick integrates the pace term, so without a band a section a
   * little behind its curve would be cut every minute until it reached the floor; the band absorbs the
   * noise of a few holds converting late (research/WAVE2.md A2: hysteresis bands in pacing).
   */
  paceTolerance: number;
  /** Largest queue term. 0.05: a waiting room full of fans adds at most +5% per tick. */
  queueMax: number;
  /**
   * Fans waiting per remaining seat that are no pressure yet: up to one fan per seat left, everyone
   * waiting can still be served at this price. Only the excess counts.
   */
  queueBaseline: number;
  /**
   * Excess fans waiting per remaining seat at which the queue term is half its cap. 2: the waiting
   * room is the event's, seen by every section, so the term saturates only with a real crowd.
   */
  queueHalfSaturation: number;
  /**
   * Minutes of current joins counted as already waiting: fans arriving in the next few minutes compete
   * for the same seats. 2 keeps a fast-filling queue from being read as empty.
   */
  queueLookaheadMinutes: number;
  /** Largest hold term. 0.05: seats in carts add at most +5% per tick. */
  holdMax: number;
  /**
   * Seats held per remaining seat that are normal traffic: a healthy sale always has carts open, and
   * counting them would push every selling section up a little each tick. 0.15.
   */
  holdBaseline: number;
  /** Excess seats held per remaining seat at which the hold term is half its cap. 0.5: one held seat for two free. */
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
  paceGain: 0.05,
  paceEpsilon: 0.1,
  paceTolerance: 0.2,
  queueMax: 0.05,
  queueBaseline: 1,
  queueHalfSaturation: 2,
  queueLookaheadMinutes: 2,
  holdMax: 0.05,
  holdBaseline: 0.15,
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
      // 1-(1-t)^2, computed so that it never decreases as t grows and is never behind the linear
      // target t, to the last bit. Each rounded step (1-t, its square, 1 minus that) is monotone, so
      // the whole is; t(2-t), the same curve on paper, is not (near t = 1 a later t can round a
      // hair lower). Near t = 0, 1-(1-t)^2 rounds a tiny t down to 0; the max with t restores it,
      // and is otherwise a no-op, since 1-(1-t)^2 ≥ t on [0, 1].
      return Math.max(t, 1 - (1 - t) * (1 - t));
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
    pace: tuning.paceGain * beyondBand(Math.log(pace), tuning.paceTolerance),
    queue: tuning.queueMax * saturate(waiting / remaining - tuning.queueBaseline, tuning.queueHalfSaturation),
    hold: tuning.holdMax * saturate(held / remaining - tuning.holdBaseline, tuning.holdHalfSaturation),
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

/** x shrunk toward 0 by `band` (0 inside ±band): still non-decreasing in x, so the pace term stays monotone. */
function beyondBand(x: number, band: number): number {
  if (x > band) return x - band;
  if (x < -band) return x + band;
  return 0;
}

/** x / (x + half) for x > 0, else 0: 0 at 0, ½ at `half`, approaches 1; increasing, so a term built on it is monotone and bounded. */
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
