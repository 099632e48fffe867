/**
 * The simulator's synthetic market: one on-sale of an event's sections, minute by minute in virtual
 * time, with the price of every section moved by exactly the engine's `propose` + `decide` (or held
 * fixed, for comparison).
 *
 * Each minute:
 *   1. holds that expire this minute end: a sale at the price locked when the hold was placed, or a
 *      release back to the section;
 *   2. arriving fans join the event's waiting room; 2% of those waiting give up each minute; the room
 *      admits a fixed number per minute (a full house in 20 minutes);
 *   3. each admitted fan views a section (chosen in proportion to capacity; if it has nothing left, up
 *      to two others), and holds 1–4 seats with a probability that falls as the section's all-in price
 *      (price + service fee + facility fee) rises above the fan's willingness to pay — lognormal
 *      around the section's initial all-in price × the profile's value factor;
 *   4. a hold lasts 2–8 minutes and converts with probability 0.9 if the locked all-in price is within
 *      the fan's willingness to pay, 0.6 otherwise;
 *   5. the pricing tick: each section's state (sold, held, the last 5 minutes of demand counters, the
 *      waiting room) goes through propose() and decide() with the section's guardrails.
 * At the end of the sale every open hold resolves as it would have.
 *
 * Determinism: every random draw of fan i comes from a generator seeded by (seed, i), drawn in a fixed
 * order whatever happens, so a run with pricing on and one with pricing off meet the very same fans.
 */
import { decide, explain, type Decision, type Guardrails } from "../guardrails.js";
import { DEFAULT_TUNING, propose, type PacingCurve, type Proposal, type Tuning } from "../strategy.js";
import { arrivalsPerMinute, type ArrivalProfile } from "./arrivals.js";

export interface SimulatedSection {
  name: string;
  capacity: number;
  priceMinor: number;
  floorMinor: number;
  ceilingMinor: number;
  maxStepBasisPoints: number;
}

export interface SimulatedEvent {
  onSaleAt: Date;
  saleMinutes: number;
  curve: PacingCurve;
  freezeMinutes: number;
  serviceFeeBasisPoints: number;
  facilityFeeMinor: number;
  sections: SimulatedSection[];
}

/** One row per sale minute, after that minute's pricing tick. */
export interface MinuteSample {
  minute: number;
  priceMinor: number;
  sold: number;
  held: number;
  queueDepth: number;
}

export interface SectionOutcome {
  section: SimulatedSection;
  samples: MinuteSample[];
  sold: number;
  revenueMinor: number;
  finalPriceMinor: number;
  lowestPriceMinor: number;
  highestPriceMinor: number;
  /** The last decision that changed the price, explained; null if it never changed. */
  lastChange: string | null;
}

export interface MarketRun {
  sections: SectionOutcome[];
  fansArrived: number;
  fansAdmitted: number;
  peakQueueDepth: number;
}

export interface MarketOptions {
  dynamicPricing: boolean;
  seed: number;
  /** The strategy's gains; the engine's defaults unless a what-if run passes others. */
  tuning?: Tuning;
  /** Called after every minute (progress output). */
  onMinute?: (minute: number, queueDepth: number) => void;
}

/** Minutes of demand counters the tick reads, like the engine's Redis window. */
const DEMAND_WINDOW_MINUTES = 5;
const QUEUE_PATIENCE_LOSS_PER_MINUTE = 0.02;
const ADMIT_FULL_HOUSE_MINUTES = 20;
const VALUE_SIGMA = 0.35;
/** Width of the hold-probability logistic in price/value: at 10% above value, 27% still hold. */
const HOLD_PRICE_SENSITIVITY = 0.1;

interface Counters {
  views: number;
  holdsPlaced: number;
  holdsReleased: number;
  seatsSold: number;
}

interface OpenHold {
  section: number;
  seats: number;
  lockedPriceMinor: number;
  expiresAtMinute: number;
  converts: boolean;
}

/** Runs one sale; see the header for the model. */
export function runMarket(event: SimulatedEvent, profile: ArrivalProfile, options: MarketOptions): MarketRun {
  const capacity = event.sections.reduce((sum, section) => sum + section.capacity, 0);
  const arrivals = arrivalsPerMinute(profile, capacity, event.saleMinutes);
  const admitPerMinute = Math.max(10, Math.ceil(capacity / ADMIT_FULL_HOUSE_MINUTES));
  const startsAt = new Date(event.onSaleAt.getTime() + event.saleMinutes * 60_000);
  const weights = cumulative(event.sections.map((section) => section.capacity));

  const state = event.sections.map((section) => ({
    priceMinor: section.priceMinor,
    sold: 0,
    held: 0,
    revenueMinor: 0,
    counters: [] as Counters[],
    samples: [] as MinuteSample[],
    lowest: section.priceMinor,
    highest: section.priceMinor,
    lastChange: null as string | null,
  }));
  let holds: OpenHold[] = [];
  let queueDepth = 0;
  let nextFan = 0;
  let fansArrived = 0;
  let peakQueueDepth = 0;
  const joins: number[] = [];

  const resolve = (hold: OpenHold) => {
    const section = state[hold.section]!;
    section.held -= hold.seats;
    const counters = section.counters.at(-1)!;
    if (hold.converts) {
      section.sold += hold.seats;
      section.revenueMinor += hold.seats * hold.lockedPriceMinor;
      counters.seatsSold += hold.seats;
    } else {
      counters.holdsReleased += 1;
    }
  };

  for (let minute = 0; minute < event.saleMinutes; minute++) {
    for (const section of state) section.counters.push({ views: 0, holdsPlaced: 0, holdsReleased: 0, seatsSold: 0 });

    const due = holds.filter((hold) => hold.expiresAtMinute <= minute);
    holds = holds.filter((hold) => hold.expiresAtMinute > minute);
    due.forEach(resolve);

    const arriving = arrivals[minute] ?? 0;
    fansArrived += arriving;
    joins.push(arriving);
    queueDepth = Math.floor(queueDepth * (1 - QUEUE_PATIENCE_LOSS_PER_MINUTE)) + arriving;
    const anythingLeft = state.some((section, i) => section.sold + section.held < event.sections[i]!.capacity);
    // Once every seat is sold or in a cart, the waiting room tells fans so and they leave.
    if (!anythingLeft) queueDepth = 0;
    const admitted = Math.min(queueDepth, admitPerMinute);
    queueDepth -= admitted;
    peakQueueDepth = Math.max(peakQueueDepth, queueDepth);

    for (let k = 0; k < admitted; k++) {
      const hold = shop(nextFan++, minute);
      if (hold) holds.push(hold);
    }

    const now = new Date(event.onSaleAt.getTime() + (minute + 1) * 60_000);
    const recentJoins = joins.slice(-DEMAND_WINDOW_MINUTES);
    const joinsPerMinute = recentJoins.reduce((a, b) => a + b, 0) / recentJoins.length;
    event.sections.forEach((section, i) => {
      const current = state[i]!;
      if (options.dynamicPricing) {
        const window = current.counters.slice(-DEMAND_WINDOW_MINUTES);
        const proposal: Proposal = propose({
          now,
          onSaleAt: event.onSaleAt,
          sellOutBy: startsAt,
          curve: event.curve,
          capacity: section.capacity,
          sold: current.sold,
          held: current.held,
          demand: {
            minutes: window.length,
            views: sum(window, "views"),
            holdsPlaced: sum(window, "holdsPlaced"),
            holdsReleased: sum(window, "holdsReleased"),
            seatsSold: sum(window, "seatsSold"),
          },
          queueDepth,
          queueJoinsPerMinute: joinsPerMinute,
        }, options.tuning ?? DEFAULT_TUNING);
        const rails: Guardrails = {
          floorMinor: section.floorMinor,
          ceilingMinor: section.ceilingMinor,
          maxStepBasisPoints: section.maxStepBasisPoints,
          paused: false,
          overridePriceMinor: null,
          startsAt,
          freezeMinutes: event.freezeMinutes,
        };
        const decision: Decision = decide(current.priceMinor, proposal, rails, now);
        if (decision.changed) current.lastChange = `minute ${minute + 1}: ${explain(decision, proposal, queueDepth, rails)}`;
        current.priceMinor = decision.priceMinor;
        current.lowest = Math.min(current.lowest, current.priceMinor);
        current.highest = Math.max(current.highest, current.priceMinor);
      }
      current.samples.push({ minute: minute + 1, priceMinor: current.priceMinor, sold: current.sold, held: current.held, queueDepth });
    });
    options.onMinute?.(minute + 1, queueDepth);
  }

  // The sale ends; carts still open finish as they would have.
  for (const section of state) section.counters.push({ views: 0, holdsPlaced: 0, holdsReleased: 0, seatsSold: 0 });
  holds.forEach(resolve);
  event.sections.forEach((_, i) => {
    const last = state[i]!.samples.at(-1);
    if (last) last.sold = state[i]!.sold;
  });

  return {
    sections: event.sections.map((section, i) => {
      const outcome = state[i]!;
      return {
        section,
        samples: outcome.samples,
        sold: outcome.sold,
        revenueMinor: outcome.revenueMinor,
        finalPriceMinor: outcome.priceMinor,
        lowestPriceMinor: outcome.lowest,
        highestPriceMinor: outcome.highest,
        lastChange: outcome.lastChange,
      };
    }),
    fansArrived,
    fansAdmitted: nextFan,
    peakQueueDepth,
  };

  /** One admitted fan: views up to three sections, maybe holds seats in one; every draw is made, in order. */
  function shop(fan: number, minute: number): OpenHold | null {
    const random = fanRandom(options.seed, fan);
    const choices = [pick(weights, random()), pick(weights, random()), pick(weights, random())];
    const value = profile.valueFactor * Math.exp(VALUE_SIGMA * normal(random));
    const holdDraw = random();
    const quantityDraw = random();
    const minutesHeld = 2 + Math.floor(random() * 7);
    const conversionDraw = random();

    for (const index of choices) {
      const section = event.sections[index]!;
      const current = state[index]!;
      current.counters.at(-1)!.views += 1;
      const available = section.capacity - current.sold - current.held;
      if (available <= 0) continue;
      const allIn = allInMinor(current.priceMinor);
      const willingToPay = allInMinor(section.priceMinor) * value;
      const holdProbability = 1 / (1 + Math.exp((allIn / willingToPay - 1) / HOLD_PRICE_SENSITIVITY));
      if (holdDraw >= holdProbability) return null;
      const seats = Math.min(available, quantityDraw < 0.2 ? 1 : quantityDraw < 0.65 ? 2 : quantityDraw < 0.8 ? 3 : 4);
      current.held += seats;
      current.counters.at(-1)!.holdsPlaced += 1;
      return { section: index, seats, lockedPriceMinor: current.priceMinor, expiresAtMinute: minute + minutesHeld, converts: conversionDraw < (allIn <= willingToPay ? 0.9 : 0.6) };
    }
    return null;
  }

  function allInMinor(priceMinor: number): number {
    return priceMinor * (1 + event.serviceFeeBasisPoints / 10_000) + event.facilityFeeMinor;
  }
}

function sum(window: Counters[], key: keyof Counters): number {
  return window.reduce((total, counters) => total + counters[key], 0);
}

function cumulative(values: number[]): number[] {
  let total = 0;
  return values.map((value) => (total += value));
}

/** Index whose cumulative weight first exceeds u × total (weighted choice). */
function pick(cumulativeWeights: number[], u: number): number {
  const target = u * (cumulativeWeights.at(-1) ?? 0);
  const index = cumulativeWeights.findIndex((weight) => weight > target);
  return index === -1 ? cumulativeWeights.length - 1 : index;
}

/** Standard normal draw (Box–Muller); 1 − u keeps the logarithm away from 0. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * A small deterministic generator per fan: mulberry32 seeded with a mix of the run seed and the fan's
 * number (its statistical quality is ample for a simulation and it is 6 lines, needing no dependency).
 */
function fanRandom(seed: number, fan: number): () => number {
  let state = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(fan + 1, 0xc2b2ae35);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
