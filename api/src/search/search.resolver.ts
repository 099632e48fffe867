import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { toEvent } from "../catalogue/catalogue.resolver.js";
import type { Context } from "../request-context.js";
import { ApiError } from "../platform/errors.js";
import { PageInfo } from "../platform/graphql.js";
import { cursorAt, parseSearch } from "./search.query.js";
import { EventSearchHit, EventSearchInput, EventSearchResult, Facet, FacetBucket } from "./search.types.js";

@Resolver()
export class SearchResolver {
  @Query(() => EventSearchResult, { description: "Full-text, faceted and geo search (Elasticsearch when configured, PostgreSQL otherwise)." })
  async searchEvents(@Arg("input", () => EventSearchInput, { description: "What to look for." }) input: EventSearchInput, @Ctx() ctx: Context): Promise<EventSearchResult> {
    const parsed = parseSearch(input);
    if (!parsed.ok) throw new ApiError(parsed.error.code, parsed.error.message, parsed.error.field);
    const query = parsed.value;
    const { answer, engine } = await ctx.app.search.search(query);
    const rows = await Promise.all(answer.hits.map((hit) => ctx.loaders.eventById.load(hit.id)));
    const hits: EventSearchHit[] = [];
    answer.hits.forEach((hit, index) => {
      const row = rows[index];
      // An event the index still has but PostgreSQL no longer shows (deleted, or back to draft) is skipped.
      if (row && row.status !== "DRAFT") hits.push(Object.assign(new EventSearchHit(), { event: toEvent(row), score: hit.score, distanceKm: hit.distanceKm }));
    });
    const end = query.offset + answer.hits.length;
    return Object.assign(new EventSearchResult(), {
      hits,
      facets: answer.facets.map((facet) =>
        Object.assign(new Facet(), { field: facet.field, buckets: facet.buckets.map((bucket) => Object.assign(new FacetBucket(), bucket)) }),
      ),
      totalCount: answer.total,
      pageInfo: Object.assign(new PageInfo(), { hasNextPage: end < answer.total, endCursor: answer.hits.length > 0 ? cursorAt(end) : null }),
      engine,
    });
  }
}
