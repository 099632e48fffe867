import DataLoader from "dataloader";
import type pg from "pg";
import type { Availability } from "../hold/hold.availability.js";
import { manyByKey, oneByKey } from "../platform/loaders.js";
import * as db from "./catalogue.db.js";

export interface CatalogueLoaders {
  eventById: DataLoader<string, db.EventRow | null>;
  venueById: DataLoader<string, db.VenueRow | null>;
  sectionsByVenueId: DataLoader<string, db.SectionRow[]>;
  eventSectionsByEventId: DataLoader<string, db.EventSectionRow[]>;
  seatsByEventSection: DataLoader<{ eventId: string; sectionId: string }, db.SeatRow[], string>;
  sectionById: DataLoader<string, db.SectionRow | null>;
  seatByEventSeat: DataLoader<{ eventId: string; seatId: string }, db.SeatRow | null, string>;
}

/** Per-request loaders: each list-of-objects field resolves through one, one statement per batch. */
export function createCatalogueLoaders(pool: pg.Pool, availability: Availability): CatalogueLoaders {
  return {
    eventById: new DataLoader(async (ids) => oneByKey(ids, await db.findEventsByIds(pool, ids), (row) => row.id)),
    venueById: new DataLoader(async (ids) => oneByKey(ids, await db.findVenuesByIds(pool, ids), (row) => row.id)),
    sectionsByVenueId: new DataLoader(async (ids) =>
      manyByKey(ids, await db.findSectionsByVenueIds(pool, ids), (row) => row.venueId),
    ),
    eventSectionsByEventId: new DataLoader(async (ids) => {
      const [rows, counts] = await Promise.all([db.findEventSectionsByEventIds(pool, ids), availability.counts(ids)]);
      const withCounts = rows.map((row) => {
        const count = counts.get(row.eventId)?.get(row.section.id);
        return { ...row, available: count?.available ?? 0, total: count?.total ?? 0 };
      });
      return manyByKey(ids, withCounts, (row) => row.eventId);
    }),
    seatsByEventSection: new DataLoader(
      async (keys) => {
        const rows = await db.findSeatsByEventSections(pool, keys);
        return manyByKey(
          keys.map((key) => `${key.eventId}:${key.sectionId}`),
          rows,
          (row) => `${row.eventId}:${row.sectionId}`,
        );
      },
      { cacheKeyFn: (key) => `${key.eventId}:${key.sectionId}` },
    ),
    sectionById: new DataLoader(async (ids) => oneByKey(ids, await db.findSectionsByIds(pool, ids), (row) => row.id)),
    seatByEventSeat: new DataLoader(
      async (keys) => {
        const rows = await db.findEventSeats(pool, keys);
        return oneByKey(
          keys.map((key) => `${key.eventId}:${key.seatId}`),
          rows,
          (row) => `${row.eventId}:${row.id}`,
        );
      },
      { cacheKeyFn: (key) => `${key.eventId}:${key.seatId}` },
    ),
  };
}
