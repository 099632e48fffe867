import { describe, expect, it } from "vitest";
import { generateSeats, initialFields, parseLayout } from "./layout-form";

describe("the builder's form ↔ the API's generator", () => {
  it("a new section starts as a 10 × 20 block where it is put; a generated one from its layout", () => {
    const fresh = initialFields(null, { x: 40, y: 12 });
    expect(fresh).toMatchObject({ rows: "10", seatsPerRow: "20", originX: "40", originY: "12", numbering: "LEFT_TO_RIGHT", firstRowLabel: "A" });
    const parsed = parseLayout(fresh);
    expect(parsed.ok && generateSeats(parsed.layout).seats).toHaveLength(200);
    const again = initialFields(parsed.ok ? { ...parsed.layout, aisles: [5, 15], accessibleSeats: [{ row: "A", number: 1 }] } : null, { x: 0, y: 0 });
    expect(again).toMatchObject({ originX: "40", aisles: "5, 15", accessibleSeats: "A-1" });
  });

  it("parses lists of aisles and seats and previews exactly what the API will write", () => {
    const fields = { ...initialFields(null, { x: 0, y: 0 }), rows: "3", seatsPerRow: "4", aisles: "2", accessibleSeats: "a-1, C-4", restrictedViewSeats: "B-2", firstRowLabel: "a" };
    const parsed = parseLayout(fields);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.layout).toMatchObject({ firstRowLabel: "A", aisles: [2], accessibleSeats: [{ row: "A", number: 1 }, { row: "C", number: 4 }], restrictedViewSeats: [{ row: "B", number: 2 }] });
    const { rows, seats } = generateSeats(parsed.layout);
    expect(rows.map((row) => row.label)).toEqual(["A", "B", "C"]);
    expect(seats.filter((seat) => seat.accessible).map((seat) => `${rows[seat.row]!.label}-${seat.number}`)).toEqual(["A-1", "C-4"]);
    // The aisle after position 2 doubles that gap.
    expect(seats.slice(0, 4).map((seat) => seat.x)).toEqual([-2, -1, 1, 2]);
  });

  it("refuses what the API refuses, naming the field, with the API's message", () => {
    const base = initialFields(null, { x: 0, y: 0 });
    expect(parseLayout({ ...base, rows: "0" })).toEqual({ ok: false, field: "rows", message: "rows must be between 1 and 200" });
    expect(parseLayout({ ...base, rows: "" })).toMatchObject({ ok: false, field: "rows" });
    expect(parseLayout({ ...base, aisles: "20" })).toMatchObject({ ok: false, field: "aisles" });
    expect(parseLayout({ ...base, accessibleSeats: "Z-1" })).toEqual({ ok: false, field: "accessibleSeats", message: "accessibleSeats: there is no seat Z-1 in this layout" });
    expect(parseLayout({ ...base, restrictedViewSeats: "A1" })).toMatchObject({ ok: false, field: "restrictedViewSeats" });
    expect(parseLayout({ ...base, curvature: "1.5" })).toMatchObject({ ok: false, field: "curvature" });
  });
});
