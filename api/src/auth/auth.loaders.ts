import DataLoader from "dataloader";
import type pg from "pg";
import { oneByKey } from "../platform/loaders.js";
import { findUsersByIds, type UserRow } from "./auth.db.js";

export interface AuthLoaders {
  userById: DataLoader<string, UserRow | null>;
}

export function createAuthLoaders(pool: pg.Pool): AuthLoaders {
  return { userById: new DataLoader(async (ids) => oneByKey(ids, await findUsersByIds(pool, ids), (row) => row.id)) };
}
