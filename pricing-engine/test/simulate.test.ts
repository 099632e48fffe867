/**
 * The simulator's own promises: arrivals add up exactly, a run is reproducible from its seed, the
 * fixed-price run never moves a price, and the dynamic run keeps every section inside its guardrails
 * and within the per-tick cap (it goes through decide(), so this checks the wiring).
 */
import { describe, expect, it } from "vitest";
import { ARRIVAL_PROFILES, arrivalProfile, arrivalsPerMinute } from "../src/simulate/arrivals.js";
import { runMarket, type SimulatedEvent } from "../src/simulate/market.js";

const event: SimulatedEvent = {
  onSaleAt: new Date("2026-12-02T10:00:00Z"),
  saleMinutes: 180,
  curve: "FRONT_LOADED",
  freezeMinutes: 30,
  serviceFeeBasisPoints: 1000,
  facilityFeeMinor: 250,
  sections: [
    { name: "Floor", capacity: 800, priceMinor: 10_000, floorMinor: 6_000, ceilingMinor: 14_000, maxStepBasisPoints: 1000 },
    { name: "101", capacity: 300, priceMinor: 8_000, floorMinor: 5_000, ceilingMinor: 11_000, maxStepBasisPoints: 500 },
  ],
};

describe("arrivalsPerMinute", () => {
  it.each(ARRIVAL_PROFILES)("%s sends exactly fansPerSeat × capacity fans, in whole numbers", (name) => {
    const profile = arrivalProfile(name);
    const arrivals = arrivalsPerMinute(profile, 1100, 180);
    expect(arrivals).toHaveLength(180);
    expect(arrivals.every((count) => Number.isInteger(count) && count >= 0)).toBe(true);
    expect(arrivals.reduce((a, b) => a + b, 0)).toBe(Math.round(profile.fansPerSeat * 1100));
  });

  it("stadium-rush sends most fans in the first hour, late-surge after the middle", () => {
    const share = (name: (typeof ARRIVAL_PROFILES)[number], from: number, to: number) => {
      const arrivals = arrivalsPerMinute(arrivalProfile(name), 1000, 240);
      return arrivals.slice(from, to).reduce((a, b) => a + b, 0) / arrivals.reduce((a, b) => a + b, 0);
    };
    expect(share("stadium-rush", 0, 60)).toBeGreaterThan(0.7);
    expect(share("late-surge", 120, 240)).toBeGreaterThan(0.6);
  });
});

describe("runMarket", () => {
  const rush = arrivalProfile("stadium-rush");

  it("is reproducible from its seed", () => {
    const first = runMarket(event, rush, { dynamicPricing: true, seed: 7 });
    const second = runMarket(event, rush, { dynamicPricing: true, seed: 7 });
    expect(second).toEqual(first);
  });

  it("with pricing off never moves a price and sells at the fixed price", () => {
    const run = runMarket(event, rush, { dynamicPricing: false, seed: 7 });
    for (const outcome of run.sections) {
      expect(new Set(outcome.samples.map((sample) => sample.priceMinor))).toEqual(new Set([outcome.section.priceMinor]));
      expect(outcome.revenueMinor).toBe(outcome.sold * outcome.section.priceMinor);
      expect(outcome.sold).toBeLessThanOrEqual(outcome.section.capacity);
    }
  });

  it("with pricing on keeps every price inside its rails, within the cap per minute, and frozen at the end", () => {
    const run = runMarket(event, rush, { dynamicPricing: true, seed: 7 });
    for (const outcome of run.sections) {
      const { floorMinor, ceilingMinor, maxStepBasisPoints, priceMinor } = outcome.section;
      let previous = priceMinor;
      for (const sample of outcome.samples) {
        expect(sample.priceMinor).toBeGreaterThanOrEqual(floorMinor);
        expect(sample.priceMinor).toBeLessThanOrEqual(ceilingMinor);
        expect(Math.abs(sample.priceMinor - previous)).toBeLessThanOrEqual((previous * maxStepBasisPoints) / 10_000);
        // The event starts when the sale ends: the last 30 minutes' ticks (at minute ≥ 150) are frozen.
        if (sample.minute >= 150) expect(sample.priceMinor).toBe(previous);
        previous = sample.priceMinor;
      }
      expect(outcome.sold).toBeLessThanOrEqual(outcome.section.capacity);
    }
    // An underpriced rush: the strategy raises prices and earns more than the fixed price.
    const fixed = runMarket(event, rush, { dynamicPricing: false, seed: 7 });
    const revenue = (r: typeof run) => r.sections.reduce((sum, outcome) => sum + outcome.revenueMinor, 0);
    expect(run.sections[0]!.highestPriceMinor).toBeGreaterThan(event.sections[0]!.priceMinor);
    expect(revenue(run)).toBeGreaterThan(revenue(fixed));
  });
});
