/**
 * The guardrail pipeline: its promises over generated prices, ranges and steps (fast-check), named cases
 * with exact prices and reason codes, and the explanation lines.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide, explain, type Guardrails } from "../src/guardrails.js";
import { propose, type Proposal } from "../src/strategy.js";

const NOW = new Date("2026-12-02T10:40:00Z");
const STARTS_AT = new Date("2026-12-20T20:00:00Z");

function rails(overrides: Partial<Guardrails> = {}): Guardrails {
  return { floorMinor: 6000, ceilingMinor: 15000, maxStepBasisPoints: 1000, paused: false, overridePriceMinor: null, startsAt: STARTS_AT, freezeMinutes: 60, ...overrides };
}

/** A promoter's range and a current price within it. */
const pricedRails = fc
  .record({
    floor: fc.integer({ min: 0, max: 100_000 }),
    width: fc.integer({ min: 0, max: 200_000 }),
    position: fc.double({ min: 0, max: 1, noNaN: true }),
    maxStepBasisPoints: fc.integer({ min: 0, max: 5000 }),
    unit: fc.constantFrom(1, 5, 50, 100),
  })
  .map((r) => ({
    rails: rails({ floorMinor: r.floor, ceilingMinor: r.floor + r.width, maxStepBasisPoints: r.maxStepBasisPoints }),
    current: r.floor + Math.round(r.width * r.position),
    unit: r.unit,
  }));
const step = fc.double({ min: -3, max: 3, noNaN: true });

describe("decide: named cases", () => {
  it("raises by the step, rounded down to the 50-unit grid", () => {
    // 10,000 × 1.063 = 10,630 → 10,600
    expect(decide(10_000, { step: 0.063 }, rails(), NOW)).toEqual({ priceMinor: 10_600, previousPriceMinor: 10_000, changed: true, reasons: ["RAISED"] });
  });

  it("lowers by the step, rounded up toward the current price", () => {
    // 10,000 × 0.958 = 9,580 → 9,600
    expect(decide(10_000, { step: -0.042 }, rails(), NOW)).toEqual({ priceMinor: 9_600, previousPriceMinor: 10_000, changed: true, reasons: ["LOWERED"] });
  });

  it("caps a large step at the per-tick limit", () => {
    expect(decide(10_000, { step: 0.4 }, rails(), NOW)).toEqual({ priceMinor: 11_000, previousPriceMinor: 10_000, changed: true, reasons: ["RAISED", "STEP_CLAMPED_UP"] });
    expect(decide(10_000, { step: -0.4 }, rails(), NOW)).toEqual({ priceMinor: 9_000, previousPriceMinor: 10_000, changed: true, reasons: ["LOWERED", "STEP_CLAMPED_DOWN"] });
  });

  it("stops at the ceiling and the floor", () => {
    expect(decide(14_500, { step: 0.08 }, rails(), NOW)).toEqual({ priceMinor: 15_000, previousPriceMinor: 14_500, changed: true, reasons: ["RAISED", "CEILING_APPLIED"] });
    expect(decide(6_300, { step: -0.08 }, rails(), NOW)).toEqual({ priceMinor: 6_000, previousPriceMinor: 6_300, changed: true, reasons: ["LOWERED", "FLOOR_APPLIED"] });
  });

  it("at the ceiling a rise leaves the price unchanged and says why", () => {
    expect(decide(15_000, { step: 0.2 }, rails(), NOW)).toEqual({ priceMinor: 15_000, previousPriceMinor: 15_000, changed: false, reasons: ["UNCHANGED", "CEILING_APPLIED"] });
  });

  it("a ceiling off the price grid is never crossed: the price stops on the grid below it", () => {
    expect(decide(14_800, { step: 0.05 }, rails({ ceilingMinor: 14_980 }), NOW).priceMinor).toBe(14_950);
  });

  it("a current price above a lowered ceiling is pulled inside it even beyond the step cap", () => {
    expect(decide(20_000, { step: 0.02 }, rails({ ceilingMinor: 15_000 }), NOW)).toEqual({ priceMinor: 15_000, previousPriceMinor: 20_000, changed: true, reasons: ["LOWERED", "CEILING_APPLIED"] });
  });

  it("holds inside the deadband", () => {
    expect(decide(10_000, { step: 0.004 }, rails(), NOW)).toEqual({ priceMinor: 10_000, previousPriceMinor: 10_000, changed: false, reasons: ["DEADBAND"] });
    expect(decide(10_000, { step: -0.004 }, rails(), NOW).reasons).toEqual(["DEADBAND"]);
    expect(decide(10_000, { step: 0.004 }, rails(), NOW, { deadband: 0.001 }).reasons).toEqual(["UNCHANGED"]);
  });

  it("honours a custom price unit", () => {
    expect(decide(10_000, { step: 0.0637 }, rails(), NOW, { priceUnitMinor: 1 }).priceMinor).toBe(10_637);
    expect(decide(10_000, { step: 0.0637 }, rails(), NOW, { priceUnitMinor: 500 }).priceMinor).toBe(10_500);
  });

  it("the state checks hold the price in order: override, pause, freeze, missing signal", () => {
    const everything = rails({ overridePriceMinor: 9_000, paused: true });
    expect(decide(10_000, { step: 0.3 }, everything, NOW).reasons).toEqual(["OVERRIDE"]);
    expect(decide(10_000, { step: 0.3 }, rails({ paused: true }), NOW).reasons).toEqual(["PAUSED"]);
    const insideFreeze = new Date(STARTS_AT.getTime() - 60 * 60_000);
    expect(decide(10_000, { step: 0.3 }, rails(), insideFreeze)).toEqual({ priceMinor: 10_000, previousPriceMinor: 10_000, changed: false, reasons: ["FROZEN"] });
    const justBeforeFreeze = new Date(insideFreeze.getTime() - 1);
    expect(decide(10_000, { step: 0.3 }, rails(), justBeforeFreeze).reasons[0]).toBe("RAISED");
    expect(decide(10_000, null, rails(), NOW)).toEqual({ priceMinor: 10_000, previousPriceMinor: 10_000, changed: false, reasons: ["NO_SIGNAL"] });
    expect(decide(10_000, { step: Number.NaN }, rails(), NOW).reasons).toEqual(["NO_SIGNAL"]);
  });

  it("refuses a range whose floor is above its ceiling", () => {
    expect(() => decide(10_000, { step: 0.1 }, rails({ floorMinor: 16_000 }), NOW)).toThrow(RangeError);
  });

  it("README example: 10,700 with the proposal of +9.6% rounds down to 11,700", () => {
    const proposal: Proposal = propose({
      now: new Date("2026-12-02T10:40:00Z"),
      onSaleAt: new Date("2026-12-02T10:00:00Z"),
      sellOutBy: new Date("2026-12-02T14:00:00Z"),
      curve: "FRONT_LOADED",
      capacity: 2000,
      sold: 1640,
      held: 120,
      demand: { minutes: 5, views: 0, holdsPlaced: 0, holdsReleased: 0, seatsSold: 0 },
      queueDepth: 4200,
      queueJoinsPerMinute: 0,
    });
    const decision = decide(10_700, proposal, rails({ floorMinor: 6_420, ceilingMinor: 14_980 }), NOW);
    // 10,700 × 1.096139 = 11,728.7, within the 10% cap (11,770) → grid 11,700
    expect(decision).toEqual({ priceMinor: 11_700, previousPriceMinor: 10_700, changed: true, reasons: ["RAISED"] });
    expect(explain(decision, proposal, 4200)).toBe("+9.3%: 82% sold, pace 2.3× target, 4,200 waiting");
    // Later, with the price at 14,500, the same proposal meets the ceiling (off the 50 grid: stops at 14,950).
    const atCeiling = decide(14_500, proposal, rails({ floorMinor: 6_420, ceilingMinor: 14_980 }), NOW);
    expect(atCeiling).toEqual({ priceMinor: 14_950, previousPriceMinor: 14_500, changed: true, reasons: ["RAISED", "CEILING_APPLIED"] });
    expect(explain(atCeiling, proposal, 4200)).toBe("+3.1%: 82% sold, pace 2.3× target, 4,200 waiting (at the ceiling)");
  });
});

describe("decide: properties", () => {
  it("the price is always an integer within [floor, ceiling]", () => {
    fc.assert(
      fc.property(pricedRails, step, ({ rails: r, current, unit }, s) => {
        const { priceMinor } = decide(current, { step: s }, r, NOW, { priceUnitMinor: unit });
        expect(Number.isInteger(priceMinor)).toBe(true);
        expect(priceMinor).toBeGreaterThanOrEqual(r.floorMinor);
        expect(priceMinor).toBeLessThanOrEqual(r.ceilingMinor);
      }),
      { numRuns: 3000 },
    );
  });

  it("a current price outside the range still ends within it", () => {
    fc.assert(
      fc.property(pricedRails, step, fc.integer({ min: 0, max: 400_000 }), ({ rails: r, unit }, s, current) => {
        const { priceMinor } = decide(current, { step: s }, r, NOW, { priceUnitMinor: unit });
        if (Math.abs(s) < 0.005) return; // the deadband holds any price, by design
        expect(priceMinor).toBeGreaterThanOrEqual(r.floorMinor);
        expect(priceMinor).toBeLessThanOrEqual(r.ceilingMinor);
      }),
      { numRuns: 3000 },
    );
  });

  it("no tick moves the price by more than the cap", () => {
    fc.assert(
      fc.property(pricedRails, step, ({ rails: r, current, unit }, s) => {
        const { priceMinor } = decide(current, { step: s }, r, NOW, { priceUnitMinor: unit });
        expect(Math.abs(priceMinor - current)).toBeLessThanOrEqual((current * r.maxStepBasisPoints) / 10_000 + 1e-9);
      }),
      { numRuns: 3000 },
    );
  });

  it("the price never moves against the step", () => {
    fc.assert(
      fc.property(pricedRails, step, ({ rails: r, current, unit }, s) => {
        const { priceMinor } = decide(current, { step: s }, r, NOW, { priceUnitMinor: unit });
        if (s > 0) expect(priceMinor).toBeGreaterThanOrEqual(current);
        if (s < 0) expect(priceMinor).toBeLessThanOrEqual(current);
      }),
      { numRuns: 3000 },
    );
  });

  it("a larger step never gives a lower price", () => {
    fc.assert(
      fc.property(pricedRails, step, step, ({ rails: r, current, unit }, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const options = { priceUnitMinor: unit };
        expect(decide(current, { step: high }, r, NOW, options).priceMinor).toBeGreaterThanOrEqual(decide(current, { step: low }, r, NOW, options).priceMinor);
      }),
      { numRuns: 3000 },
    );
  });

  it("frozen, paused, overridden or without a signal, the price is exactly unchanged", () => {
    const held = fc.constantFrom("FROZEN", "PAUSED", "OVERRIDE", "NO_SIGNAL");
    fc.assert(
      fc.property(pricedRails, step, held, fc.integer({ min: 0, max: 400_000 }), ({ rails: r }, s, why, current) => {
        const frozenNow = new Date(r.startsAt.getTime() - r.freezeMinutes * 60_000 + 1);
        const decision =
          why === "FROZEN"
            ? decide(current, { step: s }, r, frozenNow)
            : why === "PAUSED"
              ? decide(current, { step: s }, { ...r, paused: true }, NOW)
              : why === "OVERRIDE"
                ? decide(current, { step: s }, { ...r, overridePriceMinor: r.floorMinor }, NOW)
                : decide(current, null, r, NOW);
        expect(decision).toEqual({ priceMinor: current, previousPriceMinor: current, changed: false, reasons: [why] });
      }),
      { numRuns: 2000 },
    );
  });

  it("the primary reason matches the change and changed matches the prices", () => {
    fc.assert(
      fc.property(pricedRails, step, ({ rails: r, current, unit }, s) => {
        const decision = decide(current, { step: s }, r, NOW, { priceUnitMinor: unit });
        expect(decision.changed).toBe(decision.priceMinor !== current);
        const expected = Math.abs(s) < 0.005 ? "DEADBAND" : decision.priceMinor > current ? "RAISED" : decision.priceMinor < current ? "LOWERED" : "UNCHANGED";
        expect(decision.reasons[0]).toBe(expected);
        expect(new Set(decision.reasons).size).toBe(decision.reasons.length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("explain", () => {
  const proposal: Proposal = { step: -0.03, soldFraction: 0.41, target: 0.6, pace: 0.7, terms: { pace: -0.03, queue: 0, hold: 0, release: 0 } };

  it("describes a cut with the demand behind it and no queue", () => {
    const decision = decide(10_000, proposal, rails(), NOW);
    expect(explain(decision, proposal, 0)).toBe("−3%: 41% sold, pace 0.7× target");
  });

  it("says why a price held", () => {
    expect(explain(decide(10_000, proposal, rails(), new Date(STARTS_AT.getTime() - 1)), proposal, 0, rails())).toBe("held: frozen 60 min before the event");
    expect(explain(decide(10_000, proposal, rails(), new Date(STARTS_AT.getTime() - 1)), proposal, 0)).toBe("held: frozen before the event");
    expect(explain(decide(10_000, proposal, rails({ paused: true }), NOW), proposal, 0)).toBe("held: paused by the promoter");
    expect(explain(decide(10_000, proposal, rails({ overridePriceMinor: 9_000 }), NOW), proposal, 0)).toBe("held: promoter's fixed price");
    expect(explain(decide(10_000, null, rails(), NOW), null, 0)).toBe("held: no demand signal");
    const small = { ...proposal, step: 0.003 };
    expect(explain(decide(10_000, small, rails(), NOW), small, 12)).toBe("held: +0.3% is within the deadband: 41% sold, pace 0.7× target, 12 waiting");
  });

  it("says the price stayed at the ceiling", () => {
    const up = { ...proposal, step: 0.2, soldFraction: 0.9, pace: 3 };
    expect(explain(decide(15_000, up, rails(), NOW), up, 1500)).toBe("unchanged: 90% sold, pace 3.0× target, 1,500 waiting (at the ceiling)");
  });
});
