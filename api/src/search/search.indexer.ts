/**
 * The search indexer: reads the `search-indexer` outbox deliveries in order, loads the current
 * documents of the events they name from PostgreSQL, and bulk-writes them with external versioning
 * (an older state can never overwrite a newer one, however many indexers run). Failures retry with
 * exponential backoff. Runs in every API process when ELASTICSEARCH_URL is set; deliveries are claimed
 * with SKIP LOCKED, so each is handled by one process at a time.
 */
import type { Client } from "@elastic/elasticsearch";
import type pg from "pg";
import type { Logger } from "../platform/logger.js";
import { startPeriodic, type Periodic } from "../platform/periodic.js";
import { claimDeliveries, markDelivered, markFailed } from "../outbox/outbox.db.js";
import { findDocumentPage, findDocuments } from "./search.documents.js";
import { ensureIndex, INDEX_BODY, indexDocuments } from "./search.es.js";

const CONSUMER = "search-indexer";
const BATCH = 500;

export function startSearchIndexer(pool: pg.Pool, client: Client, alias: string, intervalMs: number, logger: Logger): Periodic<number> {
  let ready = false;
  async function pass(): Promise<number> {
    if (!ready) {
      await ensureIndex(client, alias);
      ready = true;
    }
    let applied = 0;
    for (;;) {
      const deliveries = await claimDeliveries(pool, CONSUMER, BATCH);
      if (deliveries.length === 0) break;
      const eventIds = [...new Set(deliveries.map((delivery) => String(delivery.payload.eventId)))];
      try {
        const documents = await findDocuments(pool, eventIds);
        const found = new Set(documents.map((document) => document.id));
        const { failed } = await indexDocuments(client, alias, documents, eventIds.filter((id) => !found.has(id)));
        const failedIds = new Set(failed);
        for (const delivery of deliveries) {
          if (failedIds.has(String(delivery.payload.eventId))) await markFailed(pool, delivery, "document rejected by Elasticsearch", retryIn(delivery.attempts), 20);
          else await markDelivered(pool, delivery);
        }
        applied += deliveries.length - failed.length;
      } catch (error) {
        logger.warn({ err: error }, "search indexing failed; retrying with backoff");
        for (const delivery of deliveries) await markFailed(pool, delivery, error instanceof Error ? error.message : String(error), retryIn(delivery.attempts), 20);
        break;
      }
      if (deliveries.length < BATCH) break;
    }
    return applied;
  }
  return startPeriodic("search indexer", intervalMs, pass, logger);
}

function retryIn(attempts: number): number {
  return Math.min(500 * 2 ** (attempts - 1), 300_000);
}

/**
 * Builds a fresh index from PostgreSQL and moves the alias to it in one atomic alias update, so
 * searches keep answering from the old index until the new one is complete. Returns the new index.
 */
export async function reindex(pool: pg.Pool, client: Client, alias: string, progress: (indexed: number) => void = () => undefined): Promise<string> {
  const index = `${alias}-${Date.now()}`;
  await client.indices.create({ index, ...INDEX_BODY, settings: { ...INDEX_BODY.settings, refresh_interval: "-1" } });
  let afterId: string | null = null;
  let indexed = 0;
  for (;;) {
    const page = await findDocumentPage(pool, afterId, 2_000);
    if (page.length === 0) break;
    const { failed } = await indexDocuments(client, index, page);
    if (failed.length > 0) throw new Error(`Elasticsearch rejected ${failed.length} documents, e.g. ${failed[0]}`);
    indexed += page.length;
    afterId = page.at(-1)!.id;
    progress(indexed);
  }
  await client.indices.putSettings({ index, settings: { refresh_interval: "1s" } });
  await client.indices.refresh({ index });
  const current = (await client.indices.existsAlias({ name: alias })) ? Object.keys(await client.indices.getAlias({ name: alias })) : [];
  await client.indices.updateAliases({
    actions: [...current.map((old) => ({ remove: { index: old, alias } })), { add: { index, alias } }],
  });
  for (const old of current) await client.indices.delete({ index: old, ignore_unavailable: true });
  return index;
}
