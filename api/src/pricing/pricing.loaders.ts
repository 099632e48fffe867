import DataLoader from "dataloader";
import type pg from "pg";
import { manyByKey, oneByKey } from "../platform/loaders.js";
import * as db from "./pricing.db.js";

export interface PricingLoaders {
  /** Pricing rules of every section of an event (one statement for all events of a request). */
  sectionPricingByEventId: DataLoader<string, db.SectionPricingRow[]>;
  eventPricingById: DataLoader<string, db.EventPricingRow | null>;
  /** One page of a section's price history; pages of many sections load in one statement. */
  priceHistoryPage: DataLoader<db.PriceHistoryKey, Omit<db.PriceHistoryRow, "key">[], string>;
}

export function createPricingLoaders(pool: pg.Pool): PricingLoaders {
  return {
    sectionPricingByEventId: new DataLoader(async (ids) =>
      manyByKey(ids, await db.findSectionPricingByEventIds(pool, ids), (row) => row.eventId),
    ),
    eventPricingById: new DataLoader(async (ids) => oneByKey(ids, await db.findEventPricingByIds(pool, ids), (row) => row.id)),
    priceHistoryPage: new DataLoader(
      async (keys) => {
        const rows = await db.findPriceHistoryPages(pool, keys);
        // `key` is the 1-based position of the page's key in this batch.
        return manyByKey(
          keys.map((_, index) => index + 1),
          rows,
          (row) => row.key,
        ).map((page) => page.map(({ key: _key, ...row }) => row));
      },
      { cacheKeyFn: (key) => `${key.eventId}:${key.sectionId}:${key.beforeId ?? ""}:${key.limit}` },
    ),
  };
}
