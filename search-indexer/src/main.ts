/**
 * The search indexer process (`npm start` runs one when ELASTICSEARCH_URL is set): every
 * SEARCH_INDEX_INTERVAL_MS it runs one pass (indexer.ts) of the outbox into Elasticsearch. Several
 * copies may run; deliveries are claimed with SKIP LOCKED. SIGINT/SIGTERM finish the pass in flight,
 * then close the connections.
 */
import pg from "pg";
import { pino } from "pino";
import { loadConfig } from "./config.js";
import { createElasticClient } from "./elastic-query.js";
import { runOnce } from "./indexer.js";

const config = loadConfig();
const logger = pino({ level: config.logLevel, base: { service: "search-indexer" } });
if (!config.elasticsearchUrl) {
  logger.error("ELASTICSEARCH_URL is not set: nothing to index into (npm run es:start prints one)");
  process.exit(1);
}
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
pool.on("error", (error) => logger.warn({ err: error }, "postgres idle connection lost"));
const client = createElasticClient(config.elasticsearchUrl, config.elasticsearchTimeoutMs);
const deps = { pool, client, alias: config.elasticsearchIndex, logger };

let stopping = false;
let pass: Promise<void> | null = null;
const timer = setInterval(() => {
  if (stopping || pass) return;
  pass = runOnce(deps)
    .then((applied) => {
      if (applied > 0) logger.debug({ applied }, "indexed");
    })
    .catch((error: unknown) => logger.warn({ err: error }, "indexing pass failed; retrying next interval"))
    .finally(() => {
      pass = null;
    });
}, config.intervalMs);
logger.info({ alias: config.elasticsearchIndex, intervalMs: config.intervalMs }, "search indexer running");

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  clearInterval(timer);
  setTimeout(() => process.exit(1), 10_000).unref();
  await pass;
  await Promise.allSettled([pool.end(), client.close()]);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
