/**
 * Every seat of an event in flat typed arrays, so an 18,000-seat arena is drawn and updated without
 * 18,000 React components or cache objects. A seat is its index here; outside, it is named by section,
 * row and number (`SeatAddress`, what the API takes and sends). Live changes mutate `status` in place
 * and bump `version`; listeners (the canvas, the keyboard seat grid) redraw on their own schedule.
 */
import type { SeatAddress, SeatMapSection } from "./graphql";

export const AVAILABLE = 0;
export const HELD = 1;
export const SOLD = 2;
export const BLOCKED = 3;
const CODES: Record<string, number> = { A: AVAILABLE, H: HELD, S: SOLD, B: BLOCKED, AVAILABLE, HELD, SOLD, BLOCKED };

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
  readonly rows: string[] = [];
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
  private readonly indexByKey = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  constructor(sections: SeatMapSection[]) {
    const total = sections.reduce((sum, section) => sum + section.numbers.length, 0);
    this.numbers = new Int32Array(total);
    this.x = new Float32Array(total);
    this.y = new Float32Array(total);
    this.status = new Uint8Array(total);
    this.features = new Uint8Array(total);
    this.sectionOf = new Uint16Array(total);
    this.rowOf = new Uint32Array(total);
    let index = 0;
    const gaps: number[] = [];
    sections.forEach((section, sectionIndex) => {
      const range: SectionRange = { sectionId: section.sectionId, start: index, count: section.numbers.length, minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
      for (let i = 0; i < section.numbers.length; i++, index++) {
        const row = section.rows[i]!;
        this.rows.push(row);
        this.numbers[index] = section.numbers[i]!;
        this.indexByKey.set(`${section.sectionId}|${row}|${section.numbers[i]}`, index);
        const x = section.x[i]!;
        const y = section.y[i]!;
        this.x[index] = x;
        this.y[index] = y;
        this.status[index] = CODES[section.statuses[i]!] ?? BLOCKED;
        this.features[index] = parseInt(section.features[i] ?? "0", 16) || 0;
        this.sectionOf[index] = sectionIndex;
        range.minX = Math.min(range.minX, x);
        range.minY = Math.min(range.minY, y);
        range.maxX = Math.max(range.maxX, x);
        range.maxY = Math.max(range.maxY, y);
        const last = this.rowRanges[this.rowRanges.length - 1];
        if (i > 0 && section.rows[i - 1] === row && last) last.count++;
        else this.rowRanges.push({ section: sectionIndex, label: row, start: index, count: 1 });
        this.rowOf[index] = this.rowRanges.length - 1;
        // Neighbours in one row are consecutive: their distance is the seat pitch.
        if (i > 0 && section.rows[i - 1] === row && gaps.length < 2000) {
          gaps.push(Math.hypot(x - section.x[i - 1]!, y - section.y[i - 1]!));
        }
      }
      this.sections.push(range);
    });
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

/** A grid over the map so a click finds its seat without scanning every seat. */
export class SeatGrid {
  private readonly cells = new Map<string, number[]>();
  constructor(
    private readonly store: SeatStore,
    private readonly cellSize = Math.max(store.spacing * 2, 1),
  ) {
    for (let i = 0; i < store.size; i++) {
      const key = this.key(store.x[i]!, store.y[i]!);
      let cell = this.cells.get(key);
      if (!cell) this.cells.set(key, (cell = []));
      cell.push(i);
    }
  }

  private key(x: number, y: number): string {
    return `${Math.floor(x / this.cellSize)}:${Math.floor(y / this.cellSize)}`;
  }

  /** The seat nearest to (x, y) within `radius` map units, or -1. */
  nearest(x: number, y: number, radius: number): number {
    let best = -1;
    let bestDistance = radius * radius;
    const cx = Math.floor(x / this.cellSize);
    const cy = Math.floor(y / this.cellSize);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const i of this.cells.get(`${cx + dx}:${cy + dy}`) ?? []) {
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
