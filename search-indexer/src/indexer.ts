/**
 * One pass of the search indexer: reads the `search-indexer` outbox deliveries in order, loads the
 * current documents of the events they name from PostgreSQL, and bulk-writes them with external
 * versioning (elastic-index.ts). Deliveries are claimed with SKIP LOCKED, so N indexer processes share
 * the work and each delivery is handled by one at a time; a failure retries it with exponential
 * backoff, and a process that dies mid-pass lets its claims' lease run out.
 */
import type { Client } from "@elastic/elasticsearch";
import { claimDeliveries, markAllDelivered, markFailed } from "@boxoffice/db/outbox";
import type pg from "pg";
import { ensureIndex, indexDocuments } from "./elastic-index.js";
import { findDocuments } from "./event-document.js";

const CONSUMER = "search-indexer";
const BATCH = 500;
const MAX_ATTEMPTS = 20;

export interface IndexerDependencies {
  pool: pg.Pool;
  client: Client;
  alias: string;
  logger: { warn(details: object, message: string): void };
}

/** Aliases this process has seen exist, per client: checked once, not on every pass (a round trip to Elasticsearch each). */
const ensured = new WeakMap<Client, Set<string>>();

/** Indexes every delivery due now (creating the index behind the alias first if there is none); returns how many were applied. */
export async function runOnce(deps: IndexerDependencies): Promise<number> {
  const { pool, client, alias } = deps;
  const known = ensured.get(client) ?? new Set<string>();
  if (!known.has(alias)) {
    await ensureIndex(client, alias);
    known.add(alias);
    ensured.set(client, known);
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
      const rejected = deliveries.filter((delivery) => failedIds.has(String(delivery.payload.eventId)));
      await markAllDelivered(pool, deliveries.filter((delivery) => !failedIds.has(String(delivery.payload.eventId))));
      for (const delivery of rejected) await markFailed(pool, delivery, "document rejected by Elasticsearch", retryIn(delivery.attempts), MAX_ATTEMPTS);
      applied += deliveries.length - failed.length;
    } catch (error) {
      deps.logger.warn({ err: error }, "search indexing failed; retrying with backoff");
      known.delete(alias);
      for (const delivery of deliveries) await markFailed(pool, delivery, error instanceof Error ? error.message : String(error), retryIn(delivery.attempts), MAX_ATTEMPTS);
      break;
    }
    if (deliveries.length < BATCH) break;
  }
  return applied;
}

function retryIn(attempts: number): number {
  return Math.min(500 * 2 ** (attempts - 1), 300_000);
}
