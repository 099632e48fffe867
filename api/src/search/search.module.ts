/**
 * Builds search for one API process: PostgreSQL always, Elasticsearch in front of it when
 * ELASTICSEARCH_URL is set (the search-indexer process keeps that index current), and the demand
 * counters of the TRENDING sort that holds, sales and page views feed.
 */
import type { Client } from "@elastic/elasticsearch";
import { createElasticClient, createElasticSearch } from "@boxoffice/search-indexer/elastic-query";
import type { Platform } from "../platform/platform.module.js";
import { createPostgresSearch } from "./search.pg.js";
import { createSearch, type Search } from "./search.service.js";
import { createTrending, DEMAND_WEIGHT, type Trending } from "./search.trending.js";

/** Hold demand is summed in memory and written this often. */
const HELD_DEMAND_FLUSH_MS = 1_000;

export interface SearchModule {
  search: Search;
  trending: Trending;
  /** Present when ELASTICSEARCH_URL is set. */
  elastic: { client: Client; alias: string } | null;
  /** Places just held, summed per event and written to the trending counters once a second. */
  heldDemand(eventId: string, places: number): void;
  /** Tickets just sold. */
  soldDemand(eventId: string, tickets: number): void;
  close(): Promise<void>;
}

export function createSearchModule({ config, db, redis, keys, logger }: Platform): SearchModule {
  const elastic = config.elasticsearchUrl
    ? { client: createElasticClient(config.elasticsearchUrl, config.elasticsearchTimeoutMs), alias: config.elasticsearchIndex }
    : null;
  const trending = createTrending(redis, keys, logger);
  const postgresSearch = createPostgresSearch(db.pool, config.searchDatabaseConcurrency);
  const search = createSearch(elastic ? createElasticSearch(elastic.client, elastic.alias) : postgresSearch, elastic ? postgresSearch : null, logger, trending);
  const held = summedDemand((eventId, weight) => trending.record(eventId, weight), DEMAND_WEIGHT.held, HELD_DEMAND_FLUSH_MS);
  return {
    search,
    trending,
    elastic,
    heldDemand: held.add,
    soldDemand: (eventId, tickets) => trending.record(eventId, DEMAND_WEIGHT.sold * tickets),
    async close() {
      held.flush();
      await elastic?.client.close();
    },
  };
}

/**
 * Demand summed per event in memory and written once per `intervalMs`: one Redis write per event and
 * interval instead of one per hold (an on-sale places thousands a second). At most one interval of
 * demand is lost when a process dies.
 */
function summedDemand(record: (eventId: string, weight: number) => void, weight: number, intervalMs: number) {
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
