/**
 * Every seat of an event in flat typed arrays, so an 18,000-seat arena is drawn and updated without
 * 18,000 React components or cache objects. Live changes mutate `status` in place and bump `version`;
 * listeners (the canvas, the accessible seat list) redraw on their own schedule.
 */
import type { SeatMapSection } from "./graphql";

export const AVAILABLE = 0;
export const HELD = 1;
export const SOLD = 2;
export const BLOCKED = 3;
const CODES: Record<string, number> = { A: AVAILABLE, H: HELD, S: SOLD, B: BLOCKED, AVAILABLE, HELD, SOLD, BLOCKED };

export interface SectionRange {
  sectionId: string;
  start: number;
  count: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export class SeatStore {
  readonly ids: string[] = [];
  readonly rows: string[] = [];
  readonly numbers: Int32Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly status: Uint8Array;
  readonly sections: SectionRange[] = [];
  readonly sectionOf: Uint16Array;
  /** Typical distance between neighbouring seats, in map units (for seat size and hit tests). */
  readonly spacing: number;
  version = 0;
  private readonly indexById = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  constructor(sections: SeatMapSection[]) {
    const total = sections.reduce((sum, section) => sum + section.seatIds.length, 0);
    this.numbers = new Int32Array(total);
    this.x = new Float32Array(total);
    this.y = new Float32Array(total);
    this.status = new Uint8Array(total);
    this.sectionOf = new Uint16Array(total);
    let index = 0;
    const gaps: number[] = [];
    sections.forEach((section, sectionIndex) => {
      const range: SectionRange = { sectionId: section.sectionId, start: index, count: section.seatIds.length, minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
      for (let i = 0; i < section.seatIds.length; i++, index++) {
        const id = section.seatIds[i]!;
        this.ids.push(id);
        this.rows.push(section.rows[i]!);
        this.indexById.set(id, index);
        this.numbers[index] = section.numbers[i]!;
        const x = section.x[i]!;
        const y = section.y[i]!;
        this.x[index] = x;
        this.y[index] = y;
        this.status[index] = CODES[section.statuses[i]!] ?? BLOCKED;
        this.sectionOf[index] = sectionIndex;
        range.minX = Math.min(range.minX, x);
        range.minY = Math.min(range.minY, y);
        range.maxX = Math.max(range.maxX, x);
        range.maxY = Math.max(range.maxY, y);
        // Neighbours in one row are consecutive: their distance is the seat pitch.
        if (i > 0 && section.rows[i - 1] === section.rows[i] && gaps.length < 2000) {
          gaps.push(Math.hypot(x - section.x[i - 1]!, y - section.y[i - 1]!));
        }
      }
      this.sections.push(range);
    });
    gaps.sort((a, b) => a - b);
    this.spacing = gaps.length ? gaps[Math.floor(gaps.length / 2)]! : 1;
  }

  get size(): number {
    return this.ids.length;
  }

  indexOf(seatId: string): number | undefined {
    return this.indexById.get(seatId);
  }

  /** Applies a live change; returns false when the seat is not on this map. */
  apply(seatId: string, status: string): boolean {
    const index = this.indexById.get(seatId);
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
