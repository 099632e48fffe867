import { describe, expect, it } from "vitest";
import { checkLayout, generateSeats, rowLabels, type SeatLayout } from "../../src/admin/admin.seat-map.js";

const base: SeatLayout = {
  rows: 3,
  seatsPerRow: 5,
  curvature: 0,
  angle: 0,
  originX: 0,
  originY: 0,
  seatSpacing: 10,
  rowSpacing: 20,
  aisles: [],
  numbering: "LEFT_TO_RIGHT",
  firstRowLabel: "A",
  accessibleSeats: [],
  restrictedViewSeats: [],
};

const rowOf = (layout: SeatLayout, row: number) =>
  generateSeats(layout)
    .seats.filter((seat) => seat.row === row)
    .sort((a, b) => a.x - b.x);

describe("seat-map generator", () => {
  it("lays straight rows centred on the origin, row 0 nearest the stage", () => {
    const { rows, seats } = generateSeats(base);
    expect(rows).toEqual([
      { label: "A", sortOrder: 0 },
      { label: "B", sortOrder: 1 },
      { label: "C", sortOrder: 2 },
    ]);
    expect(seats).toHaveLength(15);
    expect(rowOf(base, 0).map((seat) => [seat.number, seat.x, seat.y])).toEqual([
      [1, -20, 0],
      [2, -10, 0],
      [3, 0, 0],
      [4, 10, 0],
      [5, 20, 0],
    ]);
    expect(new Set(rowOf(base, 2).map((seat) => seat.y))).toEqual(new Set([40]));
  });

  it("numbers right to left when asked", () => {
    expect(rowOf({ ...base, numbering: "RIGHT_TO_LEFT" }, 0).map((seat) => seat.number)).toEqual([5, 4, 3, 2, 1]);
  });

  it("leaves one seat spacing of extra gap after each aisle position", () => {
    const xs = rowOf({ ...base, aisles: [2] }, 0).map((seat) => seat.x);
    const gaps = xs.slice(1).map((x, index) => x - xs[index]!);
    expect(gaps).toEqual([10, 20, 10, 10]);
  });

  it("bends rows towards the stage with curvature and keeps the centre seat in line", () => {
    const curved = rowOf({ ...base, curvature: 0.5 }, 0);
    const [left, , centre, , right] = curved;
    expect(centre!.y).toBe(0);
    expect(left!.y).toBeLessThan(-1);
    expect(right!.y).toBeCloseTo(left!.y, 2);
    // Seats stay one spacing apart along the arc, so the chord is a little shorter.
    expect(Math.hypot(curved[1]!.x - left!.x, curved[1]!.y - left!.y)).toBeGreaterThan(9.5);
    expect(Math.hypot(curved[1]!.x - left!.x, curved[1]!.y - left!.y)).toBeLessThanOrEqual(10);
  });

  it("rotates the section about its origin and moves it there", () => {
    const seats = rowOf({ ...base, angle: 90, originX: 100, originY: 50 }, 0);
    // A 90° turn maps local (x, 0) to (0, x): the front row runs down the map through the origin.
    expect(new Set(seats.map((seat) => seat.x))).toEqual(new Set([100]));
    expect(seats.map((seat) => seat.y).sort((a, b) => a - b)).toEqual([30, 40, 50, 60, 70]);
  });

  it("flags accessible and restricted-view seats by row label and number", () => {
    const { seats } = generateSeats({
      ...base,
      accessibleSeats: [{ row: "A", number: 1 }],
      restrictedViewSeats: [
        { row: "C", number: 5 },
        { row: "B", number: 2 },
      ],
    });
    const flagged = seats.filter((seat) => seat.accessible || seat.restrictedView).map((seat) => [seat.row, seat.number, seat.accessible, seat.restrictedView]);
    expect(flagged.sort()).toEqual([
      [0, 1, true, false],
      [1, 2, false, true],
      [2, 5, false, true],
    ]);
  });

  it("marks row ends and seats beside an aisle gap as aisle seats, and the seats beside a wheelchair space as companions", () => {
    const { seats } = generateSeats({ ...base, rows: 1, seatsPerRow: 8, aisles: [3], accessibleSeats: [{ row: "A", number: 5 }, { row: "A", number: 6 }] });
    const numbers = (test: (seat: (typeof seats)[number]) => boolean) => seats.filter(test).map((seat) => seat.number).sort((a, b) => a - b);
    expect(numbers((seat) => seat.aisle)).toEqual([1, 3, 4, 8]);
    // 5 and 6 are both spaces: only 4 and 7 are companions.
    expect(numbers((seat) => seat.companion)).toEqual([4, 7]);
    const reversed = generateSeats({ ...base, rows: 1, seatsPerRow: 4, numbering: "RIGHT_TO_LEFT", accessibleSeats: [{ row: "A", number: 1 }] }).seats;
    expect(reversed.filter((seat) => seat.companion).map((seat) => seat.number)).toEqual([2]);
  });

  it("measures stage distance from the given stage point", () => {
    const seat = generateSeats({ ...base, rows: 1, seatsPerRow: 1, originY: 30 }, { x: 40, y: 0 }).seats[0]!;
    expect(seat.stageDistance).toBe(50);
  });

  it("labels rows with letters past Z or with numbers", () => {
    expect(rowLabels("Y", 4)).toEqual(["Y", "Z", "AA", "AB"]);
    expect(rowLabels("1", 3)).toEqual(["1", "2", "3"]);
    expect(rowLabels("a", 1)).toBeNull();
  });

  it("refuses parameters out of bounds with the field at fault", () => {
    const refused = (change: Partial<SeatLayout>) => {
      const result = checkLayout({ ...base, ...change });
      return result.ok ? null : result.field;
    };
    expect(refused({})).toBeNull();
    expect(refused({ rows: 0 })).toBe("rows");
    expect(refused({ rows: 201 })).toBe("rows");
    expect(refused({ seatsPerRow: 201 })).toBe("seatsPerRow");
    expect(refused({ curvature: 1.5 })).toBe("curvature");
    expect(refused({ seatSpacing: 0 })).toBe("seatSpacing");
    expect(refused({ aisles: [5] })).toBe("aisles");
    expect(refused({ firstRowLabel: "AA" })).toBe("firstRowLabel");
    expect(refused({ accessibleSeats: [{ row: "D", number: 1 }] })).toBe("accessibleSeats");
    expect(refused({ restrictedViewSeats: [{ row: "A", number: 6 }] })).toBe("restrictedViewSeats");
  });
});
