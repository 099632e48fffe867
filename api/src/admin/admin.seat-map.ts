/**
 * The seat-map builder's geometry: a section's rows and seats from a few parameters, pure (no I/O), so
 * the console's preview and the stored seats come from the same numbers.
 *
 * Local frame: x across the section, y away from the stage, row 0 nearest the stage; seat positions
 * run left to right along x, centred on x = 0, and `aisles` widen the gap after a position by one
 * seat spacing. Seats at a row end or beside an aisle gap are aisle seats, and the seats on either side
 * of a wheelchair space in its row (not spaces themselves) are its companion seats: both follow from
 * the layout, so the builder has no list for them. With curvature c > 0 each row is an arc around a centre in front of the section, at
 * radius R0 + row × rowSpacing, where R0 = front-row width / (c × π): at c = 1 the front row is a half
 * circle. Seats keep their spacing along the arc, so the ends of a row bend towards the stage. The
 * frame is then rotated by `angle` degrees (clockwise on the map, whose y grows downwards) and moved
 * to the origin. Coordinates are rounded to 0.01 map units.
 *
 * The admin console imports this file (package export `@boxoffice/api/seat-map`) to preview exactly
 * what generateSectionSeats will write, so it must stay pure and import nothing (ESLint enforces it).
 */

export const NUMBERINGS = ["LEFT_TO_RIGHT", "RIGHT_TO_LEFT"] as const;
export type Numbering = (typeof NUMBERINGS)[number];

export const MAX_ROWS = 200;
export const MAX_SEATS_PER_ROW = 200;
const MAX_SEAT_REFS = 1000;
const MAX_COORDINATE = 1_000_000;

export interface SeatRef {
  row: string;
  number: number;
}

export interface SeatLayout {
  rows: number;
  seatsPerRow: number;
  /** 0 (straight rows) to 1 (the front row a half circle). */
  curvature: number;
  /** Degrees the section is rotated about its origin. */
  angle: number;
  originX: number;
  originY: number;
  seatSpacing: number;
  rowSpacing: number;
  /** Seat positions (1-based, left to right) after which an aisle gap is left. */
  aisles: number[];
  numbering: Numbering;
  /** "A" (or any letter: rows continue B, C, … Z, AA, AB) or a positive number ("1": rows 1, 2, 3). */
  firstRowLabel: string;
  accessibleSeats: SeatRef[];
  restrictedViewSeats: SeatRef[];
}

export interface GeneratedRow {
  label: string;
  sortOrder: number;
}

export interface GeneratedSeat {
  /** Index into `rows`. */
  row: number;
  number: number;
  x: number;
  y: number;
  stageDistance: number;
  accessible: boolean;
  /** Beside a wheelchair space in the same row. */
  companion: boolean;
  /** At a row end or beside an aisle gap. */
  aisle: boolean;
  restrictedView: boolean;
}

export interface GeneratedSection {
  rows: GeneratedRow[];
  seats: GeneratedSeat[];
}

export type LayoutCheck = { ok: true; layout: SeatLayout } | { ok: false; message: string; field: string };

const finite = (value: number, low: number, high: number) => Number.isFinite(value) && value >= low && value <= high;
const integer = (value: number, low: number, high: number) => Number.isInteger(value) && value >= low && value <= high;

/** Spreadsheet-style letters: 0 → A, 25 → Z, 26 → AA. */
function letters(index: number): string {
  let label = "";
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) label = String.fromCharCode(65 + ((rest - 1) % 26)) + label;
  return label;
}

/** The labels of `count` rows starting at `first` ("A" → A, B, …; "1" → 1, 2, …), or null if `first` is neither. */
export function rowLabels(first: string, count: number): string[] | null {
  if (/^[1-9]\d{0,3}$/.test(first)) return Array.from({ length: count }, (_, index) => String(Number(first) + index));
  if (/^[A-Z]$/.test(first)) return Array.from({ length: count }, (_, index) => letters(first.charCodeAt(0) - 65 + index));
  return null;
}

function checkRefs(refs: SeatRef[], labels: Set<string>, seatsPerRow: number, field: string): string | null {
  if (refs.length > MAX_SEAT_REFS) return `${field} takes at most ${MAX_SEAT_REFS} seats`;
  const unknown = refs.find((ref) => !labels.has(ref.row) || !integer(ref.number, 1, seatsPerRow));
  return unknown ? `${field}: there is no seat ${unknown.row}-${unknown.number} in this layout` : null;
}

/** Checks the parameters (bounds, aisles and seat references inside the layout); normalizes lists. */
export function checkLayout(input: SeatLayout): LayoutCheck {
  const bad = (field: string, message: string): LayoutCheck => ({ ok: false, field, message });
  if (!integer(input.rows, 1, MAX_ROWS)) return bad("rows", `rows must be between 1 and ${MAX_ROWS}`);
  if (!integer(input.seatsPerRow, 1, MAX_SEATS_PER_ROW)) return bad("seatsPerRow", `seatsPerRow must be between 1 and ${MAX_SEATS_PER_ROW}`);
  if (!finite(input.curvature, 0, 1)) return bad("curvature", "curvature must be between 0 (straight rows) and 1");
  if (!finite(input.angle, -360, 360)) return bad("angle", "angle must be between -360 and 360 degrees");
  if (!finite(input.originX, -MAX_COORDINATE, MAX_COORDINATE)) return bad("originX", "originX is out of range");
  if (!finite(input.originY, -MAX_COORDINATE, MAX_COORDINATE)) return bad("originY", "originY is out of range");
  if (!finite(input.seatSpacing, 0.01, 1000)) return bad("seatSpacing", "seatSpacing must be between 0.01 and 1000");
  if (!finite(input.rowSpacing, 0.01, 1000)) return bad("rowSpacing", "rowSpacing must be between 0.01 and 1000");
  const aisles = [...new Set(input.aisles)].sort((a, b) => a - b);
  if (aisles.some((position) => !integer(position, 1, input.seatsPerRow - 1))) {
    return bad("aisles", `aisles are seat positions between 1 and ${input.seatsPerRow - 1} (an aisle follows that seat)`);
  }
  const labels = rowLabels(input.firstRowLabel, input.rows);
  if (!labels) return bad("firstRowLabel", 'firstRowLabel must be one capital letter ("A") or a number ("1")');
  const known = new Set(labels);
  for (const field of ["accessibleSeats", "restrictedViewSeats"] as const) {
    const message = checkRefs(input[field], known, input.seatsPerRow, field);
    if (message) return bad(field, message);
  }
  return { ok: true, layout: { ...input, aisles } };
}

/** The rows and seats of a checked layout; `stage` is the point stage distances are measured from. */
export function generateSeats(layout: SeatLayout, stage: { x: number; y: number } = { x: 0, y: 0 }): GeneratedSection {
  const labels = rowLabels(layout.firstRowLabel, layout.rows)!;
  const aisles = new Set(layout.aisles);
  // Offset of each position along the row, aisle gaps included, centred on 0.
  const offsets: number[] = [];
  let along = 0;
  for (let position = 1; position <= layout.seatsPerRow; position++) {
    offsets.push(along);
    along += layout.seatSpacing * (aisles.has(position) ? 2 : 1);
  }
  const width = offsets.at(-1)!;
  const centred = offsets.map((offset) => offset - width / 2);
  const frontRadius = layout.curvature > 0 ? Math.max(width, layout.seatSpacing) / (layout.curvature * Math.PI) : 0;
  const radians = (layout.angle * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const flagged = (refs: SeatRef[]) => new Set(refs.map((ref) => `${ref.row}\u0000${ref.number}`));
  const accessible = flagged(layout.accessibleSeats);
  const restricted = flagged(layout.restrictedViewSeats);
  const round = (value: number) => Math.round(value * 100) / 100;

  const seats: GeneratedSeat[] = [];
  for (let row = 0; row < layout.rows; row++) {
    const depth = row * layout.rowSpacing;
    const radius = frontRadius + depth;
    for (let position = 0; position < layout.seatsPerRow; position++) {
      let localX = centred[position]!;
      let localY = depth;
      if (frontRadius > 0) {
        const theta = centred[position]! / radius;
        localX = radius * Math.sin(theta);
        localY = radius * Math.cos(theta) - frontRadius;
      }
      const x = round(layout.originX + localX * cos - localY * sin);
      const y = round(layout.originY + localX * sin + localY * cos);
      const number = layout.numbering === "LEFT_TO_RIGHT" ? position + 1 : layout.seatsPerRow - position;
      const key = `${labels[row]}\u0000${number}`;
      seats.push({
        row,
        number,
        x,
        y,
        stageDistance: round(Math.hypot(x - stage.x, y - stage.y)),
        accessible: accessible.has(key),
        companion:
          !accessible.has(key) && (accessible.has(`${labels[row]}\u0000${number - 1}`) || accessible.has(`${labels[row]}\u0000${number + 1}`)),
        aisle: position === 0 || position === layout.seatsPerRow - 1 || aisles.has(position) || aisles.has(position + 1),
        restrictedView: restricted.has(key),
      });
    }
  }
  return { rows: labels.map((label, sortOrder) => ({ label, sortOrder })), seats };
}
