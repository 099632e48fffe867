/** Builds the partner API's parts for one API process: the key lookups that authenticate partners. */
import type { Platform } from "../platform/platform.module.js";
import { createPartnerKeys, type PartnerKeys } from "./partner.auth.js";

export interface PartnerModule {
  partnerKeys: PartnerKeys;
}

export function createPartnerModule({ config, db }: Platform): PartnerModule {
  return { partnerKeys: createPartnerKeys(db.pool, config.partnerKeyCacheMs) };
}
