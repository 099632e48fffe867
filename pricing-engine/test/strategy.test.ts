/**
 * The strategy's properties over generated states (fast-check) and its worked examples as numbers: the
 * README's example is computed here, so the documentation cannot drift from the code.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_TUNING, elapsedFraction, propose, targetSellThrough, type PacingCurve, type SectionState } from "../src/strategy.js";

const ON_SALE = new Date("2026-12-02T10:00:00Z");
const minutesAfterOnSale = (minutes: number) => new Date(ON_SALE.getTime() + minutes * 60_000);

function state(overrides: Partial<SectionState> = {}): SectionState {
  return {
    now: minutesAfterOnSale(40),
    onSaleAt: ON_SALE,
    sellOutBy: minutesAfterOnSale(240),
    curve: "FRONT_LOADED",
    capacity: 2000,
    sold: 0,
    held: 0,
    demand: { minutes: 5, views: 0, holdsPlaced: 0, holdsReleased: 0, seatsSold: 0 },
    queueDepth: 0,
    queueJoinsPerMinute: 0,
    ...overrides,
  };
}

const curve = fc.constantFrom<PacingCurve>("FRONT_LOADED", "LINEAR");
/** Any valid state: sold + held ≤ capacity, any point before, during or after the sale. */
const sectionState = fc
  .record({
    capacity: fc.integer({ min: 1, max: 60_000 }),
    soldShare: fc.double({ min: 0, max: 1, noNaN: true }),
    heldShare: fc.double({ min: 0, max: 1, noNaN: true }),
    minute: fc.integer({ min: -60, max: 600 }),
    saleMinutes: fc.integer({ min: 1, max: 60 * 24 * 60 }),
    curve,
    queueDepth: fc.integer({ min: 0, max: 2_000_000 }),
    queueJoinsPerMinute: fc.integer({ min: 0, max: 100_000 }),
    holdsPlaced: fc.integer({ min: 0, max: 10_000 }),
    holdsReleased: fc.integer({ min: 0, max: 10_000 }),
  })
  .map((r) => {
    const sold = Math.floor(r.capacity * r.soldShare);
    const held = Math.floor((r.capacity - sold) * r.heldShare);
    return state({
      now: minutesAfterOnSale(r.minute),
      sellOutBy: minutesAfterOnSale(r.saleMinutes),
      curve: r.curve,
      capacity: r.capacity,
      sold,
      held,
      queueDepth: r.queueDepth,
      queueJoinsPerMinute: r.queueJoinsPerMinute,
      demand: { minutes: 5, views: 0, holdsPlaced: r.holdsPlaced, holdsReleased: r.holdsReleased, seatsSold: 0 },
    });
  });

describe("targetSellThrough", () => {
  it("follows 1-(1-t)^2 when front-loaded and t when linear", () => {
    expect(targetSellThrough(0, "FRONT_LOADED")).toBe(0);
    expect(targetSellThrough(0.5, "FRONT_LOADED")).toBe(0.75);
    expect(targetSellThrough(1, "FRONT_LOADED")).toBe(1);
    expect(targetSellThrough(0.25, "LINEAR")).toBe(0.25);
    expect(targetSellThrough(1, "LINEAR")).toBe(1);
  });

  it("clamps fractions outside 0..1", () => {
    expect(targetSellThrough(-0.5, "FRONT_LOADED")).toBe(0);
    expect(targetSellThrough(3, "LINEAR")).toBe(1);
  });

  it("is non-decreasing in time, starts at 0, ends at 1, and front-loaded is never behind linear", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), curve, (a, b, c) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(targetSellThrough(early, c)).toBeLessThanOrEqual(targetSellThrough(late, c));
        expect(targetSellThrough(a, "FRONT_LOADED")).toBeGreaterThanOrEqual(targetSellThrough(a, "LINEAR"));
      }),
    );
  });
});

describe("elapsedFraction", () => {
  it("is 0 before on-sale, 1 after sell-out, and 1 for an empty sale window", () => {
    expect(elapsedFraction(minutesAfterOnSale(-5), ON_SALE, minutesAfterOnSale(240))).toBe(0);
    expect(elapsedFraction(minutesAfterOnSale(60), ON_SALE, minutesAfterOnSale(240))).toBe(0.25);
    expect(elapsedFraction(minutesAfterOnSale(999), ON_SALE, minutesAfterOnSale(240))).toBe(1);
    expect(elapsedFraction(minutesAfterOnSale(0), ON_SALE, ON_SALE)).toBe(1);
  });
});

describe("propose: worked examples", () => {
  it("README example: 2,000 seats, 40 min into a 4-hour front-loaded sale, 82% sold, 120 held, 4,200 waiting", () => {
    const proposal = propose(state({ sold: 1640, held: 120, queueDepth: 4200 }));
    // t = 40/240 = 1/6; target = t(2 - t) = 11/36
    expect(proposal.target).toBeCloseTo(0.305556, 5);
    expect(proposal.soldFraction).toBe(0.82);
    // pace = (0.82 + 0.1) / (0.305556 + 0.1) = 2.2685
    expect(proposal.pace).toBeCloseTo(2.2685, 4);
    // 0.05 × (ln 2.2685 − 0.2)
    expect(proposal.terms.pace).toBeCloseTo(0.030956, 5);
    // 4,200 waiting / 240 remaining = 17.5 per seat, 16.5 above the baseline → 0.05 × 16.5 / 18.5
    expect(proposal.terms.queue).toBeCloseTo(0.044595, 5);
    // 120 held / 240 remaining = 0.5 per seat, 0.35 above the baseline → 0.05 × 0.35 / 0.85
    expect(proposal.terms.hold).toBeCloseTo(0.020588, 5);
    expect(proposal.terms.release).toBe(0);
    expect(proposal.step).toBeCloseTo(0.096139, 5);
  });

  it("a sale exactly on its curve with no queue, holds or abandonment proposes no change", () => {
    // Front-loaded at t = 0.5 expects 75%.
    const proposal = propose(state({ now: minutesAfterOnSale(120), sold: 1500 }));
    expect(proposal.pace).toBe(1);
    expect(proposal.step).toBe(0);
  });

  it("at on-sale nothing sold against a target of 0 is pace 1, not a division by zero", () => {
    const proposal = propose(state({ now: ON_SALE, sold: 0 }));
    expect(proposal.target).toBe(0);
    expect(proposal.pace).toBe(1);
    expect(proposal.step).toBe(0);
  });

  it("a section far behind its curve with carts being abandoned proposes a cut", () => {
    // Linear, half-way, 10% sold: pace (0.1 + 0.1) / (0.5 + 0.1) = 1/3; 30 of 40 holds released.
    const proposal = propose(
      state({ now: minutesAfterOnSale(120), curve: "LINEAR", sold: 200, demand: { minutes: 5, views: 300, holdsPlaced: 40, holdsReleased: 30, seatsSold: 10 } }),
    );
    expect(proposal.terms.pace).toBeCloseTo(0.05 * (Math.log(1 / 3) + 0.2), 10);
    // rate 0.75 → excess (0.75 - 0.2) / 0.8 = 0.6875, confidence 70 / 80 → -0.05 × 0.6015625
    expect(proposal.terms.release).toBeCloseTo(-0.030078, 5);
    expect(proposal.step).toBeCloseTo(-0.075009, 5);
  });

  it("within the tolerance band of the curve the pace term is zero", () => {
    // Front-loaded at t = 0.5 expects 75%; 65% sold is pace 0.75 / 0.85, ln = −0.125, inside ±0.2.
    const proposal = propose(state({ now: minutesAfterOnSale(120), sold: 1300 }));
    expect(proposal.pace).toBeCloseTo(0.75 / 0.85, 10);
    expect(proposal.terms.pace).toBe(0);
  });

  it("after the sell-out time the target is 100%, so unsold seats lower the price", () => {
    const proposal = propose(state({ now: minutesAfterOnSale(300), sold: 1000 }));
    expect(proposal.target).toBe(1);
    expect(proposal.terms.pace).toBeCloseTo(0.05 * (Math.log(0.6 / 1.1) + 0.2), 10);
    expect(proposal.step).toBeLessThan(0);
  });

  it("joins per minute count as fans about to wait", () => {
    const joining = propose(state({ sold: 1000, queueDepth: 0, queueJoinsPerMinute: 1500 }));
    const waiting = propose(state({ sold: 1000, queueDepth: 3000 }));
    // 3,000 per 1,000 remaining seats: 2 above the baseline → 0.05 × 2 / 4
    expect(waiting.terms.queue).toBeCloseTo(0.025, 10);
    expect(joining.terms.queue).toBe(waiting.terms.queue);
  });

  it("fans waiting up to one per remaining seat and carts below the baseline add nothing", () => {
    const proposal = propose(state({ sold: 1000, held: 100, queueDepth: 900 }));
    expect(proposal.terms.queue).toBe(0);
    expect(proposal.terms.hold).toBe(0);
  });

  it("a section with no capacity proposes nothing", () => {
    expect(propose(state({ capacity: 0, queueDepth: 10_000 }))).toEqual({ step: 0, soldFraction: 0, target: 0, pace: 1, terms: { pace: 0, queue: 0, hold: 0, release: 0 } });
  });

  it("releases inside the normal baseline do not lower the price", () => {
    const proposal = propose(state({ demand: { minutes: 5, views: 100, holdsPlaced: 50, holdsReleased: 10, seatsSold: 40 } }));
    expect(proposal.terms.release).toBe(0);
  });
});

describe("propose: properties", () => {
  it("every term is finite and the queue, hold and release terms stay within their caps", () => {
    fc.assert(
      fc.property(sectionState, (s) => {
        const { step, terms } = propose(s);
        expect(Number.isFinite(step)).toBe(true);
        expect(Math.abs(terms.pace)).toBeLessThanOrEqual(DEFAULT_TUNING.paceGain * Math.log((1 + DEFAULT_TUNING.paceEpsilon) / DEFAULT_TUNING.paceEpsilon) + 1e-12);
        expect(terms.queue).toBeGreaterThanOrEqual(0);
        expect(terms.queue).toBeLessThanOrEqual(DEFAULT_TUNING.queueMax);
        expect(terms.hold).toBeGreaterThanOrEqual(0);
        expect(terms.hold).toBeLessThanOrEqual(DEFAULT_TUNING.holdMax);
        expect(terms.release).toBeLessThanOrEqual(0);
        expect(terms.release).toBeGreaterThanOrEqual(-DEFAULT_TUNING.releaseMax);
        expect(step).toBeCloseTo(terms.pace + terms.queue + terms.hold + terms.release, 12);
      }),
      { numRuns: 2000 },
    );
  });

  it("more sold, all else equal, never gives a lower step", () => {
    fc.assert(
      fc.property(sectionState, fc.integer({ min: 1, max: 60_000 }), (s, extra) => {
        const more = { ...s, sold: Math.min(s.capacity - s.held, s.sold + extra) };
        expect(propose(more).step).toBeGreaterThanOrEqual(propose(s).step);
      }),
      { numRuns: 2000 },
    );
  });

  it("more fans waiting or joining never gives a lower step", () => {
    fc.assert(
      fc.property(sectionState, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 10_000 }), (s, moreWaiting, moreJoining) => {
        const more = { ...s, queueDepth: s.queueDepth + moreWaiting, queueJoinsPerMinute: s.queueJoinsPerMinute + moreJoining };
        expect(propose(more).step).toBeGreaterThanOrEqual(propose(s).step);
      }),
      { numRuns: 2000 },
    );
  });

  it("more seats held never gives a lower step", () => {
    fc.assert(
      fc.property(sectionState, fc.integer({ min: 1, max: 60_000 }), (s, extra) => {
        const more = { ...s, held: Math.min(s.capacity - s.sold, s.held + extra) };
        expect(propose(more).step).toBeGreaterThanOrEqual(propose(s).step);
      }),
      { numRuns: 2000 },
    );
  });

  it("more carts released in the window never gives a higher step", () => {
    fc.assert(
      fc.property(sectionState, fc.integer({ min: 1, max: 10_000 }), (s, extra) => {
        const more = { ...s, demand: { ...s.demand, holdsReleased: s.demand.holdsReleased + extra } };
        expect(propose(more).step).toBeLessThanOrEqual(propose(s).step);
      }),
      { numRuns: 2000 },
    );
  });

  it("later in the sale with the same sales never gives a higher step", () => {
    fc.assert(
      fc.property(sectionState, fc.integer({ min: 1, max: 10_000 }), (s, laterMinutes) => {
        const later = { ...s, now: new Date(s.now.getTime() + laterMinutes * 60_000) };
        expect(propose(later).step).toBeLessThanOrEqual(propose(s).step);
      }),
      { numRuns: 2000 },
    );
  });
});
