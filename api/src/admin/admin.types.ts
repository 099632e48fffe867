/**
 * GraphQL pieces every admin list shares. Admin lists are pages in the shape react-admin's list views
 * use (1-based `page`, `perPage` 1..100, a sort field and order, and the `total` count), not the partner
 * API's keyset connections: a promoter pages, sorts and jumps through a few thousand records, and the
 * console shows "1-25 of 1,234". Each resource declares its own `Admin<Resource>Page` type.
 */
import { ArgsType, Field, Int, registerEnumType } from "type-graphql";
import { enumOf } from "../platform/graphql.js";

export const SORT_ORDERS = ["ASC", "DESC"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];
export const SortOrderEnum = enumOf(SORT_ORDERS);
registerEnumType(SortOrderEnum, { name: "SortOrder", description: "Ascending or descending." });

@ArgsType()
export class AdminPageArgs {
  @Field(() => Int, { defaultValue: 1, description: "1-based page number." })
  page!: number;

  @Field(() => Int, { defaultValue: 25, description: "Records per page, 1 to 100." })
  perPage!: number;

  @Field(() => String, { nullable: true, description: "Field to sort by (each list names the fields it sorts on); its default when absent." })
  sortField?: string | null;

  @Field(() => SortOrderEnum, { defaultValue: "ASC", description: "Sort order." })
  sortOrder!: SortOrder;
}

/** OFFSET/LIMIT of a page, or a VALIDATION message for a page out of bounds. */
export function pageWindow(args: { page: number; perPage: number }): { offset: number; limit: number } | { error: string } {
  if (!Number.isInteger(args.page) || args.page < 1) return { error: "page must be 1 or more" };
  if (!Number.isInteger(args.perPage) || args.perPage < 1 || args.perPage > 100) return { error: "perPage must be between 1 and 100" };
  if ((args.page - 1) * args.perPage > 100_000) return { error: "page is too far: narrow the list with a filter" };
  return { offset: (args.page - 1) * args.perPage, limit: args.perPage };
}

/** The SQL ORDER BY column for a sort field the list allows, or null when it does not. */
export function sortColumn(allowed: Record<string, string>, field: string | null | undefined, fallback: string): string | null {
  if (field === null || field === undefined || field === "") return allowed[fallback] ?? null;
  return Object.hasOwn(allowed, field) ? allowed[field]! : null;
}
