import { describe, expect, it } from "vitest";
import { fromTenthSteps, tenthSteps } from "../../src/catalogue/catalogue.seat-map-encoding.js";

describe("tenthSteps", () => {
  it("sends the first position absolute and each next one as the step from the previous, in tenths", () => {
    expect(tenthSteps([12.3, 14.5, 16.7, 3.1])).toEqual([123, 22, 22, -136]);
    expect(tenthSteps([])).toEqual([]);
  });

  it("rounds to a tenth without drift: each step is taken from the previous rounded value", () => {
    const positions = [0.04, 0.08, 0.12, 0.16, -5.55, 1000.26];
    expect(fromTenthSteps(tenthSteps(positions))).toEqual([0, 0.1, 0.1, 0.2, -5.5, 1000.3]);
  });

  it("round-trips positions stored with one decimal exactly", () => {
    const positions = [-412.7, -410.2, 0, 388.9, 388.9, 1.1];
    expect(fromTenthSteps(tenthSteps(positions))).toEqual(positions);
  });
});
