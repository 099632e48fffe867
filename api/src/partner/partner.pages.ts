/**
 * Page sizes of a partner's request (issue 26: "every connection requires `first` 1–100"), checked
 * before a key's request runs or is charged.
 *
 * What the limits of platform/graphql-limits.ts already do for all traffic: a page of `first` items
 * costs `first` times its selection, so a huge `first` is refused as COST; and each connection's
 * resolver refuses a `first` outside 1..100 (platform/graphql.ts validatePageSize), but only once the
 * operation runs, after a partner was charged, and a `first` of 0 or less costs as if it were no page.
 * The gap closed here, for key requests: every field of the operation that takes a page size (`first`,
 * or an input's `first` as searchEvents has) must ask for 1 to 100, defaults included (a field whose
 * default is larger, such as the scanners' ticketRevocations, cannot be read by a key without a
 * smaller `first`); otherwise VALIDATION with reason PAGE_SIZE, nothing run, nothing charged. A missing
 * `first` takes the field's default (20 on every connection keys may read).
 *
 * The fields with a page size are found once per document and operation (kept in a WeakMap on the
 * parsed document, which both HTTP paths keep); each request then only reads their arguments with its
 * variables (graphql-js's own getArgumentValues, as execution does).
 */
import {
  getArgumentValues,
  getNamedType,
  getOperationAST,
  isInputObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLSchema,
} from "graphql";
import { MAX_PAGE_SIZE } from "../platform/graphql.js";

/** The partner lane refuses the same page sizes as every connection (platform/graphql.ts). */
export const MAX_PARTNER_PAGE = MAX_PAGE_SIZE;

interface PagedField {
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  /** The field's `first` is inside its `input` argument. */
  inInput: boolean;
}

const pagedFieldsByDocument = new WeakMap<DocumentNode, { schema: GraphQLSchema; byOperation: Map<string, PagedField[]> }>();

/** The fields of an operation (its fragments included) that take a page size. */
function pagedFields(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): PagedField[] {
  let known = pagedFieldsByDocument.get(document);
  if (!known || known.schema !== schema) pagedFieldsByDocument.set(document, (known = { schema, byOperation: new Map() }));
  const key = operationName ?? "";
  const found = known.byOperation.get(key);
  if (found) return found;
  const operation = getOperationAST(document, operationName);
  const fields: PagedField[] = [];
  if (operation) {
    const typeInfo = new TypeInfo(schema);
    // The operation and every fragment definition: a valid document spreads each fragment somewhere,
    // and a fragment another operation spreads is checked too (harmless: it is read as it would run).
    const nodes = document.definitions.filter((definition) => definition === operation || definition.kind === Kind.FRAGMENT_DEFINITION);
    for (const node of nodes) {
      visit(
        node,
        visitWithTypeInfo(typeInfo, {
          Field(fieldNode) {
            const field = typeInfo.getFieldDef();
            if (!field) return;
            if (field.args.some((arg) => arg.name === "first")) fields.push({ field, node: fieldNode, inInput: false });
            else if (field.args.some((arg) => arg.name === "input" && isInputObjectType(getNamedType(arg.type)) && "first" in (getNamedType(arg.type) as { getFields(): object }).getFields())) {
              fields.push({ field, node: fieldNode, inInput: true });
            }
          },
        }),
      );
    }
  }
  known.byOperation.set(key, fields);
  return fields;
}

/** The first field of a partner's request that asks a page outside 1..100 (its path and `first`), or null. */
export function oversizedPage(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): { field: string; first: unknown } | null {
  for (const paged of pagedFields(schema, document, operationName)) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(paged.field, paged.node, variables ?? {});
    } catch {
      continue; // variables that do not coerce: execution refuses them before anything runs
    }
    const holder = paged.inInput ? (args.input as Record<string, unknown> | null | undefined) : args;
    const first = holder?.first;
    if (first === undefined || first === null) continue;
    if (typeof first === "number" && Number.isInteger(first) && first >= 1 && first <= MAX_PARTNER_PAGE) continue;
    const name = paged.node.name.value;
    return { field: paged.inInput ? `${name}.input.first` : `${name}.first`, first };
  }
  return null;
}
