/** Builds the partner API's parts for one API process: the key lookups that authenticate partners, their budgets, the sale announcements. */
import type { Periodic } from "../platform/periodic.js";
import type { Platform } from "../platform/platform.module.js";
import { startSaleAnnouncements } from "./partner.announce.js";
import { createPartnerKeys, type PartnerKeys } from "./partner.auth.js";
import { createPartnerBudget, type PartnerBudget } from "./partner.budget.js";
import { createPartnerFans, type PartnerFans } from "./partner.fans.js";

export interface PartnerModule {
  partnerKeys: PartnerKeys;
  partnerBudget: PartnerBudget;
  /** Announces on-sales that start by themselves and sales that run out (partner.announce.ts). */
  partnerSales: Periodic<number>;
  /** The fans a key with holds:write acts for (Boxoffice-Fan header). */
  partnerFans: PartnerFans;
}

export function createPartnerModule({ config, db, redis, keys, logger }: Platform): PartnerModule {
  return {
    partnerKeys: createPartnerKeys(db.pool, config.partnerKeyCacheMs),
    partnerBudget: createPartnerBudget(redis, keys, { points: config.partnerBudgetPoints, windowSeconds: config.partnerBudgetWindowSeconds }),
    partnerSales: startSaleAnnouncements(db.pool, config.partnerAnnounceIntervalMs, logger),
    partnerFans: createPartnerFans(db.pool, config.partnerKeyCacheMs),
  };
}
