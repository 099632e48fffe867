/**
 * npm run search:reindex — rebuilds the Elasticsearch index from PostgreSQL behind the alias, then
 * swaps the alias (searches never fail during the swap). Needs ELASTICSEARCH_URL (npm run es:start
 * prints it) and DATABASE_URL.
 */
import pg from "pg";
import { loadConfig } from "./config.js";
import { reindex } from "./elastic-index.js";
import { createElasticClient } from "./elastic-query.js";

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.elasticsearchUrl) throw new Error("ELASTICSEARCH_URL is not set (npm run es:start prints it)");
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
  const client = createElasticClient(config.elasticsearchUrl, 60_000);
  const started = Date.now();
  try {
    const index = await reindex(pool, client, config.elasticsearchIndex, (indexed) => process.stdout.write(`\rsearch:reindex: ${indexed} events indexed`));
    console.log(`\nsearch:reindex: alias ${config.elasticsearchIndex} now points at ${index} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    await pool.end();
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(`search:reindex failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
