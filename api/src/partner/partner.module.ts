/** Builds the partner API's parts for one API process: the key lookups that authenticate partners and their budgets. */
import type { Platform } from "../platform/platform.module.js";
import { createPartnerKeys, type PartnerKeys } from "./partner.auth.js";
import { createPartnerBudget, type PartnerBudget } from "./partner.budget.js";
import { createPartnerFans, type PartnerFans } from "./partner.fans.js";

export interface PartnerModule {
  partnerKeys: PartnerKeys;
  partnerBudget: PartnerBudget;
  /** The fans a key with holds:write acts for (Boxoffice-Fan header). */
  partnerFans: PartnerFans;
}

export function createPartnerModule({ config, db, redis, keys }: Platform): PartnerModule {
  return {
    partnerKeys: createPartnerKeys(db.pool, config.partnerKeyCacheMs),
    partnerBudget: createPartnerBudget(redis, keys, { points: config.partnerBudgetPoints, windowSeconds: config.partnerBudgetWindowSeconds }),
    partnerFans: createPartnerFans(db.pool, config.partnerKeyCacheMs),
  };
}
