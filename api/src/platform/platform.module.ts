/**
 * The connections and plumbing every domain of one API process shares: logger, PostgreSQL pool,
 * Redis (commands and pub/sub), the key builder, the Redis fast-path deadline and fault injection.
 */
import { createFastPath, type FastPath } from "./fast-path.js";
import type { Config } from "./config.js";
import { createDatabase, type Database } from "./db.js";
import { createFailpoints, type Failpoint } from "./failpoints.js";
import { createLogger, type Logger } from "./logger.js";
import { createPubSub, type LivePubSub } from "./pubsub.js";
import { redisKeys, type RedisKeys } from "./redis-keys.js";
import { createRedis, type Redis } from "./redis.js";

export interface Platform {
  config: Config;
  logger: Logger;
  db: Database;
  /** Commands fail at once while Redis is away (no offline queue): callers fall back to PostgreSQL. */
  redis: Redis;
  keys: RedisKeys;
  pubsub: LivePubSub;
  /** Runs a Redis command with REDIS_FAST_PATH_TIMEOUT_MS; null when Redis is slow or away. */
  fastPath: FastPath;
  failpoint: (name: Failpoint) => void;
  close(): Promise<void>;
}

export function createPlatform(config: Config): Platform {
  const logger = createLogger(config.logLevel);
  const db = createDatabase(config.databaseUrl, config.databasePoolSize, (error) => logger.warn({ err: error }, "postgres idle connection lost"));
  const onRedisError = (connection: string) => (error: Error) => logger.warn({ err: error, connection }, "redis connection lost; retrying");
  const redis = createRedis(config.redisUrl, "api", onRedisError("api"), false);
  const keys = redisKeys(config.redisKeyPrefix);
  const pubsub = createPubSub(config.redisUrl, keys, onRedisError);
  return {
    config,
    logger,
    db,
    redis,
    keys,
    pubsub,
    fastPath: createFastPath(logger, config.redisFastPathTimeoutMs, () => redis.status === "ready"),
    failpoint: createFailpoints(config.failpoints),
    async close() {
      // During a Redis outage the pub/sub connections cannot say goodbye; closing goes on regardless.
      await pubsub.close().catch((error: unknown) => logger.warn({ err: error }, "redis pub/sub did not close cleanly"));
      redis.disconnect();
      await db.prisma.$disconnect();
      await db.pool.end();
    },
  };
}
