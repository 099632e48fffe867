/**
 * The pricing engine process (`npm start` runs one beside the API): every PRICING_INTERVAL_MS (60 s,
 * on the minute) it re-prices each dynamically priced on-sale section (tick.ts). Any number of copies
 * may run; each section is computed once per tick across them. SIGINT/SIGTERM finish the tick in
 * flight, then close the connections.
 */
import { Redis } from "ioredis";
import pg from "pg";
import { pino } from "pino";
import { loadConfig } from "./config.js";
import { startTicking } from "./loop.js";
import { createTickDependencies } from "./tick.js";

const config = loadConfig();
const logger = pino({ level: config.logLevel, base: { service: "pricing-engine" } });
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
pool.on("error", (error) => logger.warn({ err: error }, "postgres idle connection lost"));
// Commands fail fast while Redis is away (the tick then holds prices: NO_SIGNAL) instead of queueing.
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
redis.on("error", (error) => logger.debug({ err: error }, "redis connection error"));

const deps = createTickDependencies({ pool, redis, logger, intervalMs: config.intervalMs, windowMinutes: config.windowMinutes, redisKeyPrefix: config.redisKeyPrefix });
const ticking = startTicking(deps, { intervalMs: config.intervalMs, settleMs: Math.min(config.settleMs, config.intervalMs - 1), logger });
logger.info({ intervalMs: config.intervalMs, windowMinutes: config.windowMinutes }, "pricing engine running");

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  setTimeout(() => process.exit(1), 10_000).unref();
  await ticking.stop();
  await Promise.allSettled([pool.end(), redis.quit()]);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
