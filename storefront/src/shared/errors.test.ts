import { describe, expect, it } from "vitest";
import { describeError } from "./errors";

describe("RATE_LIMITED", () => {
  it.each([
    [1, "1 second"],
    [20, "20 seconds"],
    [900, "15 minutes"],
    [86_000, "about 24 hours"],
  ])("tells a fan to wait %i s as %s, not as a raw number of seconds", (seconds, wait) => {
    expect(describeError({ code: "RATE_LIMITED", message: "", retryAfterSeconds: seconds })).toBe(`Too many attempts. Please wait ${wait} and try again.`);
  });
});
