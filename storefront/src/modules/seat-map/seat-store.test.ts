import { describe, expect, it } from "vitest";
import { priceTiers, tierOf } from "./price-tiers";
import { fittingSeats, NO_FILTER, SeatStore } from "./seat-store";

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
  return new SeatStore([section]);
}

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

describe("priceTiers", () => {
  it("gives each distinct price its own tier up to six, then bands neighbouring prices", () => {
    expect(priceTiers([3000, 1000, 3000, 2000]).map((tier) => [tier.low, tier.high])).toEqual([[1000, 1000], [2000, 2000], [3000, 3000]]);
    const banded = priceTiers([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(banded).toHaveLength(6);
    expect(banded.map((tier) => [tier.low, tier.high])).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]]);
    expect(tierOf(banded, 4)).toBe(1);
  });
});
