/** Builds the promoter's pricing controls for one API process (the pricing engine is its own process). */
import type { Platform } from "../platform/platform.module.js";
import type { PricingDependencies } from "./pricing.service.js";

export interface PricingModule {
  pricing: PricingDependencies;
}

export function createPricingModule({ db, pubsub, logger }: Platform): PricingModule {
  return { pricing: { pool: db.pool, pubsub, logger } };
}
