import { describe, expect, it } from "vitest";
import { priceTiers, tierOf } from "./price-tiers";
import type { SeatMapSection } from "./graphql";
import type { SeatStatusChange } from "./graphql";
import { ACCESSIBLE, AISLE, AVAILABLE, BLOCKED, COMPANION, fittingSeats, HELD, NO_FILTER, RESTRICTED_VIEW, revalidateStore, SeatGrid, SeatStore, SOLD } from "./seat-store";

/** Positions in map units as SectionSeatMap's steps: tenths, each the difference from the previous. */
const steps = (values: number[]) => values.map((value, index) => Math.round(value * 10) - (index > 0 ? Math.round(values[index - 1]! * 10) : 0));

/** One section, rows as strings: "." free, "x" taken, "w" a free wheelchair space, " " a gap in numbering. */
function store(rows: string[], sectionId = "s1"): SeatStore {
  const section = { sectionId, rows: [] as string[], numbers: [] as number[], x: [] as number[], y: [] as number[], statuses: "", features: "" };
  rows.forEach((pattern, rowIndex) => {
    [...pattern].forEach((char, index) => {
      if (char === " ") return;
      section.rows.push(String.fromCharCode(65 + rowIndex));
      section.numbers.push(index + 1);
      section.x.push(index * 10);
      section.y.push(rowIndex * 10);
      section.statuses += char === "x" ? "S" : "A";
      section.features += char === "w" ? "2" : "0";
    });
  });
  const { x, y, ...rest } = section;
  return new SeatStore([{ ...rest, xSteps: steps(x), ySteps: steps(y) }]);
}

describe("SeatStore", () => {
  it("decodes positions from steps in tenths of a map unit, section by section, and statuses and features from one character per seat", () => {
    const sections: SeatMapSection[] = [
      { sectionId: "s1", rows: ["A", "A", "B"], numbers: [1, 2, 1], xSteps: [-1005, 12, -12], ySteps: [203, 0, 8], statuses: "AHS", features: "0a3" },
      { sectionId: "s2", rows: ["A", "A"], numbers: [7, 8], xSteps: [4001, 12], ySteps: [-2, 0], statuses: "BA", features: "fF" },
    ];
    const seats = new SeatStore(sections);
    expect([...seats.x]).toEqual([-100.5, -99.3, -100.5, 400.1, 401.3].map(Math.fround));
    expect([...seats.y]).toEqual([20.3, 20.3, 21.1, -0.2, -0.2].map(Math.fround));
    expect([...seats.status]).toEqual([AVAILABLE, HELD, SOLD, BLOCKED, AVAILABLE]);
    expect([...seats.features]).toEqual([0, RESTRICTED_VIEW | ACCESSIBLE, AISLE | ACCESSIBLE, AISLE | ACCESSIBLE | COMPANION | RESTRICTED_VIEW, AISLE | ACCESSIBLE | COMPANION | RESTRICTED_VIEW]);
    expect(seats.rowRanges.map((row) => [row.section, row.label, row.start, row.count])).toEqual([[0, "A", 0, 2], [0, "B", 2, 1], [1, "A", 3, 2]]);
    expect(seats.sections.map((range) => [range.sectionId, range.start, range.count, range.minX, range.maxX])).toEqual([["s1", 0, 3, -100.5, -99.3], ["s2", 3, 2, 400.1, 401.3]]);
    // The pitch: the median distance between neighbours in a row.
    expect(seats.spacing).toBeCloseTo(1.2, 5);
    expect(seats.indexOf({ sectionId: "s2", row: "A", number: 8 })).toBe(4);
    expect(seats.key(2)).toBe("s1|B|1");
    expect(new SeatGrid(seats).nearest(401.5, -0.1, 0.5)).toBe(4);
    expect(new SeatGrid(seats).nearest(0, 0, 5)).toBe(-1);
  });
});

const fitting = (seats: SeatStore, filter = NO_FILTER, price = 5000) =>
  [...fittingSeats(seats, filter, () => price)].map((fits, index) => (fits ? seats.key(index) : null)).filter(Boolean);

describe("fittingSeats", () => {
  it("keeps runs of free seats at least as long as the quantity, in one row, across no gap in numbering", () => {
    const seats = store(["..x...", ". .x.."]);
    expect(fitting(seats, { ...NO_FILTER, quantity: 3 })).toEqual(["s1|A|4", "s1|A|5", "s1|A|6"]);
    expect(fitting(seats, { ...NO_FILTER, quantity: 2 })).toEqual(["s1|A|1", "s1|A|2", "s1|A|4", "s1|A|5", "s1|A|6", "s1|B|5", "s1|B|6"]);
  });

  it("admits nothing outside the all-in price range, and only wheelchair spaces and companions when asked", () => {
    const seats = store([".ww..."]);
    expect(fitting(seats, { ...NO_FILTER, maxPrice: 4999 })).toEqual([]);
    expect(fitting(seats, { ...NO_FILTER, minPrice: 5000, maxPrice: 5000 })).toHaveLength(6);
    expect(fitting(seats, { ...NO_FILTER, accessible: true, quantity: 2 })).toEqual(["s1|A|2", "s1|A|3"]);
  });

  it("names seats by section, row and number and applies live changes by that name", () => {
    const seats = store(["..."]);
    expect(seats.indexOf({ sectionId: "s1", row: "A", number: 3 })).toBe(2);
    expect(seats.apply({ sectionId: "s1", row: "A", number: 3 }, "HELD")).toBe(true);
    expect(seats.apply({ sectionId: "s1", row: "Z", number: 3 }, "HELD")).toBe(false);
    expect(fitting(seats, { ...NO_FILTER, quantity: 2 })).toEqual(["s1|A|1", "s1|A|2"]);
  });
});

describe("revalidateStore", () => {
  const section = (statuses: string, overrides: Partial<SeatMapSection> = {}): SeatMapSection => ({
    sectionId: "s1",
    rows: ["A", "A", "A", "B"],
    numbers: [1, 2, 3, 1],
    xSteps: [0, 10, 10, -20],
    ySteps: [0, 0, 0, 10],
    statuses,
    features: "0000",
    ...overrides,
  });
  const change = (row: string, number: number, status: SeatStatusChange["status"]): SeatStatusChange => ({ eventId: "e1", sectionId: "s1", row, number, status, available: 0 });

  it("takes the fresh read's statuses in place, then every change since the feed started, in order, so the latest status wins", () => {
    // The prefetched copy: all free. Since then A1 was held (the fresh read shows it), A2 held and
    // released (the read shows it free, the changes say HELD then AVAILABLE), and A3 sold after the
    // read's snapshot (only a change says so), B1 held before the subscription (only the read says so).
    const copy = new SeatStore([section("AAAA")]);
    let told = 0;
    copy.subscribe(() => told++);
    const fresh = section("HAAH");
    const result = revalidateStore(copy, [fresh], [change("A", 1, "HELD"), change("A", 2, "HELD"), change("A", 2, "AVAILABLE"), change("A", 3, "SOLD")]);
    expect(result).toBe(copy);
    expect([...result.status]).toEqual([HELD, AVAILABLE, SOLD, HELD]);
    expect(told).toBeGreaterThanOrEqual(1);
  });

  it("builds a new store when the layout changed since the copy (seats renumbered or moved), leaving the copy as it was", () => {
    const copy = new SeatStore([section("AAAA")]);
    const renumbered = revalidateStore(copy, [section("AAHA", { numbers: [1, 2, 4, 1] })], []);
    expect(renumbered).not.toBe(copy);
    expect([...renumbered.numbers]).toEqual([1, 2, 4, 1]);
    expect([...renumbered.status]).toEqual([AVAILABLE, AVAILABLE, HELD, AVAILABLE]);
    expect([...copy.status]).toEqual([AVAILABLE, AVAILABLE, AVAILABLE, AVAILABLE]);
    const moved = revalidateStore(copy, [section("SAAA", { xSteps: [0, 10, 11, -21] })], [change("A", 2, "HELD")]);
    expect(moved).not.toBe(copy);
    expect([...moved.status]).toEqual([SOLD, HELD, AVAILABLE, AVAILABLE]);
    expect(revalidateStore(copy, [section("AAAA"), { ...section("A"), sectionId: "s2", rows: ["A"], numbers: [1], xSteps: [0], ySteps: [0], features: "0" }], [])).not.toBe(copy);
  });
});

describe("priceTiers", () => {
  it("gives each distinct price its own tier up to six, then bands neighbouring prices", () => {
    expect(priceTiers([3000, 1000, 3000, 2000]).map((tier) => [tier.low, tier.high])).toEqual([[1000, 1000], [2000, 2000], [3000, 3000]]);
    const banded = priceTiers([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(banded).toHaveLength(6);
    expect(banded.map((tier) => [tier.low, tier.high])).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]]);
    expect(tierOf(banded, 4)).toBe(1);
  });
});
