import { writeFileSync } from "node:fs";
import { DEFAULT_DATABASE_URL } from "./connection.js";
import { dumpSchema, SCHEMA_FILE, withFreshlyMigratedDatabase } from "./schema-dump.js";

// The scratch database lives on the server of DATABASE_URL; that database itself is not read.
const schema = await withFreshlyMigratedDatabase(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, dumpSchema);
writeFileSync(SCHEMA_FILE, schema);
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
