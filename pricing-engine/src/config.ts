/**
 * The pricing engine's settings: the only reader of process.env in this part. Every setting has a
 * working default, so `npm start` runs the engine beside the API with nothing to configure.
 */
export interface EngineConfig {
  databaseUrl: string;
  redisUrl: string;
  /** The API's REDIS_KEY_PREFIX: the engine reads and publishes under the same keys. */
  redisKeyPrefix: string;
  /** Length of a pricing tick; ticks start on multiples of it (60 s: on the minute). */
  intervalMs: number;
  /** How many whole minutes of demand signals one decision reads. */
  windowMinutes: number;
  /** Wait after the tick boundary, so the API's last flush of the minute (every second) has landed. */
  settleMs: number;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const windowMinutes = positive(env, "PRICING_WINDOW_MINUTES", 5);
  if (windowMinutes > 10) throw new Error("PRICING_WINDOW_MINUTES must be at most 10 (demand buckets expire after 15 minutes)");
  return {
    databaseUrl: env.DATABASE_URL || "postgresql://root@127.0.0.1:5432/boxoffice",
    redisUrl: env.REDIS_URL || "redis://127.0.0.1:6379",
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? "bo:",
    intervalMs: positive(env, "PRICING_INTERVAL_MS", 60_000),
    windowMinutes,
    settleMs: positive(env, "PRICING_SETTLE_MS", 2_000),
    logLevel: env.LOG_LEVEL || "info",
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return value;
}
