/**
 * Builds the waiting room of one API process: its dependencies, the admission scheduler (the leader
 * of all processes admits), and the admission checks the hold and checkout paths call.
 */
import type { Availability } from "../hold/hold.availability.js";
import type { DomainError, Result } from "../platform/errors.js";
import type { DemandSignals } from "../pricing/pricing.demand.js";
import type { Platform } from "../platform/platform.module.js";
import { createTtlCache } from "../platform/ttl-cache.js";
import { findRoomEvent } from "./waiting-room.db.js";
import { createProofOfWork } from "./waiting-room.pow.js";
import { startScheduler, type Scheduler } from "./waiting-room.scheduler.js";
import { roomScripts } from "./waiting-room.scripts.js";
import { createRateLimits, markPurchased, remainingInventory, verifyAdmission, type WaitingRoomDependencies } from "./waiting-room.service.js";
import { createAdmissionTokens, type Admission } from "./waiting-room.tokens.js";

/** Room settings and remaining inventory are cached this long on the admission path. */
const CACHE_MS = 1_000;

export interface WaitingRoomModule {
  waitingRoom: WaitingRoomDependencies;
  scheduler: Scheduler;
  /** For holdSeats: null when the token admits the fan to the event, else NOT_ADMITTED. */
  admitsToHold(userId: string, eventId: string, token: string | null | undefined): Promise<DomainError | null>;
  /** For checkout: the admission (an expired one still pays for its hold), and marking it used. */
  checkoutAdmission: {
    verify(userId: string, eventId: string, token: string | null | undefined): Promise<Result<Admission>>;
    purchased(admission: Admission): Promise<void>;
  };
}

export function createWaitingRoomModule(
  { config, db, redis, keys, pubsub, logger }: Platform,
  availability: Availability,
  demand: Pick<DemandSignals, "queueJoin">,
): WaitingRoomModule {
  const waitingRoom: WaitingRoomDependencies = {
    pool: db.pool,
    redis,
    keys,
    scripts: roomScripts(redis),
    tokens: createAdmissionTokens(config.authTokenSecret),
    availability,
    pubsub,
    logger,
    limits: createRateLimits(redis, keys, config.waitingRoomJoinsPerIpPerMinute, config.waitingRoomJoinsPerAccountPerMinute),
    proofOfWork: createProofOfWork({ secret: config.authTokenSecret, redis, usedPrefix: keys.proofOfWorkUsed, keyPrefix: config.proofOfWorkPrefix, cost: 1 }),
    events: createTtlCache((eventId) => findRoomEvent(db.pool, eventId), CACHE_MS),
    remaining: createTtlCache((eventId) => remainingInventory({ availability }, eventId), CACHE_MS),
    demand,
  };
  const scheduler = startScheduler(waitingRoom, { intervalMs: config.waitingRoomTickMs, leaseMs: Math.max(3 * config.waitingRoomTickMs, 3_000) });
  return {
    waitingRoom,
    scheduler,
    async admitsToHold(userId, eventId, token) {
      const admitted = await verifyAdmission(waitingRoom, userId, eventId, token);
      return admitted.ok ? null : admitted.error;
    },
    checkoutAdmission: {
      verify: (userId, eventId, token) => verifyAdmission(waitingRoom, userId, eventId, token, { allowExpired: true }),
      purchased: (admission) => markPurchased(waitingRoom, admission),
    },
  };
}
