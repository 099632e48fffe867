import DataLoader from "dataloader";
import type pg from "pg";
import { manyByKey } from "../platform/loaders.js";
import * as db from "./hold.db.js";

export interface HoldLoaders {
  holdLinesByHoldId: DataLoader<string, db.HoldLineRow[]>;
}

export function createHoldLoaders(pool: pg.Pool): HoldLoaders {
  return {
    holdLinesByHoldId: new DataLoader(async (ids) => manyByKey(ids, await db.findHoldLinesByHoldIds(pool, ids), (row) => row.holdId)),
  };
}
