/**
 * Builds the hold domain of one API process. `createSeatInventory` comes first: the waiting room
 * reads its counts too. `createHoldModule` then takes what the hold path needs from other domains as
 * required inputs (admission from the waiting room, demand for the search sort).
 */
import type { DomainError } from "../platform/errors.js";
import type { DemandSignals } from "../pricing/pricing.demand.js";
import type { Platform } from "../platform/platform.module.js";
import { createAvailability, type Availability } from "./hold.availability.js";
import { createSeatClaims, type SeatClaims } from "./hold.claims.js";
import { createPendingHolds } from "./hold.pending.js";
import { createHoldEventCache, createLayoutCache } from "./hold.layout.js";
import { createHoldPlacer } from "./hold.placer.js";
import { createHoldReleaser } from "./hold.releaser.js";
import { createRestartWatch } from "./hold.restart.js";
import { createSeatChanges, type SeatChanges } from "./hold.seat-changes.js";
import type { HoldDependencies } from "./hold.service.js";
import { startSweeper, type Sweeper } from "./hold.sweeper.js";

/** Event settings are cached this long on the hold path. */
const EVENT_CACHE_MS = 1_000;

export interface SeatInventory {
  availability: Availability;
  claims: SeatClaims;
  layouts: HoldDependencies["layouts"];
  events: HoldDependencies["events"];
}

export function createSeatInventory({ config, db, redis, keys, fastPath }: Platform): SeatInventory {
  return {
    availability: createAvailability(db.pool, redis, keys, config.availabilityCacheTtlMs, fastPath),
    claims: createSeatClaims(redis, keys, config.holdClaimPendingMs, fastPath),
    layouts: createLayoutCache(db.pool),
    events: createHoldEventCache(db.pool, EVENT_CACHE_MS),
  };
}

export interface HoldModule {
  holds: HoldDependencies;
  seatChanges: SeatChanges;
  sweeper: Sweeper;
}

export function createHoldModule(
  platform: Platform,
  inventory: SeatInventory,
  inputs: {
    admission: (userId: string, eventId: string, token: string | null | undefined) => Promise<DomainError | null>;
    demand: (eventId: string, places: number) => void;
    signals: DemandSignals;
  },
): HoldModule {
  const { config, db, redis, keys, pubsub, logger, failpoint } = platform;
  const seatChanges = createSeatChanges({ claims: inventory.claims, availability: inventory.availability, pubsub, logger, demand: inputs.demand, signals: inputs.signals });
  const holds: HoldDependencies = {
    pool: db.pool,
    placer: createHoldPlacer(db.pool, { maxBatch: config.holdBatchMax, concurrency: config.holdBatchConcurrency, synchronousCommit: config.holdSynchronousCommit }),
    releaser: createHoldReleaser(db.pool, { maxBatch: config.holdBatchMax, concurrency: config.holdBatchConcurrency, synchronousCommit: config.holdReleaseSynchronousCommit }),
    ...inventory,
    pendingHolds: createPendingHolds(),
    seatChanges,
    logger,
    failpoint,
    admission: inputs.admission,
  };
  const restartWatch = createRestartWatch({ pool: db.pool, redis, keys, layouts: inventory.layouts, logger });
  const sweeper = startSweeper({ pool: db.pool, seatChanges, logger, synchronousCommit: config.holdReleaseSynchronousCommit }, config.holdSweepIntervalMs, restartWatch);
  return { holds, seatChanges, sweeper };
}
