import DataLoader from "dataloader";
import type pg from "pg";
import { manyByKey } from "../platform/loaders.js";
import type { SectionRow } from "./admin.venues.db.js";
import { sectionsOf } from "./admin.venues.service.js";

export interface AdminVenueLoaders {
  /** The sections of every venue of a page in one statement. */
  adminSectionsByVenueId: DataLoader<string, SectionRow[]>;
}

export function createAdminVenueLoaders(pool: pg.Pool): AdminVenueLoaders {
  return {
    adminSectionsByVenueId: new DataLoader(async (ids) => manyByKey(ids, await sectionsOf(pool, ids), (row) => row.venueId)),
  };
}
