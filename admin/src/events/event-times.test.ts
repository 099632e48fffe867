import { describe, expect, it } from "vitest";
import { toApiTimes, toFormTimes, validateEventTimes } from "./event-times";

describe("event times in the venue's zone", () => {
  const stored = { id: "e1", startsAt: "2027-07-02T01:00:00.000Z", endsAt: null, onSaleAt: "2027-03-14T15:00:00.000Z", sellOutBy: null, name: "Gig" };

  it("shows stored instants as the venue's wall clock and sends them back unchanged", () => {
    const form = toFormTimes(stored, "America/Chicago");
    expect(form).toEqual({ ...stored, startsAt: "2027-07-01T20:00", onSaleAt: "2027-03-14T10:00" });
    // Same instants: the stored spelling comes back, so nothing counts as changed.
    expect(toApiTimes(form, "America/Chicago", stored)).toEqual(stored);
  });

  it("keeps a stored time with seconds when its minute was not edited (the API refuses any change once on sale)", () => {
    const onSale = { ...stored, onSaleAt: "2026-12-02T09:14:19.374Z" };
    const form = toFormTimes(onSale, "America/Chicago");
    expect(form.onSaleAt).toBe("2026-12-02T03:14");
    expect(toApiTimes(form, "America/Chicago", onSale).onSaleAt).toBe("2026-12-02T09:14:19.374Z");
  });

  it("converts a changed time with the venue's offset on that date, and blanks to null", () => {
    const form = { ...toFormTimes(stored, "America/Chicago"), startsAt: "2027-12-01T20:00", endsAt: "" };
    expect(toApiTimes(form, "America/Chicago", stored)).toMatchObject({ startsAt: "2027-12-02T02:00:00.000Z", endsAt: null, onSaleAt: stored.onSaleAt });
    expect(toApiTimes({ startsAt: "2027-12-01T20:00" }, "Europe/London")).toEqual({ startsAt: "2027-12-01T20:00:00.000Z" });
  });

  it("checks the order of the times and the clocks' gaps in the venue's zone", () => {
    expect(validateEventTimes({ startsAt: "2027-07-01T20:00", onSaleAt: "2027-07-01T21:00", endsAt: "2027-07-01T19:00" }, "America/Chicago")).toEqual({
      onSaleAt: "The sale must open before the event starts",
      endsAt: "The event must end after it starts",
    });
    expect(validateEventTimes({ startsAt: "2027-07-01T20:00", onSaleAt: "2027-03-14T02:30" }, "America/Chicago").onSaleAt).toMatch(/does not exist/);
    expect(validateEventTimes({ startsAt: "2027-07-01T20:00", onSaleAt: "2027-03-14T10:00", sellOutBy: "2027-07-02T10:00" }, "America/Chicago")).toEqual({
      sellOutBy: "The sell-out target falls after the sale opens and no later than the start",
    });
    expect(validateEventTimes({ startsAt: "2027-07-01T20:00", onSaleAt: "2027-03-14T02:30" }, null)).toEqual({});
  });
});
