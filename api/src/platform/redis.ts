import { Redis } from "ioredis";

export type { Redis };

/**
 * A Redis connection that keeps reconnecting in the background. With `queueWhileOffline: false`
 * commands fail at once while Redis is away, instead of running late when it is back (a seat claim
 * sent during an outage must not land after its request has been answered).
 */
export function createRedis(url: string, name: string, onError: (error: Error) => void, queueWhileOffline = true): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: queueWhileOffline,
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
