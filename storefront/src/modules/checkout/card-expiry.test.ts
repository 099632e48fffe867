import { describe, expect, it } from "vitest";
import { shapeExpiry } from "./card-expiry";

describe("shapeExpiry", () => {
  it.each([
    ["1230", "12/30"],
    ["12/30", "12/30"],
    ["12 / 30", "12/30"],
    ["123", "12/3"],
    ["12", "12"],
    ["12/", "12"],
    ["1", "1"],
    ["12/305", "12/30"],
    ["ab", ""],
  ])("shapes %j as %j", (typed, shaped) => {
    expect(shapeExpiry(typed)).toBe(shaped);
  });
});
