/**
 * Layer 1 of the invariant (DESIGN.md): an all-or-nothing Redis claim of every requested seat, so most
 * losers of a flash on-sale are turned away without touching PostgreSQL. Redis is only a filter:
 * PostgreSQL decides. Every command here has a short deadline; when Redis is slow, away or was
 * flushed, callers get `null` ("no opinion") and carry on with PostgreSQL alone.
 *
 * A claim's value is `userId:holdId`. It is written with a short pending TTL before the PostgreSQL
 * transaction and re-written with the hold's expiry after the commit, so a process that dies in
 * between strands nothing for longer than the pending TTL. Claims are rebuilt from PostgreSQL whenever
 * PostgreSQL turns down a seat that Redis let through.
 */
import type { Logger } from "../platform/logger.js";
import type { RedisKeys } from "../platform/redis-keys.js";
import { runScript, type Redis } from "../platform/redis.js";

/** Claims every key or none; returns a flat list of [1-based index, current value] of the keys in the way. */
const CLAIM_ALL = `
local conflicts = {}
for i, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  if current and current ~= ARGV[1] then
    conflicts[#conflicts + 1] = i
    conflicts[#conflicts + 1] = current
  end
end
if #conflicts == 0 then
  for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
end
return conflicts`;

/** Deletes each key only while it still holds the given value. */
const RELEASE_OWN = `
local released = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('DEL', key)
    released = released + 1
  end
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
  userId: string;
  holdId: string;
}

export interface AuthoritativeClaim {
  seatId: string;
  /** `userId:holdId` of a live hold, or SOLD/BLOCKED for seats no hold can take. */
  value: string;
  expiresAt: Date;
}

export interface SeatClaims {
  /** Claims all seats for a pending hold; null when Redis has no opinion (down, slow). */
  claim(eventId: string, seatIds: readonly string[], userId: string, holdId: string): Promise<ClaimConflict[] | null>;
  /** Drops this hold's claims on these seats (others' claims stay). */
  release(eventId: string, seatIds: readonly string[], userId: string, holdId: string): Promise<void>;
  /** Writes what PostgreSQL says: after a commit, or to rebuild claims Redis lost. */
  record(eventId: string, claims: readonly AuthoritativeClaim[]): Promise<void>;
}

export function claimValue(userId: string, holdId: string): string {
  return `${userId}:${holdId}`;
}

/**
 * Runs a Redis command with a deadline; null (and a rate-limited warning) when it fails or is late,
 * and at once while the connection is not ready (Redis away: no request waits out the deadline).
 */
export function createFastPath(logger: Logger, timeoutMs: number, isReady: () => boolean = () => true) {
  let lastWarning = 0;
  return async function fastPath<T>(what: string, command: () => Promise<T>): Promise<T | null> {
    if (!isReady()) return null;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        command(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      const now = Date.now();
      if (now - lastWarning > 5_000) {
        lastWarning = now;
        logger.warn({ err: error, what }, "redis fast path unavailable; PostgreSQL decides alone");
      }
      return null;
    } finally {
      clearTimeout(timer);
    }
  };
}

export type FastPath = ReturnType<typeof createFastPath>;

export function createSeatClaims(redis: Redis, keys: RedisKeys, pendingTtlMs: number, fastPath: FastPath): SeatClaims {
  const claimKeys = (eventId: string, seatIds: readonly string[]) => seatIds.map((seatId) => keys.seatClaim(eventId, seatId));
  return {
    async claim(eventId, seatIds, userId, holdId) {
      const reply = await fastPath("claim seats", () =>
        runScript(redis, CLAIM_ALL, seatIds.length, ...claimKeys(eventId, seatIds), claimValue(userId, holdId), pendingTtlMs),
      );
      if (reply === null) return null;
      const flat = reply as (number | string)[];
      const conflicts: ClaimConflict[] = [];
      for (let index = 0; index < flat.length; index += 2) {
        const [holder = "", hold = ""] = String(flat[index + 1]).split(":");
        conflicts.push({ seatId: seatIds[Number(flat[index]) - 1]!, userId: holder, holdId: hold });
      }
      return conflicts;
    },
    async release(eventId, seatIds, userId, holdId) {
      if (seatIds.length === 0) return;
      await fastPath("release claims", () =>
        runScript(redis, RELEASE_OWN, seatIds.length, ...claimKeys(eventId, seatIds), claimValue(userId, holdId)),
      );
    },
    async record(eventId, claims) {
      if (claims.length === 0) return;
      const args = claims.flatMap((claim) => [claim.value, String(claim.expiresAt.getTime())]);
      await fastPath("record claims", () =>
        runScript(redis, RECORD, claims.length, ...claimKeys(eventId, claims.map((claim) => claim.seatId)), ...args),
      );
    },
  };
}
