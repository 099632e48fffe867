/**
 * Venue layouts kept in process memory: seats, rows and sections never change while a venue has events
 * on sale, and best available, seat labels in error messages and input checks all need them without a
 * query per request. Bounded (least recently used venues are dropped) and loaded once per venue even
 * when many requests ask at the same moment.
 */
import { createTtlCache } from "../platform/ttl-cache.js";
import type pg from "pg";
import type { LayoutRow, LayoutSeat } from "./hold.best-available.js";
import { findHoldEvent, findVenueLayout, type HoldEventRow, type VenueSectionRow } from "./hold.db.js";

export interface SeatInfo extends LayoutSeat {
  sectionId: string;
  sectionName: string;
  rowLabel: string;
}

export interface VenueLayout {
  sections: Map<string, VenueSectionRow>;
  seats: Map<string, SeatInfo>;
  /** Rows of each seated section, nearest the stage first. */
  rowsBySection: Map<string, LayoutRow[]>;
}

export function seatLabel(seat: SeatInfo): string {
  return `${seat.sectionName} row ${seat.rowLabel} seat ${seat.number}`;
}

export function createLayoutCache(pool: pg.Pool, maxVenues = 64): { get(venueId: string): Promise<VenueLayout> } {
  const cache = new Map<string, Promise<VenueLayout>>();

  async function load(venueId: string): Promise<VenueLayout> {
    const { sections, seats } = await findVenueLayout(pool, venueId);
    const layout: VenueLayout = {
      sections: new Map(sections.map((section) => [section.id, section])),
      seats: new Map(),
      rowsBySection: new Map(),
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
      };
      layout.seats.set(seat.id, info);
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
    get(venueId) {
      let layout = cache.get(venueId);
      if (layout) {
        cache.delete(venueId); // re-insert: Map order is recency order
      } else {
        layout = load(venueId);
        layout.catch(() => cache.delete(venueId));
      }
      cache.set(venueId, layout);
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
