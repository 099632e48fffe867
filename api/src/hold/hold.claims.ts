/**
 * Layer 1 of the invariant (DESIGN.md): an all-or-nothing Redis claim of every requested seat, so most
 * losers of a flash on-sale are turned away without touching PostgreSQL. Redis is only a filter:
 * PostgreSQL decides. Every command here has a short deadline; when Redis is slow, away or was
 * flushed, callers get `null` ("no opinion") and carry on with PostgreSQL alone.
 *
 * A claim is pending, then confirmed. It is written as `userId:holdId:pending` with a short TTL before
 * the PostgreSQL transaction, and re-written as `userId:holdId` with the hold's expiry after the
 * commit, so a process that dies in between strands nothing for longer than the pending TTL. Only a
 * confirmed claim (or a SOLD/BLOCKED marker) turns another fan away: a pending one belongs to a
 * request PostgreSQL has not decided yet, which may still be refused (a seat taken meanwhile, a
 * single seat it would strand), so a request that meets one goes to PostgreSQL, which decides alone,
 * unless the pending request is in the same process: then it waits for that decision (hold.pending.ts).
 * Claims are rebuilt from PostgreSQL whenever PostgreSQL turns down a seat that Redis let through.
 */
import type { FastPath } from "../platform/fast-path.js";
import type { RedisKeys } from "../platform/redis-keys.js";
import { runScript, type Redis } from "../platform/redis.js";
import { createTickBatch } from "../platform/tick-batch.js";

/**
 * Several pending holds' claims in arrival order, each all-or-nothing. ARGV: the pending TTL, then per
 * hold its number of keys and its value; KEYS: every hold's keys in turn. Returns per hold a flat list
 * of [1-based index, current value] of its keys in the way (empty when it claimed them all).
 */
const CLAIM_EACH = `
local ttl = ARGV[1]
local results = {}
local first = 1
for r = 2, #ARGV, 2 do
  local count = tonumber(ARGV[r])
  local value = ARGV[r + 1]
  local conflicts = {}
  for i = first, first + count - 1 do
    local current = redis.call('GET', KEYS[i])
    if current and current ~= value then
      conflicts[#conflicts + 1] = i - first + 1
      conflicts[#conflicts + 1] = current
    end
  end
  if #conflicts == 0 then
    for i = first, first + count - 1 do redis.call('SET', KEYS[i], value, 'PX', ttl) end
  end
  results[#results + 1] = conflicts
  first = first + count
end
return results`;

/**
 * Several ended holds' claims: deletes each key only while it still holds its hold's claim, pending or
 * confirmed (a newer hold's claim on the seat stays). ARGV: per hold its number of keys, its confirmed
 * value and its pending value; KEYS: every hold's keys in turn. Returns how many keys were deleted.
 */
const RELEASE_EACH = `
local released = 0
local first = 1
for r = 1, #ARGV, 3 do
  local count = tonumber(ARGV[r])
  for i = first, first + count - 1 do
    local current = redis.call('GET', KEYS[i])
    if current == ARGV[r + 1] or current == ARGV[r + 2] then
      redis.call('DEL', KEYS[i])
      released = released + 1
    end
  end
  first = first + count
end
return released`;

/** Writes authoritative claims: ARGV holds (value, expires-at-ms) pairs, one per key. */
const RECORD = `
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
for i, key in ipairs(KEYS) do
  local at = tonumber(ARGV[i * 2])
  if at > now_ms then redis.call('SET', key, ARGV[i * 2 - 1], 'PXAT', at) else redis.call('DEL', key) end
end
return #KEYS`;

export interface ClaimConflict {
  seatId: string;
  /** Empty for a SOLD or BLOCKED marker. */
  userId: string;
  holdId: string;
  /** Its request is still before PostgreSQL: it may yet be refused, so it turns no one away. */
  pending: boolean;
}

export interface AuthoritativeClaim {
  seatId: string;
  /** `userId:holdId` of a live hold, or SOLD/BLOCKED for seats no hold can take. */
  value: string;
  expiresAt: Date;
}

export interface SeatClaims {
  /** Claims all seats for a pending hold (none when one is in the way); null when Redis has no opinion (down, slow). */
  claim(eventId: string, seatIds: readonly string[], userId: string, holdId: string): Promise<ClaimConflict[] | null>;
  /** Drops this hold's claims on these seats (others' claims stay). */
  release(eventId: string, seatIds: readonly string[], userId: string, holdId: string): Promise<void>;
  /** Writes what PostgreSQL says: after a commit, or to rebuild claims Redis lost. */
  record(eventId: string, claims: readonly AuthoritativeClaim[]): Promise<void>;
}

/** A confirmed claim: the hold is committed in PostgreSQL. */
export function claimValue(userId: string, holdId: string): string {
  return `${userId}:${holdId}`;
}

function pendingValue(userId: string, holdId: string): string {
  return `${userId}:${holdId}:pending`;
}


export function createSeatClaims(redis: Redis, keys: RedisKeys, pendingTtlMs: number, fastPath: FastPath): SeatClaims {
  const claimKeys = (eventId: string, seatIds: readonly string[]) => seatIds.map((seatId) => keys.seatClaim(eventId, seatId));
  // The claims of every request in this turn of the event loop go in one script per event, and so do
  // the claims recorded after a PostgreSQL batch: a few Redis commands per batch instead of a few per hold.
  const claimTogether = createTickBatch<{ seatIds: readonly string[]; value: string }, (number | string)[] | null>(async (eventId, holds) => {
    const reply = await fastPath("claim seats", () =>
      runScript(
        redis,
        CLAIM_EACH,
        holds.reduce((sum, hold) => sum + hold.seatIds.length, 0),
        ...holds.flatMap((hold) => claimKeys(eventId, hold.seatIds)),
        pendingTtlMs,
        ...holds.flatMap((hold) => [hold.seatIds.length, hold.value]),
      ),
    );
    return reply === null ? holds.map(() => null) : (reply as (number | string)[][]);
  });
  // The claims of every hold ended in this turn (a release batch, a sweeper pass) go in one script per event.
  const releaseTogether = createTickBatch<{ seatIds: readonly string[]; userId: string; holdId: string }, void>(async (eventId, holds) => {
    await fastPath("release claims", () =>
      runScript(
        redis,
        RELEASE_EACH,
        holds.reduce((sum, hold) => sum + hold.seatIds.length, 0),
        ...holds.flatMap((hold) => claimKeys(eventId, hold.seatIds)),
        ...holds.flatMap((hold) => [hold.seatIds.length, claimValue(hold.userId, hold.holdId), pendingValue(hold.userId, hold.holdId)]),
      ),
    );
    return holds.map(() => undefined);
  });
  const recordTogether = createTickBatch<readonly AuthoritativeClaim[], void>(async (eventId, batches) => {
    const claims = batches.flat();
    const args = claims.flatMap((claim) => [claim.value, String(claim.expiresAt.getTime())]);
    await fastPath("record claims", () => runScript(redis, RECORD, claims.length, ...claimKeys(eventId, claims.map((claim) => claim.seatId)), ...args));
    return batches.map(() => undefined);
  });
  return {
    async claim(eventId, seatIds, userId, holdId) {
      const flat = await claimTogether(eventId, { seatIds, value: pendingValue(userId, holdId) });
      if (flat === null) return null;
      const conflicts: ClaimConflict[] = [];
      for (let index = 0; index < flat.length; index += 2) {
        const [holder = "", hold = "", state] = String(flat[index + 1]).split(":");
        conflicts.push({ seatId: seatIds[Number(flat[index]) - 1]!, userId: holder, holdId: hold, pending: state === "pending" });
      }
      return conflicts;
    },
    async release(eventId, seatIds, userId, holdId) {
      if (seatIds.length === 0) return;
      await releaseTogether(eventId, { seatIds, userId, holdId });
    },
    async record(eventId, claims) {
      if (claims.length === 0) return;
      await recordTogether(eventId, claims);
    },
  };
}
