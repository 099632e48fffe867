/**
 * The admission scheduler: runs in every API process, but only the holder of a Redis leader lock
 * works (the lock expires if its holder dies, and another process takes over within a few seconds).
 * Even two leaders at once could not admit too many: the admission script checks the limit
 * atomically. Per event, each tick:
 *   - before on-sale: makes sure the draw's commitment exists (it is published before anyone is shuffled);
 *   - at on-sale: shuffles the pre-queue with the committed seed, then reveals the seed;
 *   - every admission interval: frees expired admissions and admits the next fans, up to the
 *     active-shopper limit and remaining inventory × conversion factor;
 *   - when nothing is left to sell: closes the room and tells everyone waiting.
 */
import { randomUUID } from "node:crypto";
import { startPeriodic, type Periodic } from "../platform/periodic.js";
import { connected, runScript } from "../platform/redis.js";
import * as db from "./waiting-room.db.js";
import { drawOrder, publicId, publish, remainingInventory, type WaitingRoomDependencies } from "./waiting-room.service.js";

/** How long a pass waits for the Redis connection to come up before trying anyway. */
const CONNECT_WAIT_MS = 5_000;

/** Renews the lock only while we still hold it. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export interface TickReport {
  leader: boolean;
  admitted: number;
  shuffled: number;
  closed: number;
}

export interface Scheduler extends Periodic<TickReport> {
  /** One event's admission step now (tests and the bench call it directly). */
  admit(eventId: string): Promise<{ expired: number; active: number; admitted: string[] }>;
  shuffle(eventId: string): Promise<number>;
}

export function startScheduler(deps: WaitingRoomDependencies, options: { intervalMs: number; leaseMs: number }): Scheduler {
  const me = randomUUID();
  let leader = false;

  async function lead(): Promise<boolean> {
    const key = deps.keys.schedulerLeader;
    if (leader && (await runScript(deps.redis, RENEW, 1, key, me, options.leaseMs)) === 1) return true;
    leader = (await deps.redis.set(key, me, "PX", options.leaseMs, "NX")) === "OK";
    return leader;
  }

  async function shuffle(eventId: string): Promise<number> {
    const keys = deps.keys.waitingRoom(eventId);
    const draw = await db.ensureDraw(deps.pool, eventId);
    const tokens = await deps.redis.zrange(keys.preQueue, 0, -1);
    const byPublicId = new Map(tokens.map((token) => [publicId(token), token]));
    const order = drawOrder(draw.seed, [...byPublicId.keys()]);
    const done = await deps.scripts.shuffle(keys, order.map((id) => byPublicId.get(id)!), order);
    await db.revealDraw(deps.pool, eventId);
    return done ? tokens.length : 0;
  }

  async function admit(eventId: string) {
    const event = await deps.events.get(eventId);
    if (!event) return { expired: 0, active: 0, admitted: [] };
    const remaining = await remainingInventory(deps, eventId);
    const result = await deps.scripts.admit(
      deps.keys.waitingRoom(eventId),
      event.maxActiveShoppers,
      remaining * event.conversionFactor,
      event.admissionTokenTtlSeconds * 1000,
    );
    if (result.admitted.length > 0 || result.expired > 0) publish(deps, eventId, "ADMITTED", result.admitted.length);
    return result;
  }

  async function tick(): Promise<TickReport> {
    const report: TickReport = { leader: false, admitted: 0, shuffled: 0, closed: 0 };
    // A first pass can come before the connection's first connect on a busy machine: wait for it
    // (at once when ready) rather than fail with "Stream isn't writeable" and log a false alarm.
    await connected(deps.redis, CONNECT_WAIT_MS);
    if (!(await lead())) return report;
    report.leader = true;
    const now = Date.now();
    for (const event of await db.findOpenRooms(deps.pool)) {
      const keys = deps.keys.waitingRoom(event.id);
      if (event.onSaleAt.getTime() > now) {
        await db.ensureDraw(deps.pool, event.id);
        continue;
      }
      const [shuffled, closed, lastTick] = await deps.redis.hmget(keys.state, "shuffled", "closed", "lastTickAt");
      if (closed === "1") continue;
      if (shuffled !== "1") report.shuffled += await shuffle(event.id);
      if (lastTick && now - Number(lastTick) < event.admissionIntervalSeconds * 1000) continue;
      await deps.redis.hset(keys.state, "lastTickAt", now);
      // Nothing available right now: admit no one; close only when nothing held can come back either.
      if ((await remainingInventory(deps, event.id)) === 0) {
        if (await db.isSoldOut(deps.pool, event.id)) {
          report.closed += await deps.scripts.close(keys);
          publish(deps, event.id, "CLOSED", 0);
        }
        continue;
      }
      report.admitted += (await admit(event.id)).admitted.length;
    }
    return report;
  }

  const job = startPeriodic("waiting-room scheduler", options.intervalMs, tick, deps.logger);
  return { ...job, admit, shuffle };
}
