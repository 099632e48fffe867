/**
 * Every seat of an event in flat typed arrays, so an 18,000-seat arena is drawn and updated without
 * 18,000 React components or cache objects. A seat is its index here; outside, it is named by section,
 * row and number (`SeatAddress`, what the API takes and sends). Live changes mutate `status` in place
 * and bump `version`; listeners (the canvas, the keyboard seat grid) redraw on their own schedule.
 */
import type { SeatAddress, SeatMapSection, SeatStatusChange } from "./graphql";

export const AVAILABLE = 0;
export const HELD = 1;
export const SOLD = 2;
export const BLOCKED = 3;
const CODES: Record<string, number> = { A: AVAILABLE, H: HELD, S: SOLD, B: BLOCKED, AVAILABLE, HELD, SOLD, BLOCKED };

/** A status letter of SectionSeatMap.statuses, by its character code. */
function statusOfCharCode(code: number): number {
  switch (code) {
    case 65: // A
      return AVAILABLE;
    case 72: // H
      return HELD;
    case 83: // S
      return SOLD;
    default:
      return BLOCKED;
  }
}

/** A hexadecimal digit's value, by its character code (0 for anything else). */
function hexDigitOfCharCode(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : 0;
}

/** Feature bits, as SectionSeatMap.features spells them (one hex digit per seat). */
export const AISLE = 1;
export const ACCESSIBLE = 2;
export const COMPANION = 4;
export const RESTRICTED_VIEW = 8;

export interface SectionRange {
  sectionId: string;
  start: number;
  count: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** One row of one section: seats `start` to `start + count - 1`, in number order. */
export interface RowRange {
  section: number;
  label: string;
  start: number;
  count: number;
}

/** The name of a seat that survives a reload: section, row and number. */
export function seatKey(address: SeatAddress): string {
  return `${address.sectionId}|${address.row}|${address.number}`;
}

export class SeatStore {
  readonly rows: string[];
  readonly numbers: Int32Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly status: Uint8Array;
  readonly features: Uint8Array;
  readonly sections: SectionRange[] = [];
  readonly rowRanges: RowRange[] = [];
  readonly sectionOf: Uint16Array;
  readonly rowOf: Uint32Array;
  /** Typical distance between neighbouring seats, in map units (for seat size and hit tests). */
  readonly spacing: number;
  version = 0;
  /** Seat index by seatKey, built on the first lookup: 18,000 strings the first frame does not need. */
  private indexByKey: Map<string, number> | null = null;
  private readonly listeners = new Set<() => void>();

  /**
   * One pass over the answer, decoding positions (xSteps/ySteps: tenths of a map unit, each the step
   * from the previous seat of the section) and one character per seat of status and features. This
   * runs between the answer and the first frame, so it makes no per-seat strings or objects.
   */
  constructor(sections: SeatMapSection[]) {
    const total = sections.reduce((sum, section) => sum + section.numbers.length, 0);
    this.rows = new Array<string>(total);
    this.numbers = new Int32Array(total);
    this.x = new Float32Array(total);
    this.y = new Float32Array(total);
    this.status = new Uint8Array(total);
    this.features = new Uint8Array(total);
    this.sectionOf = new Uint16Array(total);
    this.rowOf = new Uint32Array(total);
    let index = 0;
    const gaps: number[] = [];
    for (let sectionIndex = 0; sectionIndex < sections.length; sectionIndex++) {
      const section = sections[sectionIndex]!;
      const count = section.numbers.length;
      const range: SectionRange = { sectionId: section.sectionId, start: index, count, minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
      let tenthsX = 0;
      let tenthsY = 0;
      let previousX = 0;
      let previousY = 0;
      let rowRange: RowRange | null = null;
      for (let i = 0; i < count; i++, index++) {
        const row = section.rows[i]!;
        tenthsX += section.xSteps[i]!;
        tenthsY += section.ySteps[i]!;
        const x = tenthsX / 10;
        const y = tenthsY / 10;
        this.rows[index] = row;
        this.numbers[index] = section.numbers[i]!;
        this.x[index] = x;
        this.y[index] = y;
        this.status[index] = statusOfCharCode(section.statuses.charCodeAt(i));
        this.features[index] = hexDigitOfCharCode(section.features.charCodeAt(i));
        this.sectionOf[index] = sectionIndex;
        if (x < range.minX) range.minX = x;
        if (x > range.maxX) range.maxX = x;
        if (y < range.minY) range.minY = y;
        if (y > range.maxY) range.maxY = y;
        if (rowRange && row === rowRange.label) {
          rowRange.count++;
          // Neighbours in one row are consecutive: their distance is the seat pitch.
          if (gaps.length < 2000) gaps.push(Math.hypot(x - previousX, y - previousY));
        } else {
          rowRange = { section: sectionIndex, label: row, start: index, count: 1 };
          this.rowRanges.push(rowRange);
        }
        this.rowOf[index] = this.rowRanges.length - 1;
        previousX = x;
        previousY = y;
      }
      this.sections.push(range);
    }
    gaps.sort((a, b) => a - b);
    this.spacing = gaps.length ? gaps[Math.floor(gaps.length / 2)]! : 1;
  }

  get size(): number {
    return this.numbers.length;
  }

  sectionIdOf(index: number): string {
    return this.sections[this.sectionOf[index]!]!.sectionId;
  }

  address(index: number): SeatAddress {
    return { sectionId: this.sectionIdOf(index), row: this.rows[index]!, number: this.numbers[index]! };
  }

  key(index: number): string {
    return seatKey(this.address(index));
  }

  indexOf(address: SeatAddress | string): number | undefined {
    if (!this.indexByKey) {
      this.indexByKey = new Map();
      for (let index = 0; index < this.size; index++) this.indexByKey.set(`${this.sectionIdOf(index)}|${this.rows[index]}|${this.numbers[index]}`, index);
    }
    return this.indexByKey.get(typeof address === "string" ? address : seatKey(address));
  }

  /** Applies a live change; returns false when the seat is not on this map. */
  apply(address: SeatAddress, status: string): boolean {
    const index = this.indexOf(address);
    const code = CODES[status];
    if (index === undefined || code === undefined) return false;
    if (this.status[index] !== code) {
      this.status[index] = code;
      this.changed();
    }
    return true;
  }

  /**
   * Takes the statuses and features of a newer read of the same map, in place (the canvas, the seat
   * grid and the fan's zoom keep their store), and tells the listeners. Returns false, changing
   * nothing, when the read's layout differs (seats added, moved or renumbered since): the caller then
   * builds a new store from it.
   */
  refresh(sections: SeatMapSection[]): boolean {
    if (sections.length !== this.sections.length) return false;
    const status = new Uint8Array(this.size);
    const features = new Uint8Array(this.size);
    for (let sectionIndex = 0; sectionIndex < sections.length; sectionIndex++) {
      const section = sections[sectionIndex]!;
      const range = this.sections[sectionIndex]!;
      if (section.sectionId !== range.sectionId || section.numbers.length !== range.count) return false;
      let tenthsX = 0;
      let tenthsY = 0;
      for (let i = 0, index = range.start; i < range.count; i++, index++) {
        tenthsX += section.xSteps[i]!;
        tenthsY += section.ySteps[i]!;
        // The constructor's own arithmetic, so an unmoved seat compares equal to the float it stored.
        if (section.rows[i] !== this.rows[index] || section.numbers[i] !== this.numbers[index]) return false;
        if (Math.fround(tenthsX / 10) !== this.x[index] || Math.fround(tenthsY / 10) !== this.y[index]) return false;
        status[index] = statusOfCharCode(section.statuses.charCodeAt(i));
        features[index] = hexDigitOfCharCode(section.features.charCodeAt(i));
      }
    }
    this.status.set(status);
    this.features.set(features);
    this.changed();
    return true;
  }

  changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  label(index: number): string {
    return `Row ${this.rows[index]}, seat ${this.numbers[index]}`;
  }

  /** "aisle, wheelchair space": the seat's features in words, or "" when it has none. */
  featureText(index: number): string {
    const bits = this.features[index]!;
    const words: string[] = [];
    if (bits & ACCESSIBLE) words.push("wheelchair space");
    if (bits & COMPANION) words.push("companion seat");
    if (bits & AISLE) words.push("aisle");
    if (bits & RESTRICTED_VIEW) words.push("restricted view");
    return words.join(", ");
  }
}

/**
 * The map once its fresh read is in, when it was first drawn from an earlier copy (a prefetch from the
 * home page, up to a minute old): the fresh read's statuses, then every live change received since
 * the feed started, in order. The subscription started before the fresh read was sent, so each seat
 * ends at its latest status whichever came first: a change the read already shows is applied again
 * (same status), one that came after the read's snapshot wins. So a seat held or sold since the
 * copy was fetched is never left offered as available once this has run. Until then the fan may see
 * such a seat as free for a moment; a hold on it is refused by the server, which checks every seat
 * (hold.service.ts: the Redis claim, then PostgreSQL's conditional update), never the map.
 * Returns `store` refreshed in place, or a new store when the layout changed.
 */
export function revalidateStore(store: SeatStore, fresh: SeatMapSection[], changesSinceStart: readonly SeatStatusChange[]): SeatStore {
  const current = store.refresh(fresh) ? store : new SeatStore(fresh);
  for (const change of changesSinceStart) {
    if (change.row !== null && change.number !== null) current.apply({ sectionId: change.sectionId, row: change.row, number: change.number }, change.status);
  }
  return current;
}

/** What the fan asked the map to highlight: an all-in price range, a number of seats together, features. */
export interface SeatFilter {
  /** All-in price per ticket in minor units; null = no bound. */
  minPrice: number | null;
  maxPrice: number | null;
  /** Highlight only runs of at least this many free, matching seats side by side in one row. */
  quantity: number;
  /** Only wheelchair spaces and their companion seats. */
  accessible: boolean;
  /** Only aisle seats. */
  aisle: boolean;
  /** Leave out seats with a restricted view. */
  noRestrictedView: boolean;
}

export const NO_FILTER: SeatFilter = { minPrice: null, maxPrice: null, quantity: 1, accessible: false, aisle: false, noRestrictedView: false };

/**
 * 1 for every free seat the filter admits that sits in a run of at least `filter.quantity` such seats
 * (consecutive numbers in one row): the blocks a group of that size fits in. One pass over the seats.
 * With the accessible filter a run counts wheelchair spaces and companion seats together.
 */
export function fittingSeats(store: SeatStore, filter: SeatFilter, allInPriceOfSection: (sectionIndex: number) => number): Uint8Array {
  const fits = new Uint8Array(store.size);
  const sectionAdmitted = store.sections.map((_, sectionIndex) => {
    const price = allInPriceOfSection(sectionIndex);
    return (filter.minPrice === null || price >= filter.minPrice) && (filter.maxPrice === null || price <= filter.maxPrice);
  });
  const admits = (index: number) => {
    if (store.status[index] !== AVAILABLE || !sectionAdmitted[store.sectionOf[index]!]) return false;
    const bits = store.features[index]!;
    if (filter.accessible && !(bits & (ACCESSIBLE | COMPANION))) return false;
    if (filter.aisle && !(bits & AISLE)) return false;
    if (filter.noRestrictedView && bits & RESTRICTED_VIEW) return false;
    return true;
  };
  const need = Math.max(1, filter.quantity);
  for (const row of store.rowRanges) {
    let runStart = row.start;
    const end = row.start + row.count;
    for (let index = row.start; index <= end; index++) {
      const continues = index < end && admits(index) && (index === runStart || store.numbers[index]! === store.numbers[index - 1]! + 1);
      if (continues) continue;
      if (index - runStart >= need) fits.fill(1, runStart, index);
      runStart = index < end && admits(index) ? index : index + 1;
    }
  }
  return fits;
}

/**
 * A grid over the map so a click finds its seat without scanning every seat. Cells are keyed by a
 * number (two cells far apart may share a key; nearest() measures every candidate, so a shared key
 * only adds candidates, it never hides one).
 */
export class SeatGrid {
  private readonly cells = new Map<number, number[]>();
  constructor(
    private readonly store: SeatStore,
    private readonly cellSize = Math.max(store.spacing * 2, 1),
  ) {
    for (let i = 0; i < store.size; i++) {
      const key = this.key(Math.floor(store.x[i]! / this.cellSize), Math.floor(store.y[i]! / this.cellSize));
      let cell = this.cells.get(key);
      if (!cell) this.cells.set(key, (cell = []));
      cell.push(i);
    }
  }

  private key(cellX: number, cellY: number): number {
    return cellX * 0x100000 + cellY;
  }

  /** The seat nearest to (x, y) within `radius` map units, or -1. */
  nearest(x: number, y: number, radius: number): number {
    let best = -1;
    let bestDistance = radius * radius;
    const cx = Math.floor(x / this.cellSize);
    const cy = Math.floor(y / this.cellSize);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const i of this.cells.get(this.key(cx + dx, cy + dy)) ?? []) {
          const distance = (this.store.x[i]! - x) ** 2 + (this.store.y[i]! - y) ** 2;
          if (distance <= bestDistance) {
            bestDistance = distance;
            best = i;
          }
        }
      }
    }
    return best;
  }
}
