/**
 * Which engine answers: Elasticsearch when configured, with PostgreSQL as the fallback when it fails or
 * is too slow (a search never hangs on a sick cluster), PostgreSQL alone otherwise.
 */
import type { Logger } from "../platform/logger.js";
import type { SearchAnswer, SearchEngine, SearchQuery } from "@boxoffice/search-indexer/search-model";
import type { Trending } from "./search.trending.js";

export interface Search {
  search(query: SearchQuery): Promise<{ answer: SearchAnswer; engine: string }>;
}

/** TRENDING ranks the most in-demand events (at most this many) that match the filters. */
const TRENDING_SET = 1_000;

export function createSearch(primary: SearchEngine, fallback: SearchEngine | null, logger: Logger, trending: Trending | null = null): Search {
  let lastWarning = 0;
  const answer = async (query: SearchQuery) => {
    if (query.sort !== "TRENDING" || !trending) return ask(query);
    const ranked = await trending.top(TRENDING_SET);
    const rank = new Map(ranked.map((id, index) => [id, index]));
    const all = await ask({ ...query, ids: ranked, offset: 0, limit: TRENDING_SET });
    const hits = [...all.answer.hits].sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
    return { ...all, answer: { ...all.answer, hits: hits.slice(query.offset, query.offset + query.limit) } };
  };
  const ask = async (query: SearchQuery) => {
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
  };
  return { search: answer };
}
