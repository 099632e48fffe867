/**
 * What a request with a partner key may run, decided once per request on every transport (the direct
 * lane in platform/http-graphql.ts, Apollo, graphql-ws) right after the document passed the limits of
 * platform/graphql-limits.ts and the caller's context is known:
 *
 * 1. every root field of the operation must be one the key's scopes allow (partner.scopes.ts);
 * 2. every page it asks for must be 1 to 100 items (partner.pages.ts);
 * 3. the key's budget must cover the request's cost (partner.budget.ts), which is charged then;
 * 4. once it ran, `settlePartner` gives back the unused part and reports `extensions.cost`.
 *
 * Nothing has run when a request is refused. Requests without a key pass straight through.
 */
import { getOperationAST, GraphQLError, Kind, type DocumentNode, type GraphQLSchema, type SelectionSetNode } from "graphql";
import type { Partner } from "./partner.auth.js";
import { returnedObjects, type CostReport, type PartnerBudget, type ThrottleStatus } from "./partner.budget.js";
import { MAX_PARTNER_PAGE, oversizedPage } from "./partner.pages.js";
import { missingScope } from "./partner.scopes.js";

/** Extra cost of each mutation field on top of its selection (Shopify's weight of a mutation). */
export const MUTATION_WEIGHT = 10;

/**
 * A partner's request refused before it ran (scope, budget, cost over the whole budget). Its
 * extensions are the client's to read as they are: code, retryAfterSeconds, cost, requiredScope;
 * `http` sets the status and is not sent.
 */
export class PartnerRefusal extends GraphQLError {}

interface RootFields {
  fields: string[];
  mutation: boolean;
}

/** Root field names per document and operation name, worked out once per parsed document. */
const rootFieldsByDocument = new WeakMap<DocumentNode, Map<string, RootFields>>();

/** The root fields an operation selects (through fragments too), and whether it is a mutation. */
export function rootFields(document: DocumentNode, operationName: string | null | undefined): RootFields {
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
  const found = { fields: [...fields], mutation: operation?.operation === "mutation" };
  byOperation.set(key, found);
  return found;
}

/** The refusal of a partner's request its key's scopes do not cover, or null to go ahead. */
export function scopeRefusal(partner: Partner | null, document: DocumentNode, operationName: string | null | undefined): PartnerRefusal | null {
  if (!partner) return null;
  const missing = missingScope(rootFields(document, operationName).fields, partner.scopes);
  if (!missing) return null;
  const message =
    missing.needs.length === 0
      ? `${missing.field} is not part of the partner API; API keys cannot call it`
      : `this API key lacks the ${missing.needs.join(" or ")} scope that ${missing.field} needs`;
  // requiredScope: the scope to ask for (the first that would do; null: none would); requiredScopes: each that would.
  return new PartnerRefusal(message, {
    extensions: { code: "FORBIDDEN", http: { status: 403 }, field: missing.field, requiredScope: missing.needs[0] ?? null, requiredScopes: missing.needs },
  });
}

/** What a partner's admitted request was charged, kept on its context until it is settled. */
export interface PartnerCharge {
  keyId: string;
  requested: number;
  mutationWeight: number;
  status: ThrottleStatus;
}

/** What a partner's request asks to run: the parsed document, which operation and its variables. */
export interface PartnerRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | null | undefined;
}

/** VALIDATION (reason PAGE_SIZE) for a key's request with a page outside 1..100 (partner.pages.ts), or null. */
export function pageRefusal(request: PartnerRequest): PartnerRefusal | null {
  const oversized = oversizedPage(request.schema, request.document, request.operationName, request.variables);
  if (!oversized) return null;
  return new PartnerRefusal(`every connection an API key reads asks for first between 1 and ${MAX_PARTNER_PAGE}; ${oversized.field} is ${String(oversized.first)}`, {
    extensions: { code: "VALIDATION", http: { status: 400 }, reason: "PAGE_SIZE", field: oversized.field, maxFirst: MAX_PARTNER_PAGE },
  });
}

/** The context the partner checks read and write. */
export interface PartnerContext {
  partner: Partner | null;
  queryCost: number;
  partnerCharge?: PartnerCharge;
}

/**
 * Scopes, page sizes, then the budget: the refusal of a partner's request (FORBIDDEN; VALIDATION with
 * reason PAGE_SIZE or COST; RATE_LIMITED with `retryAfterSeconds` and the cost), or null once it is
 * charged (or is no partner's).
 */
export async function admitPartner(budget: PartnerBudget, context: PartnerContext, request: PartnerRequest): Promise<PartnerRefusal | null> {
  const partner = context.partner;
  if (!partner) return null;
  const { document, operationName } = request;
  const refused = scopeRefusal(partner, document, operationName) ?? pageRefusal(request);
  if (refused) return refused;
  const root = rootFields(document, operationName);
  const mutationWeight = root.mutation ? MUTATION_WEIGHT * root.fields.filter((field) => field !== "__typename").length : 0;
  const requested = context.queryCost + mutationWeight;
  if (requested > budget.maximum) {
    return new PartnerRefusal(`this request costs ${requested} points, more than an API key's whole budget of ${budget.maximum}; ask for fewer items`, {
      extensions: { code: "VALIDATION", http: { status: 400 }, reason: "COST", cost: requested, maxCost: budget.maximum },
    });
  }
  const charge = await budget.charge(partner.keyId, requested);
  if (!charge.ok) {
    const cost: CostReport = { requestedQueryCost: requested, actualQueryCost: 0, throttleStatus: charge.status };
    return new PartnerRefusal(`this API key has ${charge.status.currentlyAvailable} of the ${requested} points this request costs; try again in ${charge.retryAfterSeconds} s`, {
      extensions: { code: "RATE_LIMITED", http: { status: 429 }, retryAfterSeconds: charge.retryAfterSeconds, cost },
    });
  }
  context.partnerCharge = { keyId: partner.keyId, requested, mutationWeight, status: charge.status };
  return null;
}

/** After a partner's request ran: gives back what it did not use and answers its `extensions.cost`. */
export async function settlePartner(budget: PartnerBudget, context: PartnerContext, data: unknown): Promise<CostReport | null> {
  const charge = context.partnerCharge;
  if (!charge) return null;
  context.partnerCharge = undefined;
  const actual = Math.min(charge.requested, returnedObjects(data) + charge.mutationWeight);
  const throttleStatus = await budget.refund(charge.keyId, charge.requested - actual, charge.status);
  return { requestedQueryCost: charge.requested, actualQueryCost: actual, throttleStatus };
}
