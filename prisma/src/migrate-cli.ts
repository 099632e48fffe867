import { DEFAULT_DATABASE_URL } from "./connection.js";
import { ensureDatabase, migrate } from "./migrate.js";

const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const created = await ensureDatabase(databaseUrl);
if (created) process.stdout.write(`created database ${new URL(databaseUrl).pathname.slice(1)}\n`);
const result = await migrate(databaseUrl);
for (const name of result.applied) process.stdout.write(`applied ${name}\n`);
process.stdout.write(
  `migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already up to date\n`,
);
