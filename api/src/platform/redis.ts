import { Redis } from "ioredis";

export type { Redis };

/**
 * A Redis connection that fails commands fast while Redis is away (instead of queueing them forever)
 * and keeps reconnecting in the background.
 */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
}
