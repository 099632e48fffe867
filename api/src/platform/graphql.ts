/**
 * GraphQL plumbing shared by every domain: the contract's ErrorCode/UserError, Money, PageInfo, a
 * generic keyset Connection, cursor encoding and page-size validation, and whether a field's selection asks for a subfield.
 */
import "reflect-metadata";
import { isObjectType, Kind, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema, type SelectionNode } from "graphql";
import { Field, Int, ObjectType, registerEnumType, type ClassType } from "type-graphql";
import { ApiError, ERROR_CODES, type DomainError, type ErrorCode } from "./errors.js";

/** A GraphQL enum object from a list of values (register it with registerEnumType). */
export const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };

export const ErrorCodeEnum = Object.fromEntries(ERROR_CODES.map((code) => [code, code])) as {
  [K in ErrorCode]: K;
};
registerEnumType(ErrorCodeEnum, { name: "ErrorCode", description: "Typed reasons a request did not succeed." });

@ObjectType({ description: "An expected failure of a mutation; nothing was changed.", simpleResolvers: true })
export class UserError {
  @Field(() => ErrorCodeEnum, { description: "Machine-readable reason." })
  code!: ErrorCode;

  @Field(() => String, { description: "Human-readable explanation, safe to show to the end user." })
  message!: string;

  @Field(() => String, { nullable: true, description: "The input field at fault, when there is one." })
  field?: string | null;

  @Field(() => Int, { nullable: true, description: "For RATE_LIMITED: seconds to wait before trying again." })
  retryAfterSeconds?: number | null;

  static from(error: DomainError): UserError {
    return Object.assign(new UserError(), {
      code: error.code,
      message: error.message,
      field: error.field ?? null,
      retryAfterSeconds: error.retryAfterSeconds ?? null,
    });
  }
}

// Plain data everywhere (`Money.of`): its fields need no type-graphql resolver (`simpleResolvers`).
@ObjectType({ description: "An amount of money in minor units (cents) with its ISO 4217 currency.", simpleResolvers: true })
export class Money {
  @Field(() => Int, { description: "Minor units, e.g. 1250 for 12.50." })
  amount!: number;

  @Field(() => String, { description: "ISO 4217 code, e.g. USD." })
  currency!: string;

  static of(amount: number, currency: string): Money {
    return Object.assign(new Money(), { amount, currency });
  }
}

@ObjectType({ description: "Keyset pagination state." })
export class PageInfo {
  @Field(() => Boolean, { description: "Whether another page follows." })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` to fetch the next page." })
  endCursor?: string | null;
}

/** A page of results; `countTotal` runs only when a client selects `totalCount`. */
export interface Page<T> {
  items: { cursor: string; node: T }[];
  hasNextPage: boolean;
  countTotal: () => Promise<number>;
}

/** Builds the `<Name>Connection` and `<Name>Edge` types of the contract for a node type. */
export function connectionTypes<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page.` })
  class Edge {
    @Field(() => String, { description: "Opaque cursor of this edge." })
    cursor!: string;

    @Field(() => node, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name}s.` })
  class Connection {
    @Field(() => [Edge], { description: "The items of this page." })
    edges!: Edge[];

    @Field(() => PageInfo, { description: "Where this page ends." })
    pageInfo!: PageInfo;

    countTotal!: () => Promise<number>;

    @Field(() => Int, { description: "Number of items over all pages (computed only when selected)." })
    totalCount(): Promise<number> {
      return this.countTotal();
    }

    static from(page: Page<T>): Connection {
      const last = page.items.at(-1);
      return Object.assign(new Connection(), {
        edges: page.items.map((item) => Object.assign(new Edge(), item)),
        pageInfo: Object.assign(new PageInfo(), { hasNextPage: page.hasNextPage, endCursor: last?.cursor ?? null }),
        countTotal: page.countTotal,
      });
    }
  }
  return { Edge, Connection };
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function validatePageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ApiError("VALIDATION", `first must be between 1 and ${MAX_PAGE_SIZE}`, "first");
  }
  return size;
}

/** Opaque cursors: base64url JSON of the keyset values. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, shape: readonly ("string" | "number")[]): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(values) &&
      values.length === shape.length &&
      values.every((value, index) => typeof value === shape[index])
    ) {
      return values as (string | number)[];
    }
  } catch {
    // fall through to the typed error
  }
  throw new ApiError("VALIDATION", "after is not a cursor returned by this API", "after");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isId(value: string): boolean {
  return UUID.test(value);
}

/** Rejects malformed ids before they reach SQL. */
export function parseId(value: string, field = "id"): string {
  if (!isId(value)) throw new ApiError("VALIDATION", `${field} is not a valid id`, field);
  return value.toLowerCase();
}

/**
 * Whether the field being resolved selects the subfield `name` anywhere in its selection (through
 * fragments too). @skip/@include are not evaluated: a conditional selection counts as selected, so a
 * resolver that leaves out unselected data never leaves out data that is asked for.
 */
export function selectsSubfield(info: GraphQLResolveInfo, name: string): boolean {
  const visit = (selections: readonly SelectionNode[], seen: Set<string>): boolean =>
    selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet.selections, seen);
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      const fragment = info.fragments[selection.name.value];
      return fragment ? visit(fragment.selectionSet.selections, seen) : false;
    });
  return info.fieldNodes.some((node) => (node.selectionSet ? visit(node.selectionSet.selections, new Set()) : false));
}

/**
 * Fields resolved by a plain function instead of type-graphql's generated resolver, per object type
 * (root types included) and field: each entry gets the generated resolver (`general`) to hand over the
 * cases it does not serve itself. For the hottest operations only; the function must answer exactly as
 * `general` would.
 */
export type DirectResolvers<TContext> = Partial<
  Record<string, Record<string, (general: GraphQLFieldResolver<unknown, TContext>) => GraphQLFieldResolver<unknown, TContext>>>
>;

/** Installs direct resolvers on a built schema (before anything compiles or runs it); every transport then uses them. */
export function withDirectResolvers<TContext>(schema: GraphQLSchema, resolvers: DirectResolvers<TContext>): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`no object type ${typeName} to resolve directly`);
    for (const [name, direct] of Object.entries(fields ?? {})) {
      const field = type.getFields()[name];
      if (!field?.resolve) throw new Error(`no resolver for ${typeName}.${name} to replace`);
      field.resolve = direct(field.resolve as GraphQLFieldResolver<unknown, TContext>);
    }
  }
  return schema;
}
