import { describe, expect, it } from "vitest";
import { canonicalTimeZone, formatInVenueTime, formatOffset, instantOf, isTimeZone, offsetMinutes, wallClockOf, wallClockProblem } from "./venue-time";

const instant = (wall: string, zone: string) => {
  const result = instantOf(wall, zone);
  if (!result.ok) throw new Error(`${wall} in ${zone}: ${result.reason}`);
  return result;
};

describe("wall clock in the venue's zone → instant", () => {
  it.each([
    ["Chicago in winter (CST, UTC−6)", "2027-01-15T20:00", "America/Chicago", "2027-01-16T02:00:00.000Z"],
    ["Chicago in summer (CDT, UTC−5)", "2027-07-01T20:00", "America/Chicago", "2027-07-02T01:00:00.000Z"],
    ["London in summer (BST, UTC+1)", "2027-06-01T19:30", "Europe/London", "2027-06-01T18:30:00.000Z"],
    ["London in winter (GMT)", "2027-12-01T19:30", "Europe/London", "2027-12-01T19:30:00.000Z"],
    ["Sydney in its summer (AEDT, UTC+11)", "2027-01-10T20:00", "Australia/Sydney", "2027-01-10T09:00:00.000Z"],
    ["Kolkata, a half-hour zone (UTC+5:30)", "2027-03-01T18:00", "Asia/Kolkata", "2027-03-01T12:30:00.000Z"],
    ["Kathmandu, a quarter-hour zone (UTC+5:45)", "2027-03-01T18:00", "Asia/Kathmandu", "2027-03-01T12:15:00.000Z"],
    ["the minute after the US clocks go forward", "2027-03-14T03:00", "America/Chicago", "2027-03-14T08:00:00.000Z"],
    ["the minute before they do", "2027-03-14T01:59", "America/Chicago", "2027-03-14T07:59:00.000Z"],
  ])("%s", (_case, wall, zone, expected) => {
    expect(instant(wall, zone).instant.toISOString()).toBe(expected);
  });

  it("refuses a time the clocks skip (02:30 on the night US summer time starts)", () => {
    expect(instantOf("2027-03-14T02:30", "America/Chicago")).toEqual({ ok: false, reason: "SKIPPED" });
    expect(instantOf("2027-03-28T01:30", "Europe/London")).toEqual({ ok: false, reason: "SKIPPED" });
    expect(wallClockProblem("2027-03-14T02:30", "America/Chicago")).toMatch(/does not exist in America\/Chicago/);
  });

  it("takes the first of a time the clocks repeat (01:30 on the night US summer time ends), and says so", () => {
    const result = instant("2027-11-07T01:30", "America/Chicago");
    expect(result.instant.toISOString()).toBe("2027-11-07T06:30:00.000Z");
    expect(result.offsetMinutes).toBe(-300);
    expect(result.repeated).toBe(true);
    expect(instant("2027-11-07T03:00", "America/Chicago").repeated).toBe(false);
  });

  it("refuses malformed or impossible dates", () => {
    for (const wall of ["", "2027-02-30T10:00", "2027-01-01 10:00", "2027-01-01T24:00", "tomorrow"]) {
      expect(instantOf(wall, "Europe/London")).toEqual({ ok: false, reason: "MALFORMED" });
    }
  });
});

describe("instant → wall clock in the venue's zone", () => {
  it("shows the venue's time whatever the browser's zone, and round-trips", () => {
    expect(wallClockOf(new Date("2027-01-16T02:00:00Z"), "America/Chicago")).toBe("2027-01-15T20:00");
    expect(wallClockOf(new Date("2027-06-01T18:30:00Z"), "Europe/London")).toBe("2027-06-01T19:30");
    for (let hour = 0; hour < 48; hour++) {
      const at = new Date(Date.UTC(2027, 10, 6, hour, 15));
      expect(instantOf(wallClockOf(at, "America/Chicago"), "America/Chicago")).toMatchObject({ ok: true });
    }
    // Every instant outside the repeated hour comes back as itself.
    const at = new Date("2027-11-07T09:15:00Z");
    expect(instant(wallClockOf(at, "America/Chicago"), "America/Chicago").instant.toISOString()).toBe(at.toISOString());
  });

  it("labels the zone and offset", () => {
    expect(offsetMinutes(new Date("2027-01-16T02:00:00Z"), "America/Chicago")).toBe(-360);
    expect(formatOffset(-360)).toBe("UTC\u221206:00");
    expect(formatOffset(330)).toBe("UTC+05:30");
    expect(formatInVenueTime("2027-01-16T02:00:00.000Z", "America/Chicago")).toBe("Fri, 15 Jan 2027, 20:00 CST");
    expect(formatInVenueTime(null, "America/Chicago")).toBe("—");
  });
});

describe("time zones", () => {
  it("knows IANA zones and their canonical spelling", () => {
    expect(isTimeZone("Europe/London")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(canonicalTimeZone("europe/london")).toBe("Europe/London");
    expect(canonicalTimeZone("Nowhere")).toBeNull();
  });
});
