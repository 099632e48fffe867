import { describe, expect, it } from "vitest";
import { LabelSpace } from "./label-space";

describe("LabelSpace", () => {
  it("refuses a label that would cover one already placed, such as two sections' row 7 meeting in one aisle", () => {
    const space = new LabelSpace(12);
    expect(space.claim(100, 100, 1)).toBe(true);
    expect(space.claim(104, 102, 1)).toBe(false);
    // Across a bucket boundary (64 px) too.
    expect(space.claim(130, 130, 2)).toBe(true);
    expect(space.claim(127, 126, 1)).toBe(false);
  });

  it("keeps labels a row apart, beside each other or on a slant", () => {
    const space = new LabelSpace(10);
    expect(space.claim(50, 50, 1)).toBe(true);
    expect(space.claim(50, 66, 1)).toBe(true);
    expect(space.claim(66, 50, 2)).toBe(true);
    expect(space.claim(61.3, 77.3, 2)).toBe(true);
  });
});
