/**
 * The only reader of process.env. Every setting has a documented default (README.md, "Configuration")
 * so `npm start` works on a fresh machine; secrets have development defaults that refuse production.
 */
import { resolve } from "node:path";
import { trustedProxies } from "./client-address.js";

export type SynchronousCommit = "on" | "off" | "local" | "remote_write" | "remote_apply";
const SYNCHRONOUS_COMMIT: readonly SynchronousCommit[] = ["on", "off", "local", "remote_write", "remote_apply"];

export interface Config {
  environment: "development" | "test" | "production";
  port: number;
  /** API processes sharing the port (node:cluster); 1 = this process serves alone. */
  workers: number;
  /** Interface to listen on; 127.0.0.1 unless deployed behind a proxy or in a container. */
  host: string;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  /** Prefix of every Redis key and channel: separates test runs and deployments sharing one Redis. */
  redisKeyPrefix: string;
  /** HMAC secret for bearer tokens (HS256). */
  authTokenSecret: string;
  authTokenTtlSeconds: number;
  /** How often each API process re-reads which users' sessions an admin ended (auth/auth.sessions.ts); 0 = only at start. */
  sessionRefreshMs: number;
  /** How long each API process trusts its last lookup of a partner API key: a revoked key is refused everywhere within this. */
  partnerKeyCacheMs: number;
  /** Query-cost points each partner key may spend per budget window (partner/partner.budget.ts). */
  partnerBudgetPoints: number;
  partnerBudgetWindowSeconds: number;
  /**
   * Whether partner keys are metered (budget charged and refunded, `extensions.cost`); off only to
   * measure what metering costs (`BENCH_PARTNER=1 npm run bench:holds`). Scopes are checked either way.
   */
  partnerLimits: boolean;
  /** Compress HTTP answers over 1 KB (platform/http-compression.ts); off behind a compressing proxy. */
  httpCompression: boolean;
  /** Flat queries of a lane's root field (queueStatus) answered without graphql-jit (platform/http-graphql-lanes.ts, `FlatQueryLane`); off to measure or compare. */
  graphqlLanes: boolean;
  /** How often each API process looks for on-sales that began by themselves and sales that ran out (partner events); 0 = never. */
  partnerAnnounceIntervalMs: number;
  logLevel: string;
  /** Largest page a connection field returns. */
  maxPageSize: number;
  /** GraphQL documents nested deeper than this are refused (platform/graphql-limits.ts). */
  maxQueryDepth: number;
  /** Most aliases in one GraphQL operation. */
  maxQueryAliases: number;
  /** Most lexical tokens in one GraphQL document. */
  maxQueryTokens: number;
  /** Highest cost of one GraphQL operation (cost model: api/README.md). */
  maxQueryCost: number;
  /** Largest GraphQL request: an HTTP body, and a graphql-ws message (the same limit on both). */
  maxRequestBytes: number;
  /** How long a Redis seat claim lives before its PostgreSQL commit confirms it (a crashed process's claims lapse after this). */
  holdClaimPendingMs: number;
  /** Most holds one PostgreSQL call places (hold.placer.ts). */
  holdBatchMax: number;
  /** Hold batches in flight at once per API process. */
  holdBatchConcurrency: number;
  /**
   * PostgreSQL's `synchronous_commit` for hold batches. "off" (the default): a hold is answered once
   * committed, before its WAL is on disk, so a crash of PostgreSQL (not of an API process) can lose the
   * holds answered in its last few hundred milliseconds; never an order, since checkout's first commit
   * is synchronous and so flushes every hold committed before it. "on": an answered hold survives any crash.
   */
  holdSynchronousCommit: SynchronousCommit;
  /** synchronous_commit of release batches and sweeper passes (hold.releaser.ts). */
  holdReleaseSynchronousCommit: SynchronousCommit;
  /** Demand signals for the pricing engine written on the hot paths (pricing/pricing.demand.ts); off only to measure their cost. */
  demandSignals: boolean;
  /** How often each API process looks for expired holds to release. */
  holdSweepIntervalMs: number;
  /** How long per-section availability counts are served from Redis before they are recounted in PostgreSQL. */
  availabilityCacheTtlMs: number;
  /** Longest wait for a Redis fast-path command before the request goes on with PostgreSQL alone. */
  redisFastPathTimeoutMs: number;
  /** The pause a SERVICE_UNAVAILABLE answer (PostgreSQL or Redis unreachable) asks clients to wait before retrying. */
  outageRetryAfterSeconds: number;
  /** Named fault-injection points (tests only; refused in production). */
  failpoints: string[];
  /** Longest wait for the payment gateway before a checkout answers PAYMENT_UNAVAILABLE. */
  paymentTimeoutMs: number;
  /** How long the payment circuit breaker stays open before it lets one trial charge through. */
  paymentBreakerResetMs: number;
  /** A payment intent still unsettled after this long was left behind by a crash: the reconciler settles it. */
  paymentSettleAfterMs: number;
  /** How often each API process runs the payment reconciler (0 = never). */
  reconcileIntervalMs: number;
  /**
   * Life of each API process's lease (renewed every third of it). A payment intent whose owning process
   * has let its lease lapse is settled at once, by the reconciler or by the fan's retry; so this bounds
   * how long a fan waits after a crash between charge and commit.
   */
  processLeaseMs: number;
  /** Stripe secret key; when set, payments go to Stripe instead of the built-in test gateway. */
  stripeSecretKey: string | null;
  /** Signing secret of the Stripe webhook endpoint (POST /webhooks/stripe). */
  stripeWebhookSecret: string | null;
  /** Ed25519 private key (PKCS#8 PEM) that signs ticket barcodes; derived from AUTH_TOKEN_SECRET outside production. */
  ticketSigningKey: string | null;
  /** A barcode's rotating component changes this often; scanners accept the current and the previous one. */
  barcodeRotationSeconds: number;
  /** SMTP connection URL for confirmation emails; unset = emails are written as .eml files to mailOutboxDir. */
  smtpUrl: string | null;
  mailFrom: string;
  mailOutboxDir: string;
  /** How often each API process delivers outbox rows (emails) (0 = never). */
  outboxPollIntervalMs: number;
  /** First retry of a failed email after this long, doubling each attempt. */
  outboxRetryBaseMs: number;
  /** Public URL of the storefront, for links in emails. */
  storefrontUrl: string;
  /** How often each API process runs the waiting-room scheduler (only the leader works; 0 = never). */
  waitingRoomTickMs: number;
  /** Joins allowed per minute from one IP address, and from one account. */
  waitingRoomJoinsPerIpPerMinute: number;
  waitingRoomJoinsPerAccountPerMinute: number;
  /**
   * Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, IPv4 and IPv6); empty =
   * the socket peer is the client (platform/client-address.ts).
   */
  trustedProxies: string[];
  /** Login failures in a row for one account from one address before it is locked for loginLockoutSeconds (a success starts again). */
  loginFailuresPerAccountAndAddress: number;
  /** Login failures in a row for one account from any address before it is locked (a success starts again). */
  loginFailuresPerAccount: number;
  /** Login failures allowed from one address per day, across accounts. */
  loginFailuresPerAddressPerDay: number;
  /** How long an account (from one address, or from all) stays locked after too many failures. */
  loginLockoutSeconds: number;
  /** Registrations tried per hour from one address, and for one email. */
  registrationsPerAddressPerHour: number;
  registrationsPerEmailPerHour: number;
  /** Proof-of-work difficulty: the hex prefix a solution's key must start with (each digit ×16 work). */
  proofOfWorkPrefix: string;
  /** Elasticsearch for search; unset = search runs on PostgreSQL. */
  elasticsearchUrl: string | null;
  /** The alias searches go to (indexes behind it are `<alias>-<timestamp>`). */
  elasticsearchIndex: string;
  /** Longest wait for Elasticsearch before a search answers from PostgreSQL. */
  elasticsearchTimeoutMs: number;
  /** Most PostgreSQL search statements one API process runs at once; the rest wait in order. */
  searchDatabaseConcurrency: number;
  /** How often each API process looks for partner webhooks to deliver (0 = this process delivers none). */
  webhookPollMs: number;
  /** Longest one webhook POST may take (address lookup, connection, answer) before it counts as failed. */
  webhookTimeoutMs: number;
  /** Multiplies the webhook retry schedule (1 = about 3 days; tests use a small fraction). */
  webhookRetryScale: number;
  /** Development only: lets webhook endpoints be on private, loopback and link-local addresses, and plain http. */
  webhooksAllowPrivateAddresses: boolean;
}

const DEVELOPMENT_TOKEN_SECRET = "development-only-token-secret-change-me-0123456789";

function integer(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const environment =
    env.NODE_ENV === "production" ? "production" : env.NODE_ENV === "test" ? "test" : "development";
  const authTokenSecret = env.AUTH_TOKEN_SECRET ?? DEVELOPMENT_TOKEN_SECRET;
  if (environment === "production" && authTokenSecret === DEVELOPMENT_TOKEN_SECRET) {
    throw new Error("AUTH_TOKEN_SECRET must be set in production");
  }
  if (authTokenSecret.length < 32) throw new Error("AUTH_TOKEN_SECRET must be at least 32 characters");
  const failpoints = (env.FAILPOINTS ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  if (environment === "production" && failpoints.length > 0) throw new Error("FAILPOINTS must not be set in production");
  return {
    environment,
    port: integer("PORT", 4000, env),
    workers: integer("WORKERS", 1, env) || 1,
    host: env.HOST ?? "127.0.0.1",
    databaseUrl: env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice",
    databasePoolSize: integer("DATABASE_POOL_SIZE", 20, env),
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? "bo:",
    authTokenSecret,
    authTokenTtlSeconds: integer("AUTH_TOKEN_TTL_SECONDS", 7 * 24 * 3600, env),
    sessionRefreshMs: integer("SESSION_REFRESH_MS", 2_000, env),
    partnerKeyCacheMs: integer("PARTNER_KEY_CACHE_MS", 800, env),
    partnerBudgetPoints: Math.max(1, integer("PARTNER_BUDGET_POINTS", 1_000, env)),
    partnerBudgetWindowSeconds: Math.max(1, integer("PARTNER_BUDGET_WINDOW_SECONDS", 20, env)),
    partnerLimits: oneOf("PARTNER_LIMITS", ["on", "off"] as const, "on", env) === "on",
    httpCompression: oneOf("HTTP_COMPRESSION", ["on", "off"] as const, "on", env) === "on",
    graphqlLanes: oneOf("GRAPHQL_LANES", ["on", "off"] as const, "on", env) === "on",
    partnerAnnounceIntervalMs: integer("PARTNER_ANNOUNCE_INTERVAL_MS", 5_000, env),
    logLevel: env.LOG_LEVEL ?? (environment === "test" ? "silent" : "info"),
    maxPageSize: 100,
    maxQueryDepth: integer("GRAPHQL_MAX_DEPTH", 12, env),
    maxQueryAliases: integer("GRAPHQL_MAX_ALIASES", 30, env),
    maxQueryTokens: integer("GRAPHQL_MAX_TOKENS", 2_000, env),
    maxQueryCost: integer("GRAPHQL_MAX_COST", 5_000, env),
    // (0 would mean "no limit" to ws: the default instead)
    maxRequestBytes: integer("GRAPHQL_MAX_REQUEST_BYTES", 256 * 1024, env) || 256 * 1024,
    holdClaimPendingMs: integer("HOLD_CLAIM_PENDING_MS", 15_000, env),
    holdBatchMax: Math.max(1, integer("HOLD_BATCH_MAX", 50, env)),
    holdBatchConcurrency: Math.max(1, integer("HOLD_BATCH_CONCURRENCY", 4, env)),
    holdSynchronousCommit: oneOf("HOLD_SYNCHRONOUS_COMMIT", SYNCHRONOUS_COMMIT, "off", env),
    holdReleaseSynchronousCommit: oneOf("HOLD_RELEASE_SYNCHRONOUS_COMMIT", SYNCHRONOUS_COMMIT, "off", env),
    demandSignals: oneOf("DEMAND_SIGNALS", ["on", "off"] as const, "on", env) === "on",
    holdSweepIntervalMs: integer("HOLD_SWEEP_INTERVAL_MS", 2_000, env),
    availabilityCacheTtlMs: integer("AVAILABILITY_CACHE_TTL_MS", 5_000, env),
    redisFastPathTimeoutMs: integer("REDIS_FAST_PATH_TIMEOUT_MS", 250, env),
    outageRetryAfterSeconds: integer("OUTAGE_RETRY_AFTER_SECONDS", 2, env) || 1,
    failpoints,
    paymentTimeoutMs: integer("PAYMENT_TIMEOUT_MS", 10_000, env),
    paymentBreakerResetMs: integer("PAYMENT_BREAKER_RESET_MS", 30_000, env),
    paymentSettleAfterMs: integer("PAYMENT_SETTLE_AFTER_MS", 60_000, env),
    reconcileIntervalMs: integer("RECONCILE_INTERVAL_MS", 5_000, env),
    processLeaseMs: Math.max(300, integer("PROCESS_LEASE_MS", 5_000, env)),
    stripeSecretKey: optional(env.STRIPE_SECRET_KEY),
    stripeWebhookSecret: optional(env.STRIPE_WEBHOOK_SECRET),
    ticketSigningKey: ticketSigningKey(environment, env),
    barcodeRotationSeconds: integer("BARCODE_ROTATION_SECONDS", 30, env) || 30,
    smtpUrl: optional(env.SMTP_URL),
    mailFrom: env.MAIL_FROM ?? "Boxoffice <tickets@boxoffice.local>",
    mailOutboxDir: resolve(env.MAIL_OUTBOX_DIR ?? "var/mail"),
    outboxPollIntervalMs: integer("OUTBOX_POLL_INTERVAL_MS", 1_000, env),
    outboxRetryBaseMs: integer("OUTBOX_RETRY_BASE_MS", 5_000, env),
    storefrontUrl: env.STOREFRONT_URL ?? "http://127.0.0.1:5173",
    waitingRoomTickMs: integer("WAITING_ROOM_TICK_MS", 1_000, env),
    waitingRoomJoinsPerIpPerMinute: integer("WAITING_ROOM_JOINS_PER_IP_PER_MINUTE", 30, env) || 30,
    waitingRoomJoinsPerAccountPerMinute: integer("WAITING_ROOM_JOINS_PER_ACCOUNT_PER_MINUTE", 10, env) || 10,
    trustedProxies: addressList("TRUSTED_PROXIES", env),
    loginFailuresPerAccountAndAddress: integer("LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", 10, env) || 10,
    loginFailuresPerAccount: integer("LOGIN_FAILURES_PER_ACCOUNT", 50, env) || 50,
    loginFailuresPerAddressPerDay: integer("LOGIN_FAILURES_PER_ADDRESS_PER_DAY", 100, env) || 100,
    loginLockoutSeconds: integer("LOGIN_LOCKOUT_SECONDS", 900, env) || 900,
    registrationsPerAddressPerHour: integer("REGISTRATIONS_PER_ADDRESS_PER_HOUR", 20, env) || 20,
    registrationsPerEmailPerHour: integer("REGISTRATIONS_PER_EMAIL_PER_HOUR", 5, env) || 5,
    proofOfWorkPrefix: env.PROOF_OF_WORK_PREFIX ?? "000",
    elasticsearchUrl: optional(env.ELASTICSEARCH_URL),
    elasticsearchIndex: env.ELASTICSEARCH_INDEX ?? "boxoffice-events",
    elasticsearchTimeoutMs: integer("ELASTICSEARCH_TIMEOUT_MS", 2_000, env),
    searchDatabaseConcurrency: integer("SEARCH_DATABASE_CONCURRENCY", 2, env) || 2,
    webhookPollMs: integer("WEBHOOK_POLL_MS", 1_000, env),
    webhookTimeoutMs: integer("WEBHOOK_TIMEOUT_MS", 15_000, env) || 15_000,
    webhookRetryScale: positiveNumber("WEBHOOK_RETRY_SCALE", 1, env),
    webhooksAllowPrivateAddresses: oneOf("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", ["true", "false"] as const, "false", env) === "true",
  };
}

function positiveNumber(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function oneOf<T extends string>(name: string, values: readonly T[], fallback: T, env: NodeJS.ProcessEnv): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!values.includes(raw as T)) throw new Error(`${name} must be one of ${values.join(", ")}, got "${raw}"`);
  return raw as T;
}

/** A comma-separated list of addresses and CIDR ranges, checked here so a typo stops the start. */
function addressList(name: string, env: NodeJS.ProcessEnv): string[] {
  const entries = (env[name] ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  try {
    trustedProxies(entries);
  } catch (error) {
    throw new Error(`${name} must be a comma-separated list of addresses or CIDR ranges: ${(error as Error).message}`, { cause: error });
  }
  return entries;
}

function optional(value: string | undefined): string | null {
  return value === undefined || value.trim() === "" ? null : value;
}

function ticketSigningKey(environment: Config["environment"], env: NodeJS.ProcessEnv): string | null {
  const key = optional(env.TICKET_SIGNING_KEY);
  if (environment === "production" && key === null) throw new Error("TICKET_SIGNING_KEY must be set in production");
  if (environment === "production" && !optional(env.STRIPE_SECRET_KEY)) {
    throw new Error("STRIPE_SECRET_KEY must be set in production (the built-in test gateway takes no real money)");
  }
  return key;
}
