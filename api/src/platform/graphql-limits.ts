/**
 * The gate every GraphQL document passes before it runs, on every transport: the compiled lane
 * (platform/http-graphql.ts), Apollo (a plugin hook) and graphql-ws (onSubscribe). One module, so the
 * rules cannot diverge between them.
 *
 * - Tokens: graphql-js's own `parse(source, { maxTokens })` (`parseOptions`), so an oversized document
 *   is refused before it is even built, let alone validated (validation's overlapping-fields rule is
 *   quadratic in the aliases of one field).
 * - Per document, once (kept in a WeakMap on the parsed document; the direct lane and Apollo keep
 *   parsed documents, so this runs once per document text, graphql-ws once per subscription): aliases
 *   and depth (graphql-armor's rules), at most one `login` and one `register` (aliases must not multiply
 *   password attempts), control characters in string literals, and whether it introspects.
 * - Introspection depends on the caller, so it is decided once the caller is known
 *   (`introspectionRefusal`): always answered to signed-in users and partner keys, to anonymous callers
 *   only when `limits.introspection` is on (everywhere but production).
 * - Per request: control characters in variable values (nested input objects and lists too), and the
 *   cost (graphql-query-complexity 2, which needs the variables: a page of `first` items costs `first`
 *   times its items). The cost of an operation whose variables cannot change it (none reaches a `first`,
 *   an input's `first`, `@skip` or `@include`) is computed once and kept, so the hot mutations pay a
 *   Map lookup and a walk of their (small) variables; otherwise it is kept per value of those variables.
 *
 * Cost model (documented in api/README.md): leaf fields 0, object fields 1, a field's declared
 * `complexity` (type-graphql's option, e.g. `Event.seatMap`) instead of that, and a field with a page size
 * (`first`, or `input.first`) costs its own plus `first` × its selection.
 *
 * Refusals are GraphQL errors with `extensions.code` VALIDATION and a `reason` (COST, ALIASES, DEPTH,
 * INTROSPECTION, AUTH_REPEATED, CONTROL_CHARACTER); a COST refusal names `cost` and `maxCost`. A
 * document over the token limit fails to parse: VALIDATION with graphql-js's message.
 */
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import {
  getNamedType,
  getOperationAST,
  GraphQLError,
  isInputObjectType,
  isLeafType,
  Kind,
  NoSchemaIntrospectionCustomRule,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { fieldExtensionsEstimator, getComplexity, type ComplexityEstimator } from "graphql-query-complexity";

export interface GraphQLLimits {
  /** Most aliases in one operation (fragments included). */
  maxAliases: number;
  /** Deepest field nesting (fragments flattened; the introspection query's `__schema` is not counted). */
  maxDepth: number;
  /** Most lexical tokens in one document. */
  maxTokens: number;
  /** Highest cost of one operation (see the cost model above). */
  maxCost: number;
  /**
   * Whether introspection (`__schema`, `__type`) is answered to anonymous callers; signed-in users and
   * partner keys always get it (`introspectionRefusal`).
   */
  introspection: boolean;
}

/** The `reason` of a VALIDATION refusal, one per limit (listed in the partner docs at /docs). */
export const REFUSAL_REASONS = ["COST", "ALIASES", "DEPTH", "INTROSPECTION", "AUTH_REPEATED", "CONTROL_CHARACTER"] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** A document refused before execution; formatError passes its extensions through as they are. */
export class RefusedDocumentError extends GraphQLError {
  constructor(reason: RefusalReason, message: string, details: Record<string, string | number> = {}, nodes?: readonly ASTNode[]) {
    super(message, { nodes, extensions: { code: "VALIDATION", reason, ...details } });
    this.name = "RefusedDocumentError";
  }
}

export type DocumentCheck = { ok: true; cost: number } | { ok: false; errors: RefusedDocumentError[] };

/** Options for graphql-js's `parse` on every path: the token limit. */
export function parseOptions(limits: GraphQLLimits): ParseOptions {
  return { maxTokens: limits.maxTokens };
}

/** What is known about one document once: its static refusals and the costs computed so far. */
interface Analysis {
  schema: GraphQLSchema;
  limits: GraphQLLimits;
  refusals: RefusedDocumentError[];
  /** The refusal of this document for a caller who may not introspect; null when it does not introspect. */
  introspection: RefusedDocumentError | null;
  /** The variables that reach an argument or directive the cost depends on (sorted by name). */
  costVariables: CostVariable[];
  /** Per operation name and the values of `costVariables`: the cost. */
  costs: Map<string, number>;
}

/** Costs kept per document for distinct page sizes (`first: 10`, `first: 20`, ...); the oldest go first. */
const MAX_COSTS_PER_DOCUMENT = 64;

const analyses = new WeakMap<DocumentNode, Analysis>();

/**
 * Checks a parsed, schema-valid document and its variables against the limits: `{ ok, cost }`, or the
 * refusals (every limit it breaks). Nothing has run yet either way; the caller executes only on `ok`.
 */
export function checkDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
  limits: GraphQLLimits,
): DocumentCheck {
  const analysis = analysisOf(schema, document, limits);
  const errors = analysis.refusals.length === 0 ? [] : [...analysis.refusals];
  if (variables) {
    const found = controlCharacterIn(variables, "");
    if (found !== null) {
      errors.push(new RefusedDocumentError("CONTROL_CHARACTER", `variable ${found.path} contains a control character (U+${found.code})`, { field: found.path }));
    }
  }
  const cost = costOf(analysis, document, variables ?? {}, operationName ?? undefined);
  if (cost === null) {
    errors.push(new RefusedDocumentError("COST", `the query has more fields than can be costed once its fragments are spread (over ${MAX_COSTED_NODES})`, { maxCost: limits.maxCost }));
  } else if (cost > limits.maxCost) {
    errors.push(
      new RefusedDocumentError("COST", `query cost ${cost} exceeds the maximum of ${limits.maxCost}; ask for fewer items or fields`, {
        cost,
        maxCost: limits.maxCost,
      }),
    );
  }
  return errors.length === 0 && cost !== null ? { ok: true, cost } : { ok: false, errors };
}

function analysisOf(schema: GraphQLSchema, document: DocumentNode, limits: GraphQLLimits): Analysis {
  let analysis = analyses.get(document);
  if (!analysis || analysis.schema !== schema || analysis.limits !== limits) {
    analysis = analyse(schema, document, limits);
    analyses.set(document, analysis);
  }
  return analysis;
}

/**
 * Introspection for this caller, once it is known (after `checkDocument`, before execution, on every
 * transport): null to go ahead, or the refusal (VALIDATION, reason INTROSPECTION) of an anonymous
 * caller's introspection when `limits.introspection` is off. Partners and signed-in users read the
 * schema in production too: they are who the schema is documented for, and a key or an account is
 * accountable; anonymous traffic is who would map the API for abuse.
 */
export function introspectionRefusal(schema: GraphQLSchema, document: DocumentNode, limits: GraphQLLimits, authenticated: boolean): RefusedDocumentError | null {
  if (limits.introspection || authenticated) return null;
  return analysisOf(schema, document, limits).introspection;
}

function analyse(schema: GraphQLSchema, document: DocumentNode, limits: GraphQLLimits): Analysis {
  const report =
    (reason: RefusalReason, details: Record<string, number>) =>
    (context: ValidationContext | null, error: GraphQLError): void =>
      context?.reportError(new RefusedDocumentError(reason, error.message.replace(/^Syntax Error: /, ""), details));
  const rules: ValidationRule[] = [
    // propagateOnRejection would throw out of validate(); reporting keeps every refusal in the answer.
    maxAliasesRule({ n: limits.maxAliases, allowList: [], propagateOnRejection: false, onReject: [report("ALIASES", { maxAliases: limits.maxAliases })] }),
    maxDepthRule({
      n: limits.maxDepth,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [report("DEPTH", { maxDepth: limits.maxDepth })],
    }),
    OneSignInPerOperationRule,
    NoControlCharactersInLiteralsRule,
    // Always run: whether the document introspects is known once, and refused per caller.
    NoSchemaIntrospectionCustomRule,
  ];
  const errors = validate(schema, document, rules);
  const refusals = errors.filter((error): error is RefusedDocumentError => error instanceof RefusedDocumentError);
  // The introspection rule reports every introspection field; one refusal says it.
  const introspecting = errors.find((error) => !(error instanceof RefusedDocumentError));
  const introspection = introspecting ? new RefusedDocumentError("INTROSPECTION", introspecting.message, {}, introspecting.nodes) : null;
  return { schema, limits, refusals, introspection, costVariables: variablesReachingCost(schema, document), costs: new Map() };
}

/** Selections graphql-query-complexity walks at most (its own default); a document beyond it is refused. */
const MAX_COSTED_NODES = 10_000;

/** Query cost (null: too many selections to cost); kept per operation and values of the variables that change it. */
function costOf(analysis: Analysis, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined): number | null {
  let key = operationName ?? "";
  for (const { name, onlyFirst } of analysis.costVariables) {
    const value = variables[name];
    const part = onlyFirst && value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>).first : value;
    key += `\u0000${JSON.stringify(part) ?? ""}`;
  }
  const known = analysis.costs.get(key);
  if (known !== undefined) return known;
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0; // execution answers "unknown operation" without running anything
  let cost: number;
  try {
    cost = getComplexity({
      schema: analysis.schema,
      query: document,
      variables,
      operationName: operation.name?.value,
      estimators: ESTIMATORS,
      maxQueryNodes: MAX_COSTED_NODES,
    });
  } catch (error) {
    // More selections than are costed (fragments spread into fragments): refused. Variables that do
    // not coerce (graphql-js's own coercion, as execution's): execution refuses them before anything
    // runs, with its usual error. Anything else is a bug and is not waved through.
    if (!(error instanceof GraphQLError)) throw error;
    return /maximum allowed number of nodes/.test(error.message) ? null : 0;
  }
  if (analysis.costs.size >= MAX_COSTS_PER_DOCUMENT) analysis.costs.delete(analysis.costs.keys().next().value!);
  analysis.costs.set(key, cost);
  return cost;
}

/** `first` of a field, or of its `input` (searchEvents); null when the field takes no page size. */
function pageSize(args: Record<string, unknown>): number | null {
  const input = args.input;
  const first = typeof args.first === "number" ? args.first : input && typeof input === "object" ? (input as Record<string, unknown>).first : undefined;
  return typeof first === "number" && first > 0 ? first : null;
}

function declaredCost(field: GraphQLField<unknown, unknown>): number | null {
  const declared = field.extensions?.complexity;
  return typeof declared === "number" ? declared : null;
}

/** A page costs its own plus `first` × its selection. */
const pagedEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const size = pageSize(args);
  if (size === null) return undefined;
  return (declaredCost(field) ?? 1) + size * childComplexity;
};

/** Leaves (scalars, enums and lists of them) are read with their object: 0. Objects: 1. */
const shapeEstimator: ComplexityEstimator = ({ field, childComplexity }) =>
  (isLeafType(getNamedType(field.type)) ? 0 : 1) + childComplexity;

const ESTIMATORS: ComplexityEstimator[] = [pagedEstimator, fieldExtensionsEstimator(), shapeEstimator];

/**
 * The cost of one operation by the model above, uncached: what the partner docs (/docs) print for
 * their examples, so the figures there are the gate's own. Throws a GraphQLError for variables that
 * do not coerce.
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string): number {
  return getComplexity({ schema, query: document, variables, operationName, estimators: ESTIMATORS, maxQueryNodes: MAX_COSTED_NODES });
}

/** A variable the cost can change with, and whether only its `first` does (see variablesReachingCost). */
interface CostVariable {
  name: string;
  onlyFirst: boolean;
}

/**
 * The variables the cost can change with: those inside the arguments of a field that takes a page size
 * (directly or in an input object) or inside `@skip`/`@include`. Any other variable only chooses what
 * is read, not how much, so the hold mutation's cost is computed once for all its requests.
 *
 * A variable given whole as the `input` of such a field (`searchEvents(input: $input)`), and used
 * nowhere else the cost can see, changes the cost only through its `first` (pageSize below; the field
 * declares no cost function that could read the rest), so only `first` keys the cost: a search is
 * costed once per page size instead of once per text and point (costing took ~50 µs of API CPU per
 * search request in a profile at 100,000 events). Variables that do not coerce may then meet a known
 * cost instead of costing 0 and being refused by execution; either way nothing runs.
 */
function variablesReachingCost(schema: GraphQLSchema, document: DocumentNode): CostVariable[] {
  const typeInfo = new TypeInfo(schema);
  const whole = new Set<string>();
  const firstOnly = new Set<string>();
  const collect = (node: ASTNode) => visit(node, { Variable: (variable) => void whole.add(variable.name.value) });
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field || !node.arguments?.length) return;
        const paged = field.args.some((arg) => {
          const type = getNamedType(arg.type);
          return arg.name === "first" || (isInputObjectType(type) && "first" in type.getFields());
        });
        if (!paged) return;
        const costedByFirstOnly = typeof field.extensions?.complexity !== "function" && !field.args.some((arg) => arg.name === "first");
        for (const argument of node.arguments) {
          const type = getNamedType(field.args.find((arg) => arg.name === argument.name.value)?.type);
          if (costedByFirstOnly && argument.name.value === "input" && argument.value.kind === Kind.VARIABLE && isInputObjectType(type) && "first" in type.getFields()) {
            firstOnly.add(argument.value.name.value);
          } else {
            collect(argument);
          }
        }
      },
      Directive(node) {
        if (node.name.value === "skip" || node.name.value === "include") collect(node);
      },
    }),
  );
  return [...new Set([...whole, ...firstOnly])].sort().map((name) => ({ name, onlyFirst: !whole.has(name) }));
}

const SIGN_IN_FIELDS = ["login", "register"] as const;

/**
 * At most one `login` and one `register` per operation: each alias would be one more password attempt
 * that a per-request rate limit does not see. Counted by response key, as execution merges fields.
 */
function OneSignInPerOperationRule(context: ValidationContext) {
  return {
    OperationDefinition(operation: OperationDefinitionNode) {
      if (operation.operation !== "mutation") return;
      const keys = new Map<string, Set<string>>();
      collectRootFields(context, operation.selectionSet, keys, new Set());
      for (const name of SIGN_IN_FIELDS) {
        const count = keys.get(name)?.size ?? 0;
        if (count > 1) {
          context.reportError(
            new RefusedDocumentError("AUTH_REPEATED", `at most one ${name} per request; this one has ${count}`, { field: name }, [operation]),
          );
        }
      }
    },
  };
}

function collectRootFields(context: ValidationContext, selectionSet: SelectionSetNode, keys: Map<string, Set<string>>, seen: Set<string>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (!keys.has(name)) keys.set(name, new Set());
      keys.get(name)!.add(selection.alias?.value ?? name);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectRootFields(context, selection.selectionSet, keys, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) collectRootFields(context, fragment.selectionSet, keys, seen);
    }
  }
}

/**
 * C0 control characters other than tab, line feed and carriage return. NUL is refused by PostgreSQL
 * (an INTERNAL_SERVER_ERROR before this gate); the others have no place in names, emails, keys or
 * search text and only hide text in logs and terminals. Tab and line breaks stay: multi-line text is
 * legitimate. DEL (U+007F) and everything above U+009F are ordinary text to PostgreSQL.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

function NoControlCharactersInLiteralsRule(context: ValidationContext) {
  return {
    StringValue(node: { value: string } & ASTNode) {
      const match = CONTROL_CHARACTER.exec(node.value);
      if (match) {
        context.reportError(new RefusedDocumentError("CONTROL_CHARACTER", `a string contains a control character (U+${codeOf(match[0])})`, {}, [node]));
      }
    },
  };
}

/** The first string with a control character in a variable value, with its path (`input.name`, `ids.2`). */
function controlCharacterIn(value: unknown, path: string): { path: string; code: string } | null {
  if (typeof value === "string") {
    const match = CONTROL_CHARACTER.exec(value);
    return match ? { path, code: codeOf(match[0]) } : null;
  }
  if (value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = controlCharacterIn(value[index], `${path}.${index}`);
      if (found) return found;
    }
    return null;
  }
  for (const key in value) {
    const found = controlCharacterIn((value as Record<string, unknown>)[key], path === "" ? key : `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

function codeOf(character: string): string {
  return character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
}
