/**
 * The partner API's documentation, served at GET /docs: one HTML page generated when the API starts
 * from what the API really is, so it cannot drift from it:
 *
 * - the operations are the root fields a key may call (SCOPE_OF_FIELD), grouped by scope, each with
 *   its description, arguments and return type read from the live schema (graphql-js), so an
 *   operation another module adds appears as soon as it is given a scope;
 * - each operation's cost is stated by the rule of platform/graphql-limits.ts and shown for an example
 *   selection computed by that same calculator (`queryCost`), plus the mutation weight of partner.gate.ts;
 * - the limits are this process's configuration; the scopes, error codes and refusal reasons are the
 *   code's own lists (a code added there without a description here fails the typecheck);
 * - the worked examples (partner.docs.flows.ts) are the only hand-written part, checked against the
 *   schema by a test.
 *
 * Everything taken from the schema or the configuration is HTML-escaped: descriptions are written by
 * developers, but a page that executes what it documents would be one careless description from an XSS.
 * The page has no scripts at all (server.ts serves it with a CSP that allows none).
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  Kind,
  parse,
  validate,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from "graphql";
import type { ErrorCode } from "../platform/errors.js";
import { queryCost, REFUSAL_REASONS, type GraphQLLimits, type RefusalReason } from "../platform/graphql-limits.js";
import { FLOWS, type Flow } from "./partner.docs.flows.js";
import { MUTATION_WEIGHT } from "./partner.gate.js";
import { SCOPE_OF_FIELD, SCOPES, type Scope } from "./partner.scopes.js";

export interface DocsSettings {
  limits: GraphQLLimits;
  budgetPoints: number;
  budgetWindowSeconds: number;
  maxPageSize: number;
  maxRequestBytes: number;
}

const SCOPE_TEXT: Record<Scope, string> = {
  "catalogue:read": "Browse events, venues and search; live seat status and price updates.",
  "orders:read": "Read the orders of the key's organization's events.",
  "holds:write": "Waiting room, holds and checkout on behalf of a fan the partner signed in (Boxoffice-Fan header).",
  "webhooks:manage": "Register and manage webhook endpoints and their deliveries.",
};

/** Every code of the contract (platform/errors.ts), plus the two the transport adds (server.ts's formatError). */
const ERROR_TEXT: Record<ErrorCode | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR", string> = {
  VALIDATION:
    "The request or its input is invalid (a bad argument, first outside 1–100, a document over a limit: see the reasons below). Nothing changed. The error's field names the input at fault.",
  UNAUTHENTICATED: "No valid credential: the API key is malformed, unknown or revoked, or the Authorization header is not Bearer and a token (HTTP 401); or the operation acts for a fan and none was named.",
  FORBIDDEN: "The credential is valid but may not do this: the key lacks the scope the operation needs (requiredScope, HTTP 403), the operation is not part of the partner API (requiredScope null), or the data belongs to another organization.",
  NOT_FOUND: "The object does not exist, or is not visible to this caller.",
  EMAIL_TAKEN: "An account already uses this email.",
  INVALID_CREDENTIALS: "Wrong email or password (sign-in only).",
  NOT_ON_SALE: "The event is not on sale now (before its on-sale, sold out, ended).",
  NOT_ADMITTED: "The event's waiting room is on and the fan has no valid admission token.",
  SEAT_UNAVAILABLE: "A seat asked for is held or sold by someone else. Nothing was held.",
  LIMIT_EXCEEDED: "More seats than the event allows per fan, or too many holds.",
  HOLD_EXPIRED: "The hold ran out before checkout; hold again.",
  PAYMENT_DECLINED: "The payment gateway declined the payment method. Nothing was charged.",
  PAYMENT_UNAVAILABLE: "The payment gateway did not answer; retry with the same idempotencyKey.",
  RATE_LIMITED: "Too many requests: for a key, its budget cannot cover this request's cost (HTTP 429, retryAfterSeconds, cost). Wait retryAfterSeconds and retry.",
  SERVICE_UNAVAILABLE: "PostgreSQL or Redis is briefly away; retry after retryAfterSeconds.",
  INTERNAL_SERVER_ERROR: "A bug on our side; it has been logged. No details are sent.",
};

const REASON_TEXT: Record<RefusalReason, string> = {
  COST: "The query costs more than the maximum (cost, maxCost), or more than a key's whole budget.",
  ALIASES: "Too many aliases in one operation.",
  DEPTH: "Fields nested too deep (fragments flattened).",
  INTROSPECTION: "Introspection without a key or a signed-in user, in production.",
  AUTH_REPEATED: "More than one login or register in one operation.",
  CONTROL_CHARACTER: "A string (literal or variable) contains a control character.",
};

/** `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
const anchor = (name: string) => `op-${name.replace(/[^A-Za-z0-9_]/g, "")}`;

interface Operation {
  name: string;
  kind: "query" | "mutation" | "subscription";
  field: GraphQLField<unknown, unknown>;
  /** The scopes that allow it: any one of them. */
  scopes: readonly Scope[];
}

/** The operations a key may call that this schema has, in the order of SCOPE_OF_FIELD. */
function partnerOperations(schema: GraphQLSchema): Operation[] {
  const roots = [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
    ["subscription", schema.getSubscriptionType()],
  ] as const;
  return Object.entries(SCOPE_OF_FIELD).flatMap(([name, needed]) => {
    const scopes: readonly Scope[] = typeof needed === "string" ? [needed] : needed;
    for (const [kind, type] of roots) {
      const field = type?.getFields()[name];
      if (field) return [{ name, kind, field, scopes }];
    }
    return []; // listed before its module is merged: nothing to document yet
  });
}

/** The declared cost of a field (type-graphql's `complexity`), or null. */
const declaredCost = (field: GraphQLField<unknown, unknown>) => (typeof field.extensions?.complexity === "number" ? field.extensions.complexity : null);

/** How the field takes a page size: `first`, `input.first`, or not at all (graphql-limits.ts's pageSize). */
function pageArgument(field: GraphQLField<unknown, unknown>): string | null {
  for (const arg of field.args) {
    if (arg.name === "first") return "first";
    const type = getNamedType(arg.type);
    if (isInputObjectType(type) && "first" in type.getFields()) return `${arg.name}.first`;
  }
  return null;
}

/** The cost rule of a root field, in words, as graphql-limits.ts and partner.gate.ts apply it. */
function costRule(operation: Operation): string {
  const { field } = operation;
  const leaf = isLeafType(getNamedType(field.type));
  const own = declaredCost(field) ?? (leaf ? 0 : 1);
  const paged = pageArgument(field);
  let rule = paged ? `${own} + ${paged} × (the cost of one item's selection)` : leaf ? `${own}` : `${own} + the cost of its selection`;
  if (operation.kind === "mutation") rule += ` + ${MUTATION_WEIGHT} (mutation)`;
  if (operation.kind === "subscription") rule += ", charged once when the subscription starts";
  return rule;
}

/** A value of an input type that coerces (for the example's variables): placeholders, `first` 10. */
function exampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return exampleValue(type.ofType);
  if (isListType(type)) return [exampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]?.name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (field.name === "first") value.first = 10;
      else if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = exampleValue(field.type);
    }
    return value;
  }
  if (isScalarType(type)) {
    if (type.name === "Int") return 1;
    if (type.name === "Float") return 1.5;
    if (type.name === "Boolean") return true;
    if (type.name === "ID" || type.name === "String") return `<${type.name === "ID" ? "id" : "text"}>`;
    // A custom scalar: the first candidate it accepts.
    for (const candidate of ["2030-01-01T20:00:00.000Z", "<text>", 1, {}]) {
      try {
        type.parseValue(candidate);
        return candidate;
      } catch {
        // not this one
      }
    }
  }
  return null;
}

/** A small selection of an output type: a few scalars, one level of objects, a connection's edges and pageInfo. */
function exampleSelection(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return "";
  if (!isObjectType(named)) return "{ __typename }";
  const fields = Object.values(named.getFields()).filter((field) => field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined));
  const byName = named.getFields();
  if (byName.edges && byName.pageInfo) {
    const node = getNamedType(byName.edges.type) as GraphQLObjectType;
    const nodeField = node.getFields().node;
    const item = nodeField ? `node ${exampleSelection(nodeField.type, depth)}` : "__typename";
    return `{ edges { cursor ${item} } pageInfo { endCursor hasNextPage } }`;
  }
  const leaves = fields.filter((field) => isLeafType(getNamedType(field.type)));
  leaves.sort((a, b) => Number(b.name === "id") - Number(a.name === "id"));
  const parts = leaves.slice(0, 4).map((field) => field.name);
  if (depth > 0) {
    const objects = fields.filter((field) => !isLeafType(getNamedType(field.type)) && declaredCost(field) === null && pageArgument(field) === null && field.args.length === 0);
    for (const field of objects.slice(0, 2)) parts.push(`${field.name} ${exampleSelection(field.type, depth - 1)}`);
  }
  return parts.length ? `{ ${parts.join(" ")} }` : "{ __typename }";
}

interface Example {
  document: string;
  variables: Record<string, unknown>;
  cost: number;
}

/** An operation with its required arguments, `first: 10` and a small selection, costed by the gate's calculator; null if it cannot be built. */
function exampleOf(schema: GraphQLSchema, operation: Operation): Example | null {
  const { field } = operation;
  // `first` is always written out (10), required or not; the other required arguments are variables.
  const required = field.args.filter((arg) => arg.name !== "first" && isNonNullType(arg.type) && arg.defaultValue === undefined);
  const variables = Object.fromEntries(required.map((arg) => [arg.name, exampleValue(arg.type)]));
  const definitions = required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(", ");
  const args = [...required.map((arg) => `${arg.name}: $${arg.name}`), ...(field.args.some((arg) => arg.name === "first") ? ["first: 10"] : [])];
  const selection = exampleSelection(field.type, 1);
  const document = `${operation.kind}${definitions ? `(${definitions})` : ""} {\n  ${field.name}${args.length ? `(${args.join(", ")})` : ""}${selection ? ` ${selection}` : ""}\n}`;
  try {
    const parsed = parse(document);
    if (validate(schema, parsed).length > 0) return null;
    const weight = operation.kind === "mutation" ? MUTATION_WEIGHT : 0;
    return { document, variables, cost: queryCost(schema, parsed, variables) + weight };
  } catch {
    return null;
  }
}

/** What the returned type is, from its description (not for graphql-js's own scalars: that is GraphQL itself). */
function returnedDescription(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  return named.description && !isSpecifiedScalarType(named) ? ` — ${escapeHtml(named.description)}` : "";
}

function typeLink(type: GraphQLOutputType | GraphQLInputType): string {
  return code(String(type));
}

function argumentRows(args: readonly GraphQLArgument[]): string {
  if (args.length === 0) return "<p>No arguments.</p>";
  const rows = args.map(
    (arg) =>
      `<tr><td>${code(arg.name)}</td><td>${typeLink(arg.type)}</td><td>${arg.defaultValue === undefined ? "" : code(JSON.stringify(arg.defaultValue))}</td><td>${escapeHtml(arg.description ?? "")}${inputFields(arg.type)}</td></tr>`,
  );
  return `<table><thead><tr><th>argument</th><th>type</th><th>default</th><th>description</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** An input object's fields, listed under the argument that takes it. */
function inputFields(type: GraphQLInputType): string {
  const named = getNamedType(type);
  if (!isInputObjectType(named)) return "";
  const items = Object.values(named.getFields()).map((field) => `<li>${code(`${field.name}: ${String(field.type)}`)} ${escapeHtml(field.description ?? "")}</li>`);
  return `<ul class="fields">${items.join("")}</ul>`;
}

function renderOperation(schema: GraphQLSchema, operation: Operation): string {
  const { field } = operation;
  const example = exampleOf(schema, operation);
  return `<section class="operation" id="${anchor(operation.name)}">
<h3>${code(operation.name)} <span class="kind">${operation.kind}</span> <span class="scope">${escapeHtml(operation.scopes.join(" or "))}</span></h3>
<p class="description">${escapeHtml(field.description ?? "")}</p>
<dl><dt>Returns</dt><dd>${typeLink(field.type)}${returnedDescription(field.type)}</dd>
<dt>Scope</dt><dd>${operation.scopes.map(code).join(" or ")}${operation.scopes.length > 1 ? " (any one; each may read only its own part)" : ""}</dd>
<dt>Cost</dt><dd>${escapeHtml(costRule(operation))}${example ? `; the example below costs <strong class="cost">${example.cost}</strong>` : ""}</dd>
${field.deprecationReason ? `<dt>Deprecated</dt><dd>${escapeHtml(field.deprecationReason)}</dd>` : ""}</dl>
${argumentRows(field.args)}
${example ? `<pre><code>${escapeHtml(example.document)}</code></pre>${Object.keys(example.variables).length ? `<pre><code>${escapeHtml(JSON.stringify(example.variables))}</code></pre>` : ""}` : ""}
</section>`;
}

/** Every field anywhere in the schema whose cost is not the plain rule: declared costs and page sizes. */
function costlyFields(schema: GraphQLSchema): string {
  const rows: string[] = [];
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const declared = declaredCost(field);
      const paged = pageArgument(field);
      if (declared === null && paged === null) continue;
      const rule = paged ? `${declared ?? 1} + ${paged} × its selection` : `${declared} + its selection`;
      rows.push(`<tr><td>${code(`${type.name}.${field.name}`)}</td><td>${escapeHtml(rule)}</td></tr>`);
    }
  }
  return `<table><thead><tr><th>field</th><th>cost</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** What a flow's GraphQL step costs a key, by the gate's calculator; null while its operation is not in the schema. */
function stepCost(schema: GraphQLSchema, document: string, variables: Record<string, unknown> | undefined): number | null {
  try {
    const parsed = parse(document);
    if (validate(schema, parsed).length > 0) return null;
    const operation = parsed.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    const mutations = operation?.operation === "mutation" ? operation.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD).length : 0;
    return queryCost(schema, parsed, variables ?? {}) + MUTATION_WEIGHT * mutations;
  } catch {
    return null;
  }
}

function renderFlow(schema: GraphQLSchema, flow: Flow): string {
  const steps = flow.steps.map((step) => {
    const cost = step.graphql ? stepCost(schema, step.graphql.document, step.graphql.variables) : null;
    const graphql = step.graphql
      ? `${cost === null ? "" : `<p>Cost for a key: <strong class="cost">${cost}</strong>.</p>`}<pre><code>${escapeHtml(["POST /graphql", ...step.graphql.headers, "", step.graphql.document].join("\n"))}</code></pre>${
          step.graphql.variables ? `<pre><code>${escapeHtml(`variables: ${JSON.stringify(step.graphql.variables, null, 2)}`)}</code></pre>` : ""
        }`
      : "";
    return `<h4>${escapeHtml(step.title)}</h4><p>${escapeHtml(step.text)}</p>${graphql}${step.code ? `<pre><code>${escapeHtml(step.code)}</code></pre>` : ""}`;
  });
  return `<section id="${flow.id}"><h3>${escapeHtml(flow.title)}</h3><p>${escapeHtml(flow.intro)}</p>${steps.join("\n")}</section>`;
}

export function renderPartnerDocs(schema: GraphQLSchema, settings: DocsSettings): string {
  const operations = partnerOperations(schema);
  const { limits } = settings;
  const restoreRate = settings.budgetPoints / settings.budgetWindowSeconds;
  // The scopes table lists an operation under every scope that allows it; the reference, under its first.
  const byScope = SCOPES.map((scope) => ({ scope, operations: operations.filter((operation) => operation.scopes.includes(scope)) }));
  const byFirstScope = SCOPES.map((scope) => ({ scope, operations: operations.filter((operation) => operation.scopes[0] === scope) }));
  const toc = [
    ["start", "Quick start"],
    ["scopes", "Scopes"],
    ["limits", "Limits"],
    ["cost", "How a request is costed"],
    ["operations", "Operations"],
    ["errors", "Errors"],
    ["flows", "Worked examples"],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Boxoffice partner API</title>
<style>
body { font: 15px/1.55 system-ui, sans-serif; color: #1d2330; max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
h1, h2, h3 { line-height: 1.25; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #d8dde6; padding-bottom: .3rem; }
code { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; background: #f1f3f7; padding: 0 .2em; border-radius: 3px; }
pre { background: #f6f8fa; border: 1px solid #e1e5eb; border-radius: 6px; padding: .75rem 1rem; overflow-x: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; } th, td { border: 1px solid #e1e5eb; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } .description { white-space: pre-line; }
.operation { border-top: 1px solid #eef0f4; padding-top: .5rem; } .kind, .scope { font-size: 12px; font-weight: normal; padding: .1rem .4rem; border-radius: 3px; }
.kind { background: #e8f0fe; } .scope { background: #e6f4ea; } dl { display: grid; grid-template-columns: 7rem 1fr; gap: .2rem .5rem; } dt { font-weight: 600; } dd { margin: 0; }
ul.fields { margin: .3rem 0 0; padding-left: 1.1rem; } nav ol { columns: 2; }
</style></head><body>
<h1>Boxoffice partner API</h1>
<p>Generated from the schema this server runs. GraphQL over HTTP at ${code("POST /graphql")} and over WebSocket (graphql-ws) at the same address.</p>
<nav><h2>Contents</h2><ol>${toc.map(([id, title]) => `<li><a href="#${id}">${escapeHtml(title!)}</a></li>`).join("")}</ol></nav>

<h2 id="start">Quick start</h2>
<p>A promoter or admin creates a key for their organization in the console (API keys); it is shown once: ${code("bo_live_<32 characters>_<6 characters checksum>")}. Send it as a bearer token on every request, and in ${code("connectionParams.authorization")} over WebSocket. A key sees its organization's private data only.</p>
<pre><code>${escapeHtml(`curl -s https://api.boxoffice.example/graphql \\
  -H 'content-type: application/json' -H "authorization: Bearer $BOXOFFICE_KEY" \\
  -d '{"query":"{ events(first: 3) { edges { node { id name } } } }"}'`)}</code></pre>
<p>Every answer to a key carries ${code("extensions.cost")}: ${code("{ requestedQueryCost, actualQueryCost, throttleStatus { maximumAvailable, currentlyAvailable, restoreRate } }")}. Introspection is answered to keys and signed-in users (anonymous callers do not get it in production): point GraphiQL or a code generator at the API with your key.</p>

<h2 id="scopes">Scopes</h2>
<p>A key has one or more scopes; each operation needs one. Calling an operation outside the key's scopes, or one that is not part of the partner API (sign-in, the console's operations, keys themselves), is refused with FORBIDDEN before anything runs.</p>
<table><thead><tr><th>scope</th><th>lets the key</th><th>operations</th></tr></thead><tbody>
${byScope.map(({ scope, operations: list }) => `<tr><td>${code(scope)}</td><td>${escapeHtml(SCOPE_TEXT[scope])}</td><td>${list.map((operation) => `<a href="#${anchor(operation.name)}">${code(operation.name)}</a>`).join(", ") || "—"}</td></tr>`).join("\n")}
</tbody></table>

<h2 id="limits">Limits</h2>
<table><thead><tr><th>limit</th><th>value</th><th>when exceeded</th></tr></thead><tbody>
<tr><td>Budget per key</td><td><span class="limit">${settings.budgetPoints}</span> points per <span class="limit">${settings.budgetWindowSeconds}</span> s (${escapeHtml(formatRate(restoreRate))} points a second on average), shared by every request of the key and every API process</td><td>RATE_LIMITED, HTTP 429, ${code("retryAfterSeconds")}</td></tr>
<tr><td>Cost of one request</td><td>at most <span class="limit">${limits.maxCost}</span> (and at most a whole budget, ${settings.budgetPoints}, for a key)</td><td>VALIDATION, reason COST, ${code("cost")} and ${code("maxCost")}</td></tr>
<tr><td>Page size (${code("first")})</td><td>1 to ${settings.maxPageSize}</td><td>VALIDATION, field first</td></tr>
<tr><td>Depth</td><td>${limits.maxDepth} levels of fields</td><td>VALIDATION, reason DEPTH</td></tr>
<tr><td>Aliases</td><td>${limits.maxAliases} per operation</td><td>VALIDATION, reason ALIASES</td></tr>
<tr><td>Document size</td><td>${limits.maxTokens} tokens; ${settings.maxRequestBytes} bytes per request or WebSocket message</td><td>VALIDATION (HTTP 413 for the body; the socket closes with 1009)</td></tr>
</tbody></table>
<p>The limits are the same for every scope: the budget is per key, whatever it calls. Fans and anonymous callers are limited per address instead, and keep their own per-fan limits (seats per fan, the waiting room) when a partner acts for them.</p>

<h2 id="cost">How a request is costed</h2>
<ul>
<li>Every object a query selects costs 1; scalar and enum fields cost 0 (they come with their object).</li>
<li>A field that takes a page size (${code("first")}, or ${code("input.first")}) costs 1 plus ${code("first")} times the cost of one item's selection: ${code(PAGE_EXAMPLE)} costs 1 + 10 × (1 edge + 1 node + 1 venue) = <span class="cost">${queryCost(schema, parse(PAGE_EXAMPLE), {})}</span>. ${code("first")} defaults to 20 where it may be left out.</li>
<li>Some fields declare a cost of their own instead of 1 (a whole seat map reads every seat): see the table below.</li>
<li>Each mutation field costs ${MUTATION_WEIGHT} more.</li>
<li>A subscription is charged once, when it starts.</li>
<li>The requested cost is charged before the request runs; afterwards what it really returned is counted (a page of 3 when 10 were asked for) and the difference is given back: ${code("actualQueryCost")}.</li>
</ul>
<h3>Fields with a cost of their own</h3>
${costlyFields(schema)}

<h2 id="operations">Operations</h2>
${byFirstScope
  .filter(({ operations: list }) => list.length > 0)
  .map(({ scope, operations: list }) => `<h2 class="scope-heading" id="scope-${escapeHtml(scope.replace(":", "-"))}">${code(scope)}</h2>\n${list.map((operation) => renderOperation(schema, operation)).join("\n")}`)
  .join("\n")}

<h2 id="errors">Errors</h2>
<p>A request refused as a whole answers ${code("errors[].extensions.code")} (and nothing ran). A mutation's expected failures come in its payload's ${code("errors")} list (${code("{ code, message, field }")}) with an HTTP 200, and nothing changed. Never a stack trace.</p>
<table><thead><tr><th>code</th><th>meaning</th></tr></thead><tbody>
${(Object.keys(ERROR_TEXT) as (keyof typeof ERROR_TEXT)[]).map((name) => `<tr><td>${code(name)}</td><td>${escapeHtml(ERROR_TEXT[name])}</td></tr>`).join("\n")}
</tbody></table>
<h3>Refusals of a key's request</h3>
<table><thead><tr><th>code</th><th>HTTP</th><th>extensions</th><th>when</th></tr></thead><tbody>
<tr><td>${code("UNAUTHENTICATED")}</td><td>401</td><td>—</td><td>the key is malformed, unknown or revoked (a revoked key is refused within a second everywhere)</td></tr>
<tr><td>${code("FORBIDDEN")}</td><td>403</td><td>${code("field")}, ${code("requiredScope")}</td><td>the key lacks the scope; ${code("requiredScope: null")} when the operation is not for keys</td></tr>
<tr><td>${code("RATE_LIMITED")}</td><td>429</td><td>${code("retryAfterSeconds")}, ${code("cost")}</td><td>the budget cannot cover the request's cost now</td></tr>
<tr><td>${code("VALIDATION")}</td><td>400</td><td>${code("reason")}, e.g. ${code("cost")}, ${code("maxCost")}</td><td>the document breaks a limit (reasons below)</td></tr>
</tbody></table>
<h3>VALIDATION reasons</h3>
<table><thead><tr><th>reason</th><th>meaning</th></tr></thead><tbody>
${REFUSAL_REASONS.map((reason) => `<tr><td>${code(reason)}</td><td>${escapeHtml(REASON_TEXT[reason])}</td></tr>`).join("\n")}
</tbody></table>

<h2 id="flows">Worked examples</h2>
${FLOWS.map((flow) => renderFlow(schema, flow)).join("\n")}
</body></html>
`;
}

const PAGE_EXAMPLE = "{ events(first: 10) { edges { node { id venue { name } } } } }";

function formatRate(rate: number): string {
  return Number.isInteger(rate) ? String(rate) : rate.toFixed(1);
}
