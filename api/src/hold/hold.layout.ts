/**
 * Venue layouts kept in process memory: best available, seat labels in error messages and input checks
 * all need them without a query per request. Keyed by venue and its layout version, which every
 * seat-map change raises (admin console), so an edited layout is loaded afresh once the event cache
 * (which carries the version) has expired, and the old one ages out. Bounded (least recently used
 * layouts are dropped) and loaded once per key even when many requests ask at the same moment.
 */
import { createTtlCache } from "../platform/ttl-cache.js";
import type pg from "pg";
import type { LayoutRow, LayoutSeat } from "./hold.best-available.js";
import { findHoldEvent, findVenueLayout, type HoldEventRow, type VenueSectionRow } from "./hold.db.js";

export interface SeatInfo extends LayoutSeat {
  sectionId: string;
  sectionName: string;
  rowLabel: string;
  /** The row's place in its section (seat_rows.sort_order): hold and order lines are listed by it. */
  rowOrder: number;
}

export interface VenueLayout {
  sections: Map<string, VenueSectionRow>;
  seats: Map<string, SeatInfo>;
  /** Rows of each seated section, nearest the stage first. */
  rowsBySection: Map<string, LayoutRow[]>;
  /** Seat ids by address (`addressKey`): how holdSeats' `seats` (section, row, number) name seats. */
  seatIdsByAddress: Map<string, string>;
}

/** One key per seat of a venue: (section, row label, number) is unique (seat_rows and seats are unique on them). */
export function addressKey(sectionId: string, row: string, number: number): string {
  return `${sectionId}\u0000${row}\u0000${number}`;
}

export function seatLabel(seat: SeatInfo): string {
  return `${seat.sectionName} row ${seat.rowLabel} seat ${seat.number}`;
}

export function createLayoutCache(pool: pg.Pool, maxVenues = 64): { get(venueId: string, layoutVersion: number): Promise<VenueLayout> } {
  const cache = new Map<string, Promise<VenueLayout>>();

  async function load(venueId: string): Promise<VenueLayout> {
    const { sections, seats } = await findVenueLayout(pool, venueId);
    const layout: VenueLayout = {
      sections: new Map(sections.map((section) => [section.id, section])),
      seats: new Map(),
      rowsBySection: new Map(),
      seatIdsByAddress: new Map(),
    };
    let currentRowId = "";
    let currentRow: LayoutRow | null = null;
    for (const seat of seats) {
      const info: SeatInfo = {
        id: seat.id,
        number: seat.number,
        x: seat.x,
        y: seat.y,
        stageDistance: seat.stageDistance,
        sectionId: seat.sectionId,
        sectionName: seat.sectionName,
        rowLabel: seat.rowLabel,
        rowOrder: seat.rowOrder,
      };
      layout.seats.set(seat.id, info);
      layout.seatIdsByAddress.set(addressKey(seat.sectionId, seat.rowLabel, seat.number), seat.id);
      if (seat.rowId !== currentRowId) {
        currentRowId = seat.rowId;
        currentRow = { label: seat.rowLabel, seats: [] };
        const rows = layout.rowsBySection.get(seat.sectionId) ?? [];
        rows.push(currentRow);
        layout.rowsBySection.set(seat.sectionId, rows);
      }
      currentRow!.seats.push(info);
    }
    return layout;
  }

  return {
    get(venueId, layoutVersion) {
      // A load reads the layout as it is then, never older than the version asked for.
      const key = `${venueId}:${layoutVersion}`;
      let layout = cache.get(key);
      if (layout) {
        cache.delete(key); // re-insert: Map order is recency order
      } else {
        layout = load(venueId);
        layout.catch(() => cache.delete(key));
      }
      cache.set(key, layout);
      if (cache.size > maxVenues) cache.delete(cache.keys().next().value!);
      return layout;
    },
  };
}

/**
 * What holdSeats checks before it claims anything (venue, limits, sale window), cached for `ttlMs`:
 * `hold_seats` re-checks the sale window and limits in PostgreSQL, so a stale entry can only turn a
 * request away early for that long, never let one through.
 */
export function createHoldEventCache(pool: pg.Pool, ttlMs: number, maxEvents = 1_000): { get(eventId: string): Promise<HoldEventRow | null> } {
  return createTtlCache((eventId) => findHoldEvent(pool, eventId), ttlMs, maxEvents);
}
