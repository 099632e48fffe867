import { createHash } from "node:crypto";
import { Redis } from "ioredis";

export type { Redis };

/**
 * A Redis connection that keeps reconnecting in the background. With `queueWhileOffline: false`
 * commands fail at once while Redis is away, instead of running late when it is back (a seat claim
 * sent during an outage must not land after its request has been answered). Commands issued in the
 * same turn of the event loop go out in one write (ioredis auto-pipelining): under load, the claims,
 * counts and publishes of many requests share a round trip.
 */
export function createRedis(url: string, name: string, onError: (error: Error) => void, queueWhileOffline = true): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: queueWhileOffline,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  // Connection errors repeat every retry while Redis is away: report the first of each outage only.
  let failing = false;
  redis.on("error", (error: Error) => {
    if (!failing) onError(error);
    failing = true;
  });
  redis.on("ready", () => {
    failing = false;
  });
  return redis;
}

/**
 * Resolves once the connection is ready, or after `timeoutMs` whatever its state (a Redis that is
 * really away then fails the caller's command, as an outage should). Work that starts with the
 * process waits on this: with `queueWhileOffline: false` a command sent before the first connect
 * fails at once ("Stream isn't writeable"), although nothing is wrong.
 */
export function connected(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    redis.once("ready", done);
  });
}

const shas = new Map<string, string>();

/**
 * Runs a Lua script by its SHA1 (EVALSHA) instead of sending its source with every call; the source
 * goes only when Redis does not know the script yet (first use, or after a restart: NOSCRIPT).
 */
export async function runScript(redis: Redis, lua: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown> {
  let sha = shas.get(lua);
  if (!sha) {
    sha = createHash("sha1").update(lua).digest("hex");
    shas.set(lua, sha);
  }
  try {
    return await redis.evalsha(sha, numberOfKeys, ...args);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("NOSCRIPT")) return redis.eval(lua, numberOfKeys, ...args);
    throw error;
  }
}
