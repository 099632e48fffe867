/**
 * `changes(since, types, first)`: the pollable feed of partner events for partners who cannot receive
 * webhooks (partner.changes.db.ts says why a cursor never skips a change). A key reads its
 * organization's changes of the types its scopes cover; a promoter their organization's; an admin the
 * organization they name.
 */
import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import { ApiError } from "../platform/errors.js";
import { decodeCursor, encodeCursor, isId, PageInfo, validatePageSize } from "../platform/graphql.js";
import type { Context } from "../request-context.js";
import { readChanges } from "./partner.changes.db.js";
import { Change, ChangeConnection, ChangeEdge, CHANGE_TYPES, CHANGES_ERRORS, isChangeType, type ChangeType } from "./partner.changes.types.js";

const ALL_TYPES = Object.keys(CHANGE_TYPES) as ChangeType[];
const START = encodeCursor(["0", "0"]);

/** Whose changes, and which types the caller may read. */
function reader(ctx: Context, organizationId: string | null): { organizationId: string; allowed: ChangeType[] } {
  if (ctx.partner) {
    const scopes: readonly string[] = ctx.partner.scopes;
    return { organizationId: ctx.partner.organizationId, allowed: ALL_TYPES.filter((type) => scopes.includes(CHANGE_TYPES[type])) };
  }
  const viewer = ctx.viewer;
  if (!viewer) throw new ApiError("UNAUTHENTICATED", "sign in or send a partner API key to read changes");
  if (viewer.role === "ADMIN") {
    if (!organizationId || !isId(organizationId)) throw new ApiError("VALIDATION", "an admin must name the organization", "organizationId");
    return { organizationId, allowed: ALL_TYPES };
  }
  if (viewer.role === "PROMOTER" && viewer.organizationId) return { organizationId: viewer.organizationId, allowed: ALL_TYPES };
  throw new ApiError("FORBIDDEN", "only partners, promoters and admins read changes");
}

/** The (txid, id) a `since` cursor stands for; the start of the feed for null. */
function sinceCursor(since: string | null): [string, string] {
  let values: (string | number)[] = [];
  try {
    values = decodeCursor(since ?? START, ["string", "string"]);
  } catch {
    // answered below with this argument's name
  }
  if (values.length !== 2 || !values.every((value) => typeof value === "string" && /^\d{1,20}$/.test(value))) {
    throw new ApiError("VALIDATION", "since is not a cursor returned by this feed", "since");
  }
  return values as [string, string];
}

@Resolver()
export class ChangesResolver {
  @Query(() => ChangeConnection, {
    description:
      "Partner events after `since`, oldest first: the same events as webhooks, for partners who poll. Gap-free: a change that commits late is " +
      "never behind a cursor already returned (the feed waits for transactions still running, usually milliseconds). Pass pageInfo.endCursor " +
      `back as since. Keys: catalogue:read for event.* and section.*, orders:read for order.* and ticket.*. ${CHANGES_ERRORS}`,
  })
  async changes(
    @Arg("since", () => String, { nullable: true, description: "pageInfo.endCursor of the previous page; null from the oldest change kept." }) since: string | null,
    @Arg("types", () => [String], { nullable: true, description: "Only these types; null for every type the caller may read." }) types: string[] | null,
    @Arg("first", () => Int, { description: "How many, 1 to 100." }) first: number,
    @Arg("organizationId", () => ID, { nullable: true, description: "The organization (admins only)." }) organizationId: string | null,
    @Ctx() ctx: Context,
  ): Promise<ChangeConnection> {
    validatePageSize(first);
    const { organizationId: organization, allowed } = reader(ctx, organizationId);
    const unknown = types?.find((type) => !isChangeType(type));
    if (unknown !== undefined) throw new ApiError("VALIDATION", `unknown change type ${JSON.stringify(unknown.slice(0, 40))}; types are ${ALL_TYPES.join(", ")}`, "types");
    const refused = types?.find((type) => !allowed.includes(type as ChangeType));
    if (refused !== undefined) throw new ApiError("FORBIDDEN", `this key's scopes do not cover ${refused} (it needs ${CHANGE_TYPES[refused as ChangeType]})`, "types");
    const wanted = types ?? allowed;

    const [txid, id] = sinceCursor(since);
    const rows = await readChanges(ctx.app.db.pool, { organizationId: organization, after: { txid, id }, types: wanted, limit: first + 1 });
    const page = rows.slice(0, first);
    const edges = page.map((row) =>
      Object.assign(new ChangeEdge(), {
        cursor: encodeCursor([row.txid, row.id]),
        node: Object.assign(new Change(), { id: row.id, type: row.type, subjectId: row.subjectId, occurredAt: row.occurredAt, data: row.data }),
      }),
    );
    return Object.assign(new ChangeConnection(), {
      edges,
      pageInfo: Object.assign(new PageInfo(), { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? since ?? START }),
    });
  }
}
