/**
 * Composition of one API process (`App`) and of one request or subscription (`Context`).
 * Loaders are created per request so their caches never outlive it.
 */
import type pg from "pg";
import { GraphQLError } from "graphql";
import { createAuthLimits } from "./auth/auth.limits.js";
import { createAuthLoaders, type AuthLoaders } from "./auth/auth.loaders.js";
import type { AuthDependencies } from "./auth/auth.service.js";
import { bearerToken, createTokenSigner, type TokenSigner, type Viewer } from "./auth/auth.tokens.js";
import { createCatalogueLoaders, type CatalogueLoaders } from "./catalogue/catalogue.loaders.js";
import { createCheckoutLoaders, type CheckoutLoaders } from "./checkout/checkout.loaders.js";
import { startReconciler, type ReconcilePass } from "./checkout/checkout.reconciler.js";
import type { CheckoutDependencies } from "./checkout/checkout.service.js";
import { createAvailability, type Availability } from "./hold/hold.availability.js";
import { createFastPath, createSeatClaims } from "./hold/hold.claims.js";
import { createHoldEventCache, createLayoutCache } from "./hold/hold.layout.js";
import { createHoldPlacer } from "./hold/hold.placer.js";
import { createHoldLoaders, type HoldLoaders } from "./hold/hold.loaders.js";
import type { HoldDependencies } from "./hold/hold.service.js";
import { createRestartWatch } from "./hold/hold.restart.js";
import { startSweeper, type Sweeper } from "./hold/hold.sweeper.js";
import type { Config } from "./platform/config.js";
import { createFailpoints } from "./platform/failpoints.js";
import { createDatabase, type Database } from "./platform/db.js";
import { createLogger, type Logger } from "./platform/logger.js";
import { startProcessLease, type ProcessLease } from "./platform/process-lease.js";
import type { Periodic } from "./platform/periodic.js";
import { startEmailDelivery } from "./outbox/outbox.email.js";
import { createPayments, type Payments } from "./payment/payment.js";
import { createBarcodeSigner } from "./ticket/ticket.barcodes.js";
import type { TicketDependencies } from "./ticket/ticket.service.js";
import { createTtlCache } from "./platform/ttl-cache.js";
import type { Client } from "@elastic/elasticsearch";
import { createElasticClient, createElasticSearch } from "@boxoffice/search-indexer/elastic-query";
import { createPostgresSearch } from "./search/search.pg.js";
import { createTrending, DEMAND_WEIGHT, type Trending } from "./search/search.trending.js";
import { createSearch, type Search } from "./search/search.service.js";
import { findRoomEvent } from "./waiting-room/waiting-room.db.js";
import { createProofOfWork } from "./waiting-room/waiting-room.pow.js";
import { startScheduler, type Scheduler } from "./waiting-room/waiting-room.scheduler.js";
import { roomScripts } from "./waiting-room/waiting-room.scripts.js";
import { createRateLimits, markPurchased, remainingInventory, verifyAdmission, type WaitingRoomDependencies } from "./waiting-room/waiting-room.service.js";
import { createAdmissionTokens } from "./waiting-room/waiting-room.tokens.js";
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
  availability: Availability;
  holds: HoldDependencies;
  sweeper: Sweeper;
  payments: Payments;
  checkout: CheckoutDependencies;
  tickets: TicketDependencies;
  reconciler: Periodic<ReconcilePass>;
  /** This process's lease: payment intents it owns are taken over at once when it lapses. */
  lease: ProcessLease;
  emails: Periodic<number>;
  waitingRoom: WaitingRoomDependencies;
  scheduler: Scheduler;
  search: Search;
  trending: Trending;
  /** Present when ELASTICSEARCH_URL is set; the search-indexer process keeps the index current. */
  elastic: { client: Client; alias: string } | null;
  close(): Promise<void>;
}

export type Loaders = CatalogueLoaders & AuthLoaders & HoldLoaders & CheckoutLoaders;

export interface Context {
  app: App;
  viewer: Viewer | null;
  loaders: Loaders;
  /** The client's address (rate limits): the socket peer, or what trusted proxies say (platform/client-address.ts). */
  ip: string;
  /** Cost of the operation this context runs (platform/graphql-limits.ts), set before it executes. */
  queryCost: number;
}

export function createApp(config: Config): App {
  const logger = createLogger(config.logLevel);
  const db = createDatabase(config.databaseUrl, config.databasePoolSize, (error) =>
    logger.warn({ err: error }, "postgres idle connection lost"),
  );
  const onRedisError = (connection: string) => (error: Error) => logger.warn({ err: error, connection }, "redis connection lost; retrying");
  const redis = createRedis(config.redisUrl, "api", onRedisError("api"), false);
  const keys = redisKeys(config.redisKeyPrefix);
  const pubsub = createPubSub(config.redisUrl, keys, onRedisError);
  const tokens = createTokenSigner(config.authTokenSecret, config.authTokenTtlSeconds);
  const fastPath = createFastPath(logger, config.redisFastPathTimeoutMs, () => redis.status === "ready");
  const availability = createAvailability(db.pool, redis, keys, config.availabilityCacheTtlMs, fastPath);
  const holds: HoldDependencies = {
    pool: db.pool,
    placer: createHoldPlacer(db.pool, { maxBatch: config.holdBatchMax, concurrency: config.holdBatchConcurrency, synchronousCommit: config.holdSynchronousCommit }),
    claims: createSeatClaims(redis, keys, config.holdClaimPendingMs, fastPath),
    availability,
    layouts: createLayoutCache(db.pool),
    events: createHoldEventCache(db.pool, 1_000),
    pubsub,
    logger,
    failpoint: createFailpoints(config.failpoints),
  };
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
    proofOfWork: createProofOfWork({ secret: config.authTokenSecret, redis, usedPrefix: `${keys.prefix}pow:`, keyPrefix: config.proofOfWorkPrefix, cost: 1 }),
    events: createTtlCache((eventId) => findRoomEvent(db.pool, eventId), 1_000),
    remaining: createTtlCache((eventId) => remainingInventory({ availability }, eventId), 1_000),
  };
  holds.admission = async (userId, eventId, token) => {
    const admitted = await verifyAdmission(waitingRoom, userId, eventId, token);
    return admitted.ok ? null : admitted.error;
  };
  const scheduler = startScheduler(waitingRoom, { intervalMs: config.waitingRoomTickMs, leaseMs: Math.max(3 * config.waitingRoomTickMs, 3_000) });
  const sweeper = startSweeper(holds, config.holdSweepIntervalMs, createRestartWatch({ pool: db.pool, redis, keys, layouts: holds.layouts, logger }));
  const postgresSearch = createPostgresSearch(db.pool);
  let elastic: App["elastic"] = null;
  if (config.elasticsearchUrl) {
    const client = createElasticClient(config.elasticsearchUrl, config.elasticsearchTimeoutMs);
    elastic = { client, alias: config.elasticsearchIndex };
  }
  const trending = createTrending(redis, keys.prefix, logger);
  const heldDemand = batchedDemand((eventId, weight) => trending.record(eventId, weight), DEMAND_WEIGHT.held, 1_000);
  holds.demand = heldDemand.add;
  const search = elastic
    ? createSearch(createElasticSearch(elastic.client, elastic.alias), postgresSearch, logger, trending)
    : createSearch(postgresSearch, null, logger, trending);
  const payments = createPayments(config, db.pool, logger);
  const emails = startEmailDelivery(
    db.pool,
    {
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      outboxDir: config.mailOutboxDir,
      storefrontUrl: config.storefrontUrl,
      intervalMs: config.outboxPollIntervalMs,
      retryBaseMs: config.outboxRetryBaseMs,
      maxAttempts: 10,
    },
    logger,
  );
  const lease = startProcessLease(db.pool, config.processLeaseMs, logger);
  const checkout: CheckoutDependencies = {
    pool: db.pool,
    payments,
    holds,
    logger,
    failpoint: holds.failpoint,
    lease,
    working: new Set(),
    settleWaitMs: config.paymentTimeoutMs + 2_000,
    admission: {
      verify: (userId, eventId, token) => verifyAdmission(waitingRoom, userId, eventId, token, { allowExpired: true }),
      purchased: (admission) => markPurchased(waitingRoom, admission),
    },
    demand: (eventId, tickets) => trending.record(eventId, DEMAND_WEIGHT.sold * tickets),
    onOrderConfirmed: () => {
      if (config.outboxPollIntervalMs > 0) emails.run().catch((error: unknown) => logger.warn({ err: error }, "email delivery failed"));
    },
  };
  const reconciler = startReconciler(checkout, { intervalMs: config.reconcileIntervalMs, settleAfterMs: config.paymentSettleAfterMs });
  const tickets: TicketDependencies = {
    pool: db.pool,
    barcodes: createBarcodeSigner({
      signingKeyPem: config.ticketSigningKey,
      developmentSecret: config.authTokenSecret,
      rotationSeconds: config.barcodeRotationSeconds,
    }),
  };
  return {
    config,
    logger,
    db,
    redis,
    keys,
    pubsub,
    tokens,
    auth: { pool: db.pool, tokens, limits: createAuthLimits(redis, keys, config) },
    availability,
    holds,
    sweeper,
    payments,
    checkout,
    tickets,
    reconciler,
    lease,
    emails,
    waitingRoom,
    scheduler,
    search,
    trending,
    elastic,
    async close() {
      await Promise.all([sweeper.stop(), reconciler.stop(), emails.stop(), scheduler.stop()]);
      // Requests have drained: any payment still open here is left to the other processes at once.
      await lease.release();
      await elastic?.client.close();
      heldDemand.flush();
      payments.shutdown();
      // During a Redis outage the pub/sub connections cannot say goodbye; closing goes on regardless.
      await pubsub.close().catch((error: unknown) => logger.warn({ err: error }, "redis pub/sub did not close cleanly"));
      redis.disconnect();
      await db.prisma.$disconnect();
      await db.pool.end();
    },
  };
}

/**
 * Hold demand for the TRENDING sort, summed per event in memory and written once per `intervalMs`: one
 * Redis write per event and interval instead of one per hold (an on-sale places thousands a second).
 * At most one interval of demand is lost when a process dies.
 */
function batchedDemand(record: (eventId: string, weight: number) => void, weight: number, intervalMs: number) {
  const pending = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const [eventId, total] of pending) record(eventId, total);
    pending.clear();
  };
  const add = (eventId: string, places: number) => {
    pending.set(eventId, (pending.get(eventId) ?? 0) + weight * places);
    timer ??= setTimeout(flush, intervalMs).unref();
  };
  return { add, flush };
}

export function createLoaders(pool: pg.Pool, availability: Availability): Loaders {
  return {
    ...createCatalogueLoaders(pool, availability),
    ...createAuthLoaders(pool),
    ...createHoldLoaders(pool),
    ...createCheckoutLoaders(pool),
  };
}

/**
 * A missing token is an anonymous request; a present but forged, altered or expired one is rejected
 * with UNAUTHENTICATED so clients know to sign in again rather than silently losing their identity.
 */
export async function createContext(app: App, authorization: unknown, ip = "unknown"): Promise<Context> {
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
  // Loaders are made on first use: most mutations (a hold, a checkout) never read through one.
  let loaders: Loaders | undefined;
  return {
    app,
    viewer,
    ip,
    queryCost: 0,
    get loaders() {
      return (loaders ??= createLoaders(app.db.pool, app.availability));
    },
  };
}
