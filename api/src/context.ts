/**
 * Composition of one API process (`App`) and of one request or subscription (`Context`).
 * Loaders are created per request so their caches never outlive it.
 */
import type pg from "pg";
import { GraphQLError } from "graphql";
import { createAuthLoaders, type AuthLoaders } from "./auth/auth.loaders.js";
import type { AuthDependencies } from "./auth/auth.service.js";
import { bearerToken, createTokenSigner, type TokenSigner, type Viewer } from "./auth/auth.tokens.js";
import { createCatalogueLoaders, type CatalogueLoaders } from "./catalogue/catalogue.loaders.js";
import type { Config } from "./platform/config.js";
import { createDatabase, type Database } from "./platform/db.js";
import { createLogger, type Logger } from "./platform/logger.js";
import { createPubSub, type LivePubSub } from "./platform/pubsub.js";
import { redisKeys, type RedisKeys } from "./platform/redis-keys.js";
import { createRedis, type Redis } from "./platform/redis.js";

export interface App {
  config: Config;
  logger: Logger;
  db: Database;
  redis: Redis;
  keys: RedisKeys;
  pubsub: LivePubSub;
  tokens: TokenSigner;
  auth: AuthDependencies;
  close(): Promise<void>;
}

export type Loaders = CatalogueLoaders & AuthLoaders;

export interface Context {
  app: App;
  viewer: Viewer | null;
  loaders: Loaders;
}

export function createApp(config: Config): App {
  const logger = createLogger(config.logLevel);
  const db = createDatabase(config.databaseUrl, config.databasePoolSize, (error) =>
    logger.warn({ err: error }, "postgres idle connection lost"),
  );
  const redis = createRedis(config.redisUrl, "api");
  const keys = redisKeys(config.redisKeyPrefix);
  const pubsub = createPubSub(config.redisUrl, keys);
  const tokens = createTokenSigner(config.authTokenSecret, config.authTokenTtlSeconds);
  return {
    config,
    logger,
    db,
    redis,
    keys,
    pubsub,
    tokens,
    auth: { pool: db.pool, tokens },
    async close() {
      await pubsub.close();
      redis.disconnect();
      await db.prisma.$disconnect();
      await db.pool.end();
    },
  };
}

export function createLoaders(pool: pg.Pool): Loaders {
  return { ...createCatalogueLoaders(pool), ...createAuthLoaders(pool) };
}

/**
 * A missing token is an anonymous request; a present but forged, altered or expired one is rejected
 * with UNAUTHENTICATED so clients know to sign in again rather than silently losing their identity.
 */
export async function createContext(app: App, authorization: unknown): Promise<Context> {
  const token = bearerToken(authorization);
  let viewer: Viewer | null = null;
  if (token !== null) {
    viewer = await app.tokens.verify(token);
    if (!viewer) {
      throw new GraphQLError("the bearer token is invalid or expired; sign in again", {
        extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
      });
    }
  } else if (authorization !== undefined && authorization !== null && authorization !== "") {
    throw new GraphQLError("the Authorization header must be 'Bearer <token>'", {
      extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
    });
  }
  return { app, viewer, loaders: createLoaders(app.db.pool) };
}
