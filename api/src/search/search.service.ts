/**
 * Which engine answers: Elasticsearch when configured, with PostgreSQL as the fallback when it fails or
 * is too slow (a search never hangs on a sick cluster), PostgreSQL alone otherwise.
 */
import type { Logger } from "../platform/logger.js";
import type { SearchAnswer, SearchEngine, SearchQuery } from "./search.query.js";

export interface Search {
  search(query: SearchQuery): Promise<{ answer: SearchAnswer; engine: string }>;
  primary: SearchEngine;
}

export function createSearch(primary: SearchEngine, fallback: SearchEngine | null, logger: Logger): Search {
  let lastWarning = 0;
  return {
    primary,
    async search(query) {
      if (!fallback) return { answer: await primary.search(query), engine: primary.name };
      try {
        return { answer: await primary.search(query), engine: primary.name };
      } catch (error) {
        if (Date.now() - lastWarning > 10_000) {
          lastWarning = Date.now();
          logger.warn({ err: error }, `${primary.name} search failed; answering from ${fallback.name}`);
        }
        return { answer: await fallback.search(query), engine: fallback.name };
      }
    },
  };
}
