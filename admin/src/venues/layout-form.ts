/**
 * The seat-map builder's form as text fields ↔ the generator's SeatLayout. The checks and the geometry
 * are the API's own (@boxoffice/api/seat-map): what the preview draws is what generateSectionSeats
 * writes, and a value the API would refuse is refused here with the same message.
 */
import { checkLayout, NUMBERINGS, type Numbering, type SeatLayout, type SeatRef } from "@boxoffice/api/seat-map";

export { generateSeats, type GeneratedSection } from "@boxoffice/api/seat-map";

export type LayoutFields = Record<
  "rows" | "seatsPerRow" | "curvature" | "angle" | "originX" | "originY" | "seatSpacing" | "rowSpacing" | "aisles" | "firstRowLabel" | "accessibleSeats" | "restrictedViewSeats",
  string
> & { numbering: Numbering };

export const NUMBERING_CHOICES: { id: Numbering; name: string }[] = NUMBERINGS.map((id) => ({ id, name: id === "LEFT_TO_RIGHT" ? "Left to right" : "Right to left" }));

const refsText = (refs: SeatRef[]) => refs.map((ref) => `${ref.row}-${ref.number}`).join(", ");

/** The form for a section: its last layout, or a 10 × 20 block placed below the venue's other seats. */
export function initialFields(layout: SeatLayout | null, place: { x: number; y: number }): LayoutFields {
  if (layout) {
    return {
      rows: String(layout.rows),
      seatsPerRow: String(layout.seatsPerRow),
      curvature: String(layout.curvature),
      angle: String(layout.angle),
      originX: String(layout.originX),
      originY: String(layout.originY),
      seatSpacing: String(layout.seatSpacing),
      rowSpacing: String(layout.rowSpacing),
      aisles: layout.aisles.join(", "),
      numbering: layout.numbering,
      firstRowLabel: layout.firstRowLabel,
      accessibleSeats: refsText(layout.accessibleSeats),
      restrictedViewSeats: refsText(layout.restrictedViewSeats),
    };
  }
  return {
    rows: "10",
    seatsPerRow: "20",
    curvature: "0",
    angle: "0",
    originX: String(place.x),
    originY: String(place.y),
    seatSpacing: "1",
    rowSpacing: "1",
    aisles: "",
    numbering: "LEFT_TO_RIGHT",
    firstRowLabel: "A",
    accessibleSeats: "",
    restrictedViewSeats: "",
  };
}

type Parsed = { ok: true; layout: SeatLayout } | { ok: false; field: keyof LayoutFields; message: string };

const number = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/** "A-1, B-12" → seat references; null when a part is not ROW-NUMBER. */
function parseRefs(text: string): SeatRef[] | null {
  const parts = text.split(/[,;\s]+/).filter(Boolean);
  const refs: SeatRef[] = [];
  for (const part of parts) {
    const match = /^([A-Za-z]+|\d+)-(\d+)$/.exec(part);
    if (!match) return null;
    refs.push({ row: match[1]!.toUpperCase(), number: Number(match[2]) });
  }
  return refs;
}

/** The layout the fields describe, checked exactly as the API checks it; or the first problem and its field. */
export function parseLayout(fields: LayoutFields): Parsed {
  const aisles = fields.aisles.split(/[,;\s]+/).filter(Boolean).map(Number);
  const accessibleSeats = parseRefs(fields.accessibleSeats);
  if (!accessibleSeats) return { ok: false, field: "accessibleSeats", message: "List seats as ROW-NUMBER, e.g. A-1, A-2" };
  const restrictedViewSeats = parseRefs(fields.restrictedViewSeats);
  if (!restrictedViewSeats) return { ok: false, field: "restrictedViewSeats", message: "List seats as ROW-NUMBER, e.g. K-1, K-20" };
  const checked = checkLayout({
    rows: number(fields.rows),
    seatsPerRow: number(fields.seatsPerRow),
    curvature: number(fields.curvature),
    angle: number(fields.angle),
    originX: number(fields.originX),
    originY: number(fields.originY),
    seatSpacing: number(fields.seatSpacing),
    rowSpacing: number(fields.rowSpacing),
    aisles,
    numbering: fields.numbering,
    firstRowLabel: fields.firstRowLabel.trim().toUpperCase(),
    accessibleSeats,
    restrictedViewSeats,
  });
  if (!checked.ok) return { ok: false, field: checked.field as keyof LayoutFields, message: checked.message };
  return { ok: true, layout: checked.layout };
}
