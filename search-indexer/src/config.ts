/**
 * The search indexer's settings: the only reader of process.env in this part. Every setting has a
 * working default except ELASTICSEARCH_URL (without it there is nothing to index into, and the API
 * searches PostgreSQL instead).
 */
export interface IndexerConfig {
  databaseUrl: string;
  /** Null: Elasticsearch is not configured. */
  elasticsearchUrl: string | null;
  /** The alias searches read and the indexer writes behind. */
  elasticsearchIndex: string;
  elasticsearchTimeoutMs: number;
  /** How often each indexer process looks for new outbox deliveries. */
  intervalMs: number;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): IndexerConfig {
  return {
    databaseUrl: env.DATABASE_URL || "postgresql://root@127.0.0.1:5432/boxoffice",
    elasticsearchUrl: env.ELASTICSEARCH_URL || null,
    elasticsearchIndex: env.ELASTICSEARCH_INDEX || "boxoffice-events",
    elasticsearchTimeoutMs: positive(env, "ELASTICSEARCH_TIMEOUT_MS", 10_000),
    intervalMs: positive(env, "SEARCH_INDEX_INTERVAL_MS", 200),
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
