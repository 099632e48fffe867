/**
 * The graphql-ws lane of queuePositionChanged: a subscription document whose only root field is
 * queuePositionChanged is served by the fan-out (waiting-room.fan-out.ts) and rendered with its
 * operation compiled once by graphql-jit, instead of graphql-js subscribing and executing it for each
 * subscriber. Anything else — other subscriptions, a directive on the field, variables that do not
 * coerce, an eventId that is not an id — returns null and graphql-js runs it as before, so its
 * answers and errors stay the general path's.
 */
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  print,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { isId } from "../platform/graphql.js";
import type { QueueFanOut } from "./waiting-room.fan-out.js";

const FIELD = "queuePositionChanged";
/** Compiled documents kept (least recently added go first); clients send one or two shapes. */
const MAX_DOCUMENTS = 100;

export function createQueueSubscriptionLane(schema: GraphQLSchema, fanOut: QueueFanOut) {
  const compiled = new Map<string, { query: CompiledQuery; selectedFields: readonly string[] | null } | null>();
  const subscriptionType = schema.getSubscriptionType();
  const fieldDefinition = subscriptionType?.getFields()[FIELD];

  /** The fan-out's results for this subscription, or null when graphql-js should run it. */
  return function subscribe(args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> | null {
    if (!fieldDefinition) return null;
    const operation = getOperationAST(args.document, args.operationName);
    if (operation?.operation !== "subscription" || operation.selectionSet.selections.length !== 1) return null;
    const field = operation.selectionSet.selections[0]!;
    if (field.kind !== "Field" || field.name.value !== FIELD || (field.directives?.length ?? 0) > 0) return null;
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], (args.variableValues ?? {}) as Record<string, unknown>);
    if (variables.errors) return null;
    const { eventId, queueToken } = getArgumentValues(fieldDefinition, field, variables.coerced) as { eventId: string; queueToken: string };
    if (!isId(eventId)) return null;

    const documentKey = `${args.operationName ?? ""}\u0000${args.document.loc?.source.body ?? print(args.document)}`;
    let entry = compiled.get(documentKey);
    if (entry === undefined) {
      const result = compileQuery(schema, args.document, args.operationName ?? undefined);
      entry = isCompiledQuery(result) ? { query: result, selectedFields: plainFields(field) } : null;
      if (compiled.size >= MAX_DOCUMENTS) compiled.delete(compiled.keys().next().value!);
      compiled.set(documentKey, entry);
    }
    if (!entry) return null;
    const { query, selectedFields } = entry;
    const variableValues = args.variableValues ?? {};
    return fanOut.subscribe({
      eventId,
      queueToken,
      // Plain fields render from the view alone; with fragments or directives the variables may count too.
      documentKey: selectedFields ? documentKey : `${documentKey}\u0000${JSON.stringify(variableValues)}`,
      selectedFields,
      render: (root) => query.query(root, args.contextValue, variableValues) as Promise<ExecutionResult> | ExecutionResult,
    });
  };
}

/** The ticket fields selected, when the selection is plain fields only (no fragments or directives); else null. */
function plainFields(field: FieldNode): string[] | null {
  const names: string[] = [];
  for (const selection of field.selectionSet?.selections ?? []) {
    if (selection.kind !== "Field" || (selection.directives?.length ?? 0) > 0) return null;
    names.push(selection.name.value);
  }
  return names;
}
