import { describe, expect, it } from "vitest";
import { chooseBestAvailable, type LayoutRow } from "../../src/hold/hold.best-available.js";

/** Rows as strings: one character per seat, "." free and "x" taken; row index is the distance to the stage. */
function layout(rows: string[]): { rows: LayoutRow[]; free: Set<string> } {
  const free = new Set<string>();
  const layoutRows = rows.map((pattern, rowIndex) => ({
    label: String.fromCharCode(65 + rowIndex),
    seats: [...pattern].flatMap((char, index) => {
      if (char === " ") return []; // an aisle: a gap in numbering
      const id = `${String.fromCharCode(65 + rowIndex)}${index + 1}`;
      if (char === ".") free.add(id);
      const centre = (pattern.length + 1) / 2;
      return [{ id, number: index + 1, x: (index + 1) * 10, y: rowIndex * 10, stageDistance: rowIndex * 10 + Math.abs(index + 1 - centre) }];
    }),
  }));
  return { rows: layoutRows, free };
}

describe("chooseBestAvailable", () => {
  it("takes the centre of the front row when it is free", () => {
    const { rows, free } = layout([".......", "......."]);
    expect(chooseBestAvailable(rows, free, 3)).toEqual(["A3", "A4", "A5"]);
  });

  it("does not strand a single seat when another block of the same size exists", () => {
    // Front row: only two free at each end; taking one of a pair strands the other.
    const { rows, free } = layout(["..xxx..", "......."]);
    expect(chooseBestAvailable(rows, free, 1)).toEqual(["B4"]);
    const pair = chooseBestAvailable(rows, free, 2)!;
    const left = new Set([...free].filter((id) => !pair.includes(id)));
    for (const row of rows) {
      const seats = row.seats.map((seat) => left.has(seat.id));
      const singles = seats.filter((isFree, index) => isFree && !seats[index - 1] && !seats[index + 1]);
      expect(singles.length, `row ${row.label} after taking ${pair.join(",")}`).toBe(0);
    }
  });

  it("strands a seat only when nothing else fits", () => {
    const { rows, free } = layout(["...xxxx"]);
    expect(chooseBestAvailable(rows, free, 2)).toHaveLength(2);
  });

  it("treats an aisle (a gap in numbering) like a row end", () => {
    const { rows, free } = layout(["... ...."]);
    const pick = chooseBestAvailable(rows, free, 4)!;
    expect(pick).toEqual(["A5", "A6", "A7", "A8"]);
  });

  it("splits only when no block fits, largest group first, and returns null when too few are free", () => {
    const { rows, free } = layout(["..x..", "x.x.x"]);
    const pick = chooseBestAvailable(rows, free, 3)!;
    expect(pick).toHaveLength(3);
    expect(new Set(pick).size).toBe(3);
    expect(chooseBestAvailable(rows, free, 7)).toBeNull();
  });
});
