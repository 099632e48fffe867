import { describe, expect, it } from "vitest";
import { describeError, PRESALE_CODE_REFUSED } from "./errors";

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

describe("VALIDATION", () => {
  it("names a refused presale code in words, whatever the API's text, and keeps other fields' messages", () => {
    const refused = describeError({ code: "VALIDATION", message: "this access code is not valid for this event, or has been used up", field: "accessCode" });
    expect(refused).toBe(PRESALE_CODE_REFUSED);
    expect(refused).not.toMatch(/access code is not valid/);
    expect(describeError({ code: "VALIDATION", message: "quantity must be 1 to 8", field: "quantity" })).toBe("quantity must be 1 to 8");
  });
});

describe("PAYMENT_DECLINED", () => {
  it("tells the fan the card network's reason and that nothing was charged; a reason-less decline still reads well", () => {
    const message = "Your card has insufficient funds. Your seats stay held until the hold expires; try another card.";
    expect(describeError({ code: "PAYMENT_DECLINED", message, field: "paymentToken" })).toBe(`${message} Nothing was charged.`);
    expect(describeError({ code: "PAYMENT_DECLINED", message: "" })).toBe("Your card was declined. Nothing was charged: try another card.");
  });
});
