import { createPool, DEFAULT_DATABASE_URL } from "../connection.js";
import { seed } from "./seed.js";

const pool = createPool(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, { applicationName: "boxoffice-seed" });
const started = Date.now();
try {
  const summary = await seed(pool, { onProgress: (message) => process.stdout.write(`  seed: ${message}\n`) });
  process.stdout.write(
    `seed: done in ${Date.now() - started} ms — ${summary.venuesCreated.length} venues and ` +
      `${summary.eventsCreated.length} events created (${summary.seatsCreated} seats); existing data left as it was\n`,
  );
} finally {
  await pool.end();
}
