/**
 * What a request with a partner key may run, decided once per request on every transport (the direct
 * lane in platform/http-graphql.ts, Apollo, graphql-ws) right after the document passed the limits of
 * platform/graphql-limits.ts and the caller's context is known: every root field of the operation must
 * be one the key's scopes allow (partner.scopes.ts). Nothing has run when a request is refused.
 * Requests without a key pass straight through.
 */
import { getOperationAST, GraphQLError, Kind, type DocumentNode, type SelectionSetNode } from "graphql";
import type { Partner } from "./partner.auth.js";
import { missingScope } from "./partner.scopes.js";

/** Root field names per document and operation name, worked out once per parsed document. */
const rootFieldsByDocument = new WeakMap<DocumentNode, Map<string, string[]>>();

/** The root fields an operation selects, through fragments too. */
export function rootFields(document: DocumentNode, operationName: string | null | undefined): string[] {
  let byOperation = rootFieldsByDocument.get(document);
  if (!byOperation) rootFieldsByDocument.set(document, (byOperation = new Map()));
  const key = operationName ?? "";
  const known = byOperation.get(key);
  if (known) return known;
  const operation = getOperationAST(document, operationName);
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const fields = new Set<string>();
  const seen = new Set<string>();
  const collect = (selections: SelectionSetNode) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) fields.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  if (operation) collect(operation.selectionSet);
  const list = [...fields];
  byOperation.set(key, list);
  return list;
}

/** The refusal of a partner's request its key's scopes do not cover, or null to go ahead. */
export function scopeRefusal(partner: Partner | null, document: DocumentNode, operationName: string | null | undefined): GraphQLError | null {
  if (!partner) return null;
  const missing = missingScope(rootFields(document, operationName), partner.scopes);
  if (!missing) return null;
  const message =
    missing.scope === null
      ? `${missing.field} is not part of the partner API; API keys cannot call it`
      : `this API key lacks the ${missing.scope} scope that ${missing.field} needs`;
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN", http: { status: 403 }, field: missing.field, requiredScope: missing.scope } });
}
