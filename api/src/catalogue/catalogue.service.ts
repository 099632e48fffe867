/**
 * Catalogue reads: the public event list (keyset pages, filters), single events and venues.
 * DRAFT events are visible only to the promoters of their organization and to admins.
 */
import type pg from "pg";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import { ApiError } from "../platform/errors.js";
import { decodeCursor, encodeCursor, parseId, validatePageSize, type Page } from "../platform/graphql.js";
import * as db from "./catalogue.db.js";
import type { CatalogueLoaders } from "./catalogue.loaders.js";

const MAX_TEXT_FILTER = 200;

/** One page of events of the scope (public, or what a promoter manages), newest on-sale first. */
export async function listEvents(
  pool: pg.Pool,
  scope: db.EventScope,
  input: { filter: db.EventListFilter | null | undefined; first: number | null | undefined; after: string | null | undefined },
): Promise<Page<db.EventRow>> {
  const limit = validatePageSize(input.first);
  const filter = validateFilter(input.filter ?? {});
  let after: { onSaleAt: Date; id: string } | null = null;
  if (input.after != null) {
    const [onSaleAt, id] = decodeCursor(input.after, ["string", "string"]) as [string, string];
    const date = new Date(onSaleAt);
    if (Number.isNaN(date.getTime())) throw new ApiError("VALIDATION", "after is not a cursor returned by this API", "after");
    after = { onSaleAt: date, id: parseId(id, "after") };
  }
  const rows = await db.listEvents(pool, filter, scope, { limit: limit + 1, after });
  return {
    items: rows.slice(0, limit).map((row) => ({ cursor: encodeCursor([row.onSaleAt.toISOString(), row.id]), node: row })),
    hasNextPage: rows.length > limit,
    countTotal: () => db.countEvents(pool, filter, scope),
  };
}

/** What a promoter manages: their organization's events, drafts included; admins manage all. */
export function managedScope(viewer: Viewer): db.EventScope {
  return { kind: "managed", organizationId: viewer.role === "ADMIN" ? null : (viewer.organizationId ?? NO_ORGANIZATION) };
}

// A promoter without an organization manages nothing: this id matches no row.
const NO_ORGANIZATION = "00000000-0000-0000-0000-000000000000";

function validateFilter(filter: db.EventListFilter): db.EventListFilter {
  if (filter.venueId != null) parseId(filter.venueId, "filter.venueId");
  for (const field of ["city", "artist"] as const) {
    const value = filter[field];
    if (value != null && (value.trim().length === 0 || value.length > MAX_TEXT_FILTER)) {
      throw new ApiError("VALIDATION", `filter.${field} must be 1 to ${MAX_TEXT_FILTER} characters`, `filter.${field}`);
    }
  }
  if (filter.startsAfter && filter.startsBefore && filter.startsAfter >= filter.startsBefore) {
    throw new ApiError("VALIDATION", "filter.startsAfter must be before filter.startsBefore", "filter.startsAfter");
  }
  return { ...filter, city: filter.city?.trim() ?? null, artist: filter.artist?.trim() ?? null };
}

/** The event, or null when it does not exist or the viewer may not see it (a DRAFT of another org). */
export async function findVisibleEvent(
  loaders: CatalogueLoaders,
  viewer: Viewer | null,
  id: string,
): Promise<db.EventRow | null> {
  const event = await loaders.eventById.load(parseId(id));
  if (!event) return null;
  if (event.status === "DRAFT" && !canManageOrganization(viewer, event.organizationId)) return null;
  return event;
}
