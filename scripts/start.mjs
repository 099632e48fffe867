// `npm start`: installs what is missing, migrates and seeds the database, builds and starts every
// part that exists, each as its own process (the API, the pricing engine, the search indexer when
// ELASTICSEARCH_URL is set, the storefront, the admin console), and prints the URLs. Ctrl-C stops
// everything it started.
import { spawn } from "node:child_process";
import { API_NODE_FLAGS } from "../api/node-flags.mjs";
import { root, ensureInstalled, ensurePrismaClient, preflight, run } from "./steps.mjs";

const port = process.env.PORT ?? "4000";
const storefrontPort = process.env.STOREFRONT_PORT ?? "5173";
const adminPort = process.env.ADMIN_PORT ?? "5174";
ensureInstalled();
preflight();
ensurePrismaClient();
run("applying database migrations", "npm", ["run", "migrate", "--silent", "-w", "@boxoffice/db"]);
run("seeding development data", "npm", ["run", "seed", "--silent", "-w", "@boxoffice/db"]);
const searchIndexer = Boolean(process.env.ELASTICSEARCH_URL);
run("building", "npm", ["run", "build", "--silent", "-w", "@boxoffice/db", "-w", "@boxoffice/search-indexer", "-w", "@boxoffice/pricing-engine", "-w", "@boxoffice/api", "-w", "@boxoffice/storefront", "-w", "@boxoffice/admin"]);

const parts = [
  { name: "api", args: [...API_NODE_FLAGS, "api/dist/main.js"], env: { PORT: port, STOREFRONT_URL: `http://127.0.0.1:${storefrontPort}` } },
  { name: "pricing-engine", args: ["pricing-engine/dist/main.js"], env: {} },
  ...(searchIndexer ? [{ name: "search-indexer", args: ["search-indexer/dist/main.js"], env: {} }] : []),
  {
    name: "storefront",
    args: ["node_modules/vite/bin/vite.js", "preview", "storefront", "--config", "storefront/vite.config.ts"],
    env: { API_URL: `http://127.0.0.1:${port}`, STOREFRONT_PORT: storefrontPort },
  },
  {
    name: "admin",
    args: ["node_modules/vite/bin/vite.js", "preview", "admin", "--config", "admin/vite.config.ts"],
    env: { API_URL: `http://127.0.0.1:${port}`, ADMIN_PORT: adminPort },
  },
];
const children = parts.map((part) => {
  const child = spawn(process.execPath, part.args, { cwd: root, stdio: "inherit", env: { ...process.env, ...part.env } });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`✗ ${part.name} stopped (${signal ?? `exit ${code}`}); stopping the rest`);
      stop(code || 1);
    }
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

console.log(`
Boxoffice is running:
  Storefront (buy tickets here)     http://127.0.0.1:${storefrontPort}/
  Admin console (promoters)         http://127.0.0.1:${adminPort}/
  GraphQL API (HTTP and WebSocket)  http://127.0.0.1:${port}/graphql
  Health check                      http://127.0.0.1:${port}/healthz
  Pricing engine                    re-prices dynamically priced sections every minute (PRICING_INTERVAL_MS)
  Search                            ${searchIndexer ? `Elasticsearch (${process.env.ELASTICSEARCH_URL}), kept current by the search-indexer process` : "PostgreSQL (set ELASTICSEARCH_URL for Elasticsearch; npm run es:start prints one)"}
Development accounts (password): fan@boxoffice.test (fan-password), promoter@boxoffice.test
(promoter-password), admin@boxoffice.test (admin-password). Test card: 4242 4242 4242 4242, any future
expiry, any CVC (the checkout page lists the others). Ctrl-C stops.
`);
