/**
 * Lanes of POST /graphql (platform/http-graphql.ts): a root query field whose answer the handler writes
 * itself, without graphql-jit's execution, when the operation is a flat read of that field. What an
 * operation must look like to be taken is decided once per kept document (`lanePlan`); per request,
 * `laneAnswer` checks the variables, asks the lane for the field's object and prints the selected
 * fields. Whatever the lane cannot answer exactly as the general path would, it leaves to it (null).
 */
import {
  getNamedType,
  getNullableType,
  isLeafType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * A root query field whose answer the handler writes itself, without graphql-jit's execution, when an
 * operation selects only that field and, below it, only scalar and enum fields (named or inline
 * fragments of the field's own type included; see `lanePlan`). The flash crowd's poll (queueStatus)
 * is this: the lane skips the compiled query's promise chain, its result objects and the generic
 * JSON.stringify of them. `resolve` returns the field's object, or null to have the operation run the
 * general way with the same context (an error, an outage, a caller the lane does not serve), so
 * every answer but the plain one stays exactly the general path's.
 */
export interface FlatQueryLane<TContext> {
  resolve(context: TContext, args: Record<string, string>): Promise<Record<string, unknown> | null>;
}

/**
 * How one operation is answered by a lane, worked out once per kept document. The answer is written
 * as the general path would print it: `{"data":{"<key>":{"<key>":<value>,…}}}`, fields in the order
 * graphql-js collects them, each value through its type's `serialize` and JSON.stringify.
 */
export interface LanePlan<TContext> {
  lane: FlatQueryLane<TContext>;
  /** The operation's variables: each `String!` or `ID!` without default, so any string is its coerced value. */
  variables: string[];
  /** The root field's arguments: a literal string, or the variable that gives it. */
  args: { name: string; literal: string | null; variable: string | null }[];
  /** The root field's response key, and `{"data":{"<root key>":{` */
  rootKey: string;
  head: string;
  fields: LaneField[];
}

interface LaneField {
  responseKey: string;
  /** `"<response key>":` (a GraphQL name never needs escaping, but it goes through JSON.stringify anyway). */
  key: string;
  /** The property of the lane's object. */
  name: string;
  /** The field's scalar or enum serialization; null for `__typename`, whose value is `typename` (printed: `typenameJson`). */
  serialize: ((value: unknown) => unknown) | null;
  typename: string;
  typenameJson: string;
  nonNull: boolean;
}

/**
 * The lane plan of an operation, or null when the general path must run it. Taken: a query without
 * directives whose variables are all `String!` or `ID!` without default (a string is then its own
 * coerced value, and anything else is a request error the general path answers), selecting one root
 * field that has a lane, with literal-string or variable arguments and an object type below it, whose
 * selection is scalar and enum fields without arguments or directives, `__typename`, and fragments
 * (named or inline) on that same type. Fields are kept in graphql-js's collection order: first
 * occurrence of each response key (validation has made repeated keys the same field).
 */
export function lanePlan<TContext>(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  lanes: Record<string, FlatQueryLane<TContext>>,
): LanePlan<TContext> | null {
  if (operation.operation !== "query" || operation.directives?.length) return null;
  const variables: string[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const type = definition.type;
    if (definition.defaultValue || definition.directives?.length || type.kind !== Kind.NON_NULL_TYPE || type.type.kind !== Kind.NAMED_TYPE) return null;
    if (type.type.name.value !== "String" && type.type.name.value !== "ID") return null;
    variables.push(definition.variable.name.value);
  }
  const roots = operation.selectionSet.selections;
  const root = roots[0];
  if (roots.length !== 1 || root?.kind !== Kind.FIELD || root.directives?.length || !root.selectionSet) return null;
  const lane = Object.hasOwn(lanes, root.name.value) ? lanes[root.name.value] : undefined;
  const definition = schema.getQueryType()?.getFields()[root.name.value];
  if (!lane || !definition) return null;
  const args: LanePlan<TContext>["args"] = [];
  for (const argument of root.arguments ?? []) {
    const value = argument.value;
    if (value.kind === Kind.STRING) args.push({ name: argument.name.value, literal: value.value, variable: null });
    else if (value.kind === Kind.VARIABLE) args.push({ name: argument.name.value, literal: null, variable: value.name.value });
    else return null;
  }
  const type = getNullableType(definition.type);
  if (!isObjectType(type)) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const node of document.definitions) if (node.kind === Kind.FRAGMENT_DEFINITION) fragments.set(node.name.value, node);
  const fields = new Map<string, LaneField>();
  if (!collectLaneFields(type, root.selectionSet, fragments, fields)) return null;
  const rootKey = (root.alias ?? root.name).value;
  return { lane, variables, args, rootKey, head: `{"data":{${JSON.stringify(rootKey)}:{`, fields: [...fields.values()] };
}

/** Adds a flat selection's fields to `fields`; false when something in it is not for a lane. */
function collectLaneFields(type: GraphQLObjectType, selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, fields: Map<string, LaneField>): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.directives?.length) return false;
    if (selection.kind === Kind.FIELD) {
      const responseKey = (selection.alias ?? selection.name).value;
      if (selection.arguments?.length || selection.selectionSet) return false;
      if (fields.has(responseKey)) continue;
      const key = `${JSON.stringify(responseKey)}:`;
      if (selection.name.value === "__typename") {
        fields.set(responseKey, { responseKey, key, name: "__typename", serialize: null, typename: type.name, typenameJson: JSON.stringify(type.name), nonNull: true });
        continue;
      }
      const field = type.getFields()[selection.name.value];
      if (!field) return false;
      const leaf = getNullableType(field.type);
      if (!isLeafType(leaf) || getNamedType(field.type) !== leaf) return false; // (a list is neither)
      fields.set(responseKey, { responseKey, key, name: field.name, serialize: (value) => leaf.serialize(value), typename: "", typenameJson: "", nonNull: isNonNullType(field.type) });
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (!fragment || fragment.directives?.length) return false;
      if (fragment.typeCondition && fragment.typeCondition.name.value !== type.name) return false;
      if (!collectLaneFields(type, fragment.selectionSet, fragments, fields)) return false;
    }
  }
  return true;
}

/**
 * The lane's answer, and its data as the general path's result holds it (serialized values: what
 * `settle` counts), or null when the general path must answer: a
 * variable that is not a string (a request error the general path words), the lane declining or throwing, a
 * non-null field without a value or a value its type does not serialize (a field error).
 */
export async function laneAnswer<TContext>(
  plan: LanePlan<TContext>,
  context: TContext,
  variables: Record<string, unknown> | null | undefined,
): Promise<{ json: string; data: Record<string, unknown> } | null> {
  for (const name of plan.variables) if (typeof variables?.[name] !== "string") return null;
  const args: Record<string, string> = {};
  for (const arg of plan.args) args[arg.name] = arg.literal ?? (variables![arg.variable!] as string);
  let value: Record<string, unknown> | null;
  try {
    value = await plan.lane.resolve(context, args);
  } catch {
    return null; // An outage: the general path runs the field again and answers with its formatted error.
  }
  if (value === null) return null;
  let json = plan.head;
  const selected: Record<string, unknown> = {};
  for (let index = 0; index < plan.fields.length; index++) {
    const field = plan.fields[index]!;
    let printed: string;
    if (field.serialize === null) {
      printed = field.typenameJson;
      selected[field.responseKey] = field.typename;
    } else {
      const raw = value[field.name];
      if (raw === null || raw === undefined) {
        if (field.nonNull) return null;
        printed = "null";
        selected[field.responseKey] = null;
      } else {
        let serialized: unknown;
        try {
          serialized = field.serialize(raw);
        } catch {
          return null;
        }
        if (serialized === undefined) return null;
        printed = JSON.stringify(serialized);
        selected[field.responseKey] = serialized;
      }
    }
    json += index === 0 ? field.key + printed : `,${field.key}${printed}`;
  }
  json += "}}}";
  return { json, data: { [plan.rootKey]: selected } };
}
