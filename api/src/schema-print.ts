import { lexicographicSortSchema, printSchema } from "graphql";
import type { PubSub } from "type-graphql";
import { createSchema } from "./schema.js";

const NO_PUBSUB: PubSub = {
  publish: () => undefined,
  subscribe: () => {
    throw new Error("printing only");
  },
};

/** The SDL exactly as api/schema.graphql should contain it (sorted, so diffs stay small). */
export async function printSchemaWithDirectives(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await createSchema(NO_PUBSUB)))}\n`;
}
