/** Writes the schema SDL to api/schema.graphql (committed; a test fails when it is stale). */
import { writeFileSync } from "node:fs";
import { printSchemaWithDirectives } from "./schema-print.js";

const path = new URL("../schema.graphql", import.meta.url);
writeFileSync(path, await printSchemaWithDirectives());
process.stdout.write(`wrote ${path.pathname}\n`);
