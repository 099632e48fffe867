/**
 * A front end built as production builds it, into a temporary directory, for the build tests.
 * The test run's global setup builds the front ends the browser tests serve, but under vitest
 * (NODE_ENV=test), which Vite takes for a development build: React's development bundle, and
 * `import.meta.env.DEV` true (the storefront's demo accounts, which the browser tests use). Sizes and
 * source maps are judged on what `npm run build` makes, so NODE_ENV is "production" for this build
 * (this test file's worker alone; restored afterwards).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface ProductionBuild {
  /** The output directory, ending in "/". */
  dist: string;
  remove(): void;
}

export async function productionBuild(part: "storefront" | "admin"): Promise<ProductionBuild> {
  const root = fileURLToPath(new URL(`../${part}/`, import.meta.url));
  const dist = `${mkdtempSync(join(tmpdir(), `boxoffice-${part}-build-`))}/`;
  const { build } = await import("vite");
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ root, configFile: `${root}vite.config.ts`, mode: "production", logLevel: "warn", build: { outDir: dist, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = saved;
  }
  return { dist, remove: () => rmSync(dist, { recursive: true, force: true }) };
}

/** A source map reference as bundlers write it (`//# sourceMappingURL=` or its CSS comment form). */
export const SOURCE_MAP_COMMENT = /\/[/*][#@] sourceMappingURL=/;
