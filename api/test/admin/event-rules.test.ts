import { describe, expect, it } from "vitest";
import {
  allowedTransitions,
  checkEventSettings,
  checkFixedFields,
  checkTransition,
  EVENT_TRANSITIONS,
  saleHasBegun,
  slugOf,
  type EventSettings,
} from "../../src/admin/admin.events.rules.js";
import { EVENT_STATUSES, type EventStatus } from "../../src/catalogue/catalogue.types.js";

const ALLOWED: [EventStatus, EventStatus][] = [
  ["DRAFT", "SCHEDULED"],
  ["DRAFT", "CANCELLED"],
  ["SCHEDULED", "ON_SALE"],
  ["SCHEDULED", "CANCELLED"],
  ["ON_SALE", "SOLD_OUT"],
  ["ON_SALE", "ENDED"],
  ["ON_SALE", "CANCELLED"],
  ["SOLD_OUT", "ON_SALE"],
  ["SOLD_OUT", "ENDED"],
  ["SOLD_OUT", "CANCELLED"],
];

const HOUR = 3_600_000;
const now = new Date("2027-01-01T12:00:00Z");
const settings = (overrides: Partial<EventSettings> = {}): EventSettings => ({
  name: "  Night Show ",
  artist: "Band",
  description: "",
  category: "CONCERT",
  startsAt: new Date(now.getTime() + 48 * HOUR),
  endsAt: null,
  onSaleAt: new Date(now.getTime() + 24 * HOUR),
  currency: "USD",
  holdDurationSeconds: 600,
  maxSeatsPerUser: 8,
  allowSingleSeatGaps: false,
  serviceFeeBasisPoints: 1000,
  facilityFeeMinor: 0,
  waitingRoomEnabled: false,
  waitingRoomMaxActiveShoppers: 500,
  waitingRoomAdmissionIntervalSeconds: 5,
  presaleEnabled: false,
  proofOfWorkEnabled: false,
  ...overrides,
});

describe("the lifecycle transition table", () => {
  it("allows exactly the listed transitions, every other pair refused naming the allowed ones", () => {
    for (const from of EVENT_STATUSES) {
      for (const to of EVENT_STATUSES) {
        const result = checkTransition(from, to);
        const expected = ALLOWED.some(([a, b]) => a === from && b === to);
        expect(result.ok, `${from} → ${to}`).toBe(expected);
        if (!result.ok) {
          expect(result.error.code).toBe("VALIDATION");
          const list = EVENT_TRANSITIONS[from].length === 0 ? `none: ${from} is final` : EVENT_TRANSITIONS[from].join(", ");
          expect(result.error.message).toBe(`an event cannot go from ${from} to ${to}; allowed from ${from}: ${list}`);
        }
      }
    }
    expect(ALLOWED.length).toBe(10);
  });

  it("has CANCELLED and ENDED final, and CANCELLED reachable from every other state but ENDED", () => {
    expect(allowedTransitions("CANCELLED")).toEqual([]);
    expect(allowedTransitions("ENDED")).toEqual([]);
    for (const from of ["DRAFT", "SCHEDULED", "ON_SALE", "SOLD_OUT"] as const) expect(allowedTransitions(from)).toContain("CANCELLED");
  });
});

describe("event settings", () => {
  it("trims texts and accepts a valid event", () => {
    const result = checkEventSettings(settings());
    expect(result.ok && result.value.name).toBe("Night Show");
  });

  it.each([
    [{ name: "  " }, "name", "name must not be empty"],
    [{ artist: "x".repeat(201) }, "artist", "artist must be at most 200 characters"],
    [{ onSaleAt: new Date(now.getTime() + 48 * HOUR) }, "onSaleAt", "onSaleAt must be before startsAt: tickets go on sale before the event starts"],
    [{ endsAt: new Date(now.getTime() + 47 * HOUR) }, "endsAt", "endsAt must be after startsAt"],
    [{ currency: "usd" }, "currency", "currency must be a 3-letter ISO 4217 code in capitals, e.g. USD"],
    [{ holdDurationSeconds: 59 }, "holdDurationSeconds", "holdDurationSeconds must be a whole number from 60 to 3600"],
    [{ maxSeatsPerUser: 51 }, "maxSeatsPerUser", "maxSeatsPerUser must be a whole number from 1 to 50"],
    [{ serviceFeeBasisPoints: -1 }, "serviceFeeBasisPoints", "serviceFeeBasisPoints must be a whole number from 0 to 5000"],
    [{ facilityFeeMinor: 1.5 }, "facilityFeeMinor", "facilityFeeMinor must be a whole number from 0 to 1000000"],
    [{ waitingRoomMaxActiveShoppers: 0 }, "waitingRoomMaxActiveShoppers", "waitingRoomMaxActiveShoppers must be a whole number from 1 to 1000000"],
    [{ waitingRoomAdmissionIntervalSeconds: 3601 }, "waitingRoomAdmissionIntervalSeconds", "waitingRoomAdmissionIntervalSeconds must be a whole number from 1 to 3600"],
  ] as const)("refuses %o with a message on %s", (overrides, field, message) => {
    expect(checkEventSettings(settings(overrides))).toEqual({ ok: false, error: { code: "VALIDATION", field, message } });
  });
});

describe("fields fixed once the sale has begun", () => {
  it("knows when the sale has begun: ON_SALE and later, or SCHEDULED past its on-sale time", () => {
    const past = new Date(now.getTime() - 1);
    const future = new Date(now.getTime() + 1);
    expect(saleHasBegun("DRAFT", past, now)).toBe(false);
    expect(saleHasBegun("SCHEDULED", future, now)).toBe(false);
    expect(saleHasBegun("SCHEDULED", past, now)).toBe(true);
    for (const status of ["ON_SALE", "SOLD_OUT", "ENDED", "CANCELLED"] as const) expect(saleHasBegun(status, future, now)).toBe(true);
  });

  it("refuses a change of times, fees or currency on sale, and allows everything else", () => {
    const stored = { ...settings(), status: "ON_SALE" as const };
    expect(checkFixedFields(stored, settings({ name: "Other", maxSeatsPerUser: 4 }), now)).toEqual({ ok: true, value: null });
    for (const [field, value] of [
      ["startsAt", new Date(now.getTime() + 72 * HOUR)],
      ["onSaleAt", new Date(now.getTime() + 1 * HOUR)],
      ["serviceFeeBasisPoints", 500],
      ["facilityFeeMinor", 100],
      ["currency", "EUR"],
    ] as const) {
      const result = checkFixedFields(stored, settings({ [field]: value }), now);
      expect(result).toEqual({
        ok: false,
        error: { code: "VALIDATION", field, message: `${field} cannot change once the sale has begun: fans have bought tickets at these times, fees and currency` },
      });
    }
    expect(checkFixedFields({ ...stored, status: "DRAFT" }, settings({ currency: "EUR" }), now).ok).toBe(true);
  });
});

describe("slugs", () => {
  it("are lower-case words joined by dashes, accents dropped, never empty", () => {
    expect(slugOf("  Beyoncé: Renaissance World Tour!! ")).toBe("beyonce-renaissance-world-tour");
    expect(slugOf("***")).toBe("event");
    expect(slugOf("a".repeat(100)).length).toBe(60);
  });
});
