import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    conditions: ["source"],
    // One copy of graphql under Vite ("from another module or realm" otherwise).
    alias: { graphql: "graphql/index.js" },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    globalSetup: ["./test-support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files run in parallel; each gets its own database and Redis key prefix (test-support/).
    fileParallelism: true,
    reporters: ["default"],
  },
});
