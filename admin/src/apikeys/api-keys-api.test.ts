/** The API-keys page's documents against api/schema.graphql. */
import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { API_KEY_DOCUMENTS } from "./api-keys-api";

describe("documents against api/schema.graphql", () => {
  const schema = buildSchema(readFileSync(new URL("../../../api/schema.graphql", import.meta.url), "utf8"));
  for (const [name, document] of Object.entries(API_KEY_DOCUMENTS)) {
    it(`${name} is valid`, () => expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]));
  }
});
