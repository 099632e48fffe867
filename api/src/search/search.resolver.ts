import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import { Arg, Ctx, Info, Query, Resolver } from "type-graphql";
import type { HitDocument, SearchHitRef } from "@boxoffice/search-indexer/search-model";
import { toEvent } from "../catalogue/catalogue.resolver.js";
import { Event, type EventCategory, type EventStatus } from "../catalogue/catalogue.types.js";
import type { Context } from "../request-context.js";
import { ApiError } from "../platform/errors.js";
import { PageInfo } from "../platform/graphql.js";
import { cursorAt, parseSearch } from "./search.query.js";
import { EventSearchHit, EventSearchInput, EventSearchResult, Facet, FacetBucket } from "./search.types.js";

/** Event fields a hit's indexed document answers (HitDocument); any other selected field is read from PostgreSQL. */
const DOCUMENT_FIELDS: ReadonlySet<string> = new Set(["__typename", "id", "name", "artist", "category", "status", "startsAt"]);

@Resolver()
export class SearchResolver {
  @Query(() => EventSearchResult, { description: "Full-text, faceted and geo search (Elasticsearch when configured, PostgreSQL otherwise)." })
  async searchEvents(
    @Arg("input", () => EventSearchInput, { description: "What to look for." }) input: EventSearchInput,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<EventSearchResult> {
    const parsed = parseSearch(input);
    if (!parsed.ok) throw new ApiError(parsed.error.code, parsed.error.message, parsed.error.field);
    const query = parsed.value;
    const { answer, engine } = await ctx.app.search.search(query);
    const hits = documentsAnswer(answer.hits, info) ? fromDocuments(answer.hits) : await fromPostgres(answer.hits, ctx);
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

/**
 * Whether the hits' indexed documents answer this search on their own: every hit carries one
 * (Elasticsearch's do, PostgreSQL's do not) and `hits { event { … } }` selects only DOCUMENT_FIELDS.
 * Anything else (onSaleAt, currency, venue, sections, lowestAllInPrice…) sends the whole page through
 * the event loader as before, so every field keeps resolving from PostgreSQL exactly as it did. The
 * selection is read from the query text: fields under fragments count, and a field under @skip or
 * @include counts as selected (at worst a needless PostgreSQL read, never a missing field).
 */
function documentsAnswer(hits: readonly SearchHitRef[], info: GraphQLResolveInfo): boolean {
  if (!hits.every((hit) => hit.document)) return false;
  const eventFields = new Set<string>();
  for (const node of info.fieldNodes) {
    eachField(node.selectionSet, info, (hitsField) => {
      if (hitsField.name.value !== "hits") return;
      eachField(hitsField.selectionSet, info, (eventField) => {
        if (eventField.name.value === "event") eachField(eventField.selectionSet, info, (field) => eventFields.add(field.name.value));
      });
    });
  }
  for (const field of eventFields) if (!DOCUMENT_FIELDS.has(field)) return false;
  return true;
}

/** Calls `visit` for every field this set selects (aliases included), through inline and named fragments. */
function eachField(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, visit: (field: FieldNode) => void, seen = new Set<string>()): void {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) visit(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) eachField(selection.selectionSet, info, visit, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      eachField(info.fragments[selection.name.value]?.selectionSet, info, visit, seen);
    }
  }
}

/**
 * The page from the indexed documents, no PostgreSQL read. The index never serves a draft (the query
 * filters them out, and the indexer replaces an event's document whenever its version moves, deleting
 * it when the event is gone); the check here only keeps that rule next to the PostgreSQL path's. A
 * document is at most one indexer pass behind PostgreSQL (under 2 s, docs/PERFORMANCE.md), the same
 * staleness the hit's selection by the index already has.
 */
function fromDocuments(hits: readonly SearchHitRef[]): EventSearchHit[] {
  const answer: EventSearchHit[] = [];
  for (const hit of hits) {
    const document = hit.document!;
    if (document.status === "DRAFT") continue;
    answer.push(Object.assign(new EventSearchHit(), { event: documentEvent(hit.id, document), score: hit.score, distanceKm: hit.distanceKm }));
  }
  return answer;
}

/** An Event with only the document's fields set: documentsAnswer lets it through only when nothing else is asked for. */
function documentEvent(id: string, document: HitDocument): Event {
  return Object.assign(new Event(), {
    id,
    name: document.name,
    artist: document.artist,
    category: document.category as EventCategory,
    status: document.status as EventStatus,
    startsAt: new Date(document.startsAt),
  });
}

/** The page's events read from PostgreSQL by primary key (one batched loader read). */
async function fromPostgres(hits: readonly SearchHitRef[], ctx: Context): Promise<EventSearchHit[]> {
  const rows = await Promise.all(hits.map((hit) => ctx.loaders.eventById.load(hit.id)));
  const answer: EventSearchHit[] = [];
  hits.forEach((hit, index) => {
    const row = rows[index];
    // An event the index still has but PostgreSQL no longer shows (deleted, or back to draft) is skipped.
    if (row && row.status !== "DRAFT") answer.push(Object.assign(new EventSearchHit(), { event: toEvent(row), score: hit.score, distanceKm: hit.distanceKm }));
  });
  return answer;
}
