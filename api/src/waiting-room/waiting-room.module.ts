/**
 * Builds the waiting room of one API process: its dependencies, the admission scheduler (the leader
 * of all processes admits), and the admission checks the hold and checkout paths call.
 */
import type { Availability } from "../hold/hold.availability.js";
import type { DomainError, Result } from "../platform/errors.js";
import type { DemandSignals } from "../pricing/pricing.demand.js";
import type { Platform } from "../platform/platform.module.js";
import { createTtlCache } from "../platform/ttl-cache.js";
import { ensureDraw, findRoomEvent } from "./waiting-room.db.js";
import type pg from "pg";
import { createProofOfWork } from "./waiting-room.pow.js";
import { startScheduler, type Scheduler } from "./waiting-room.scheduler.js";
import { roomScripts } from "./waiting-room.scripts.js";
import { createQueueFanOut, type QueueFanOut } from "./waiting-room.fan-out.js";
import { createRateLimits, markPurchased, remainingInventory, verifyAdmission, viewSources, type WaitingRoomDependencies } from "./waiting-room.service.js";
import { createAdmissionTokens, type Admission } from "./waiting-room.tokens.js";

/** Room settings and remaining inventory are cached this long on the admission path. */
const CACHE_MS = 1_000;

export interface WaitingRoomModule {
  waitingRoom: WaitingRoomDependencies;
  /** queuePositionChanged's fan-out (waiting-room.fan-out.ts). */
  queueFanOut: QueueFanOut;
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
    draws: committedDraws(db.pool),
    remaining: createTtlCache((eventId) => remainingInventory({ availability }, eventId), CACHE_MS),
    demand,
  };
  const scheduler = startScheduler(waitingRoom, { intervalMs: config.waitingRoomTickMs, leaseMs: Math.max(3 * config.waitingRoomTickMs, 3_000) });
  const queueFanOut = createQueueFanOut({ ...viewSources(waitingRoom), pubsub, keys, scripts: waitingRoom.scripts, events: waitingRoom.events, logger });
  return {
    waitingRoom,
    queueFanOut,
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

/**
 * Draws this process knows are committed. A draw row is never deleted and its commitment never
 * changes (ensureDraw inserts once), so once seen it is remembered: a join before on-sale then costs
 * no PostgreSQL round trip. A failed commit is not remembered.
 */
function committedDraws(pool: pg.Pool): WaitingRoomDependencies["draws"] {
  const committed = new Map<string, Promise<void>>();
  return {
    ensure(eventId) {
      let done = committed.get(eventId);
      if (!done) {
        done = ensureDraw(pool, eventId).then(() => undefined);
        done.catch(() => committed.delete(eventId));
        committed.set(eventId, done);
        if (committed.size > 10_000) committed.delete(committed.keys().next().value!);
      }
      return done;
    },
  };
}
