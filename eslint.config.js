import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "prisma/generated/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    // The storefront and the admin console run in the browser; hooks follow React's rules.
    files: ["storefront/src/**/*.{ts,tsx}", "admin/src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  {
    // Layering: only resolvers and GraphQL type files know GraphQL; no part reaches into another's src.
    files: ["api/src/**/*.ts"],
    ignores: ["api/src/**/*.resolver.ts", "api/src/**/*.types.ts", "api/src/**/*.subscriptions.ts", "api/src/schema*.ts", "api/src/server.ts", "api/src/platform/graphql.ts", "api/src/platform/pubsub.ts", "api/src/**/*.guard.ts", "api/src/context.ts", "api/src/main.ts", "api/src/print-schema.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "type-graphql", message: "Only *.resolver.ts and *.types.ts know GraphQL." }] }],
    },
  },
  {
    // The seat-map generator runs in the admin console's browser too (@boxoffice/api/seat-map).
    files: ["api/src/admin/admin.seat-map.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["*"], message: "The seat-map generator is shared with the browser: it imports nothing." }] }] },
  },
  {
    files: ["prisma/**/*.ts", "pricing-engine/**/*.ts", "search-indexer/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/api/src/**"], message: "Import shared leaf modules through package exports." }] }],
    },
  },
  {
    // Tests may use loose types for GraphQL responses; scripts talk to the terminal.
    files: ["**/test/**/*.ts", "**/*.test.ts", "test-support/**/*.ts", "storefront/e2e/**/*.{ts,mts}", "admin/e2e/**/*.{ts,mts}"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["scripts/**/*.mjs", "prisma/tools/**/*.mjs", "**/bench/**/*.{ts,mjs}", "**/*-cli.ts", "storefront/e2e/**/*.{ts,mts}", "admin/e2e/**/*.{ts,mts}"],
    rules: { "no-console": "off" },
  },
);
