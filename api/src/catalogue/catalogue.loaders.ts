import DataLoader from "dataloader";
import type pg from "pg";
import { manyByKey, oneByKey } from "../platform/loaders.js";
import * as db from "./catalogue.db.js";

export interface CatalogueLoaders {
  eventById: DataLoader<string, db.EventRow | null>;
  venueById: DataLoader<string, db.VenueRow | null>;
  sectionsByVenueId: DataLoader<string, db.SectionRow[]>;
  eventSectionsByEventId: DataLoader<string, db.EventSectionRow[]>;
  seatsByEventSection: DataLoader<{ eventId: string; sectionId: string }, db.SeatRow[], string>;
}

/** Per-request loaders: each list-of-objects field resolves through one, one statement per batch. */
export function createCatalogueLoaders(pool: pg.Pool): CatalogueLoaders {
  return {
    eventById: new DataLoader(async (ids) => oneByKey(ids, await db.findEventsByIds(pool, ids), (row) => row.id)),
    venueById: new DataLoader(async (ids) => oneByKey(ids, await db.findVenuesByIds(pool, ids), (row) => row.id)),
    sectionsByVenueId: new DataLoader(async (ids) =>
      manyByKey(ids, await db.findSectionsByVenueIds(pool, ids), (row) => row.venueId),
    ),
    eventSectionsByEventId: new DataLoader(async (ids) =>
      manyByKey(ids, await db.findEventSectionsByEventIds(pool, ids), (row) => row.eventId),
    ),
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
  };
}
