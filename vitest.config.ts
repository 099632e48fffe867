import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      // One copy of graphql under Vite ("from another module or realm" otherwise).
      graphql: "graphql/index.js",
      // Workspace packages run from their TypeScript sources in tests, so no build step is needed
      // (these mirror the "source" condition of their package.json exports).
      "@boxoffice/db/client": source("./prisma/generated/client.ts"),
      "@boxoffice/db/connection": source("./prisma/src/connection.ts"),
      "@boxoffice/db/migrate": source("./prisma/src/migrate.ts"),
      "@boxoffice/db/outbox": source("./prisma/src/outbox.ts"),
      "@boxoffice/search-indexer/search-model": source("./search-indexer/src/search-model.ts"),
      "@boxoffice/search-indexer/elastic-query": source("./search-indexer/src/elastic-query.ts"),
      "@boxoffice/search-indexer/elastic-index": source("./search-indexer/src/elastic-index.ts"),
      "@boxoffice/search-indexer/indexer": source("./search-indexer/src/indexer.ts"),
      "@boxoffice/pricing-engine/redis-contract": source("./pricing-engine/src/redis-contract.ts"),
      "@boxoffice/api/seat-map": source("./api/src/admin/admin.seat-map.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    globalSetup: ["./test-support/global-setup.ts"],
    testTimeout: 30_000,
    // expect.poll waits up to 10 s (vitest's default is 1 s): browser and live-update checks poll for
    // what a page or another process shows, and on the loaded 2-core CI machine one stall of a renderer
    // or the event loop can outlast a second. A passing poll returns as soon as it passes.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
    // Files run in parallel; each gets its own database and Redis key prefix (test-support/).
    fileParallelism: true,
  },
});
