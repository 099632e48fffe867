/**
 * Builds the pricing domain of one API process: the promoter's pricing controls, and the demand
 * signals the hot paths write for the pricing engine (which is its own process). Built before the
 * waiting room and holds, which take the signals as an input.
 */
import type { Platform } from "../platform/platform.module.js";
import { createDemandSignals, NO_DEMAND_SIGNALS, type DemandSignals } from "./pricing.demand.js";
import type { PricingDependencies } from "./pricing.service.js";

export interface PricingModule {
  pricing: PricingDependencies;
  demand: DemandSignals;
}

export function createPricingModule({ config, db, redis, keys, pubsub, logger }: Platform): PricingModule {
  return {
    pricing: { pool: db.pool, pubsub, logger },
    demand: config.demandSignals ? createDemandSignals(redis, keys, logger) : NO_DEMAND_SIGNALS,
  };
}
