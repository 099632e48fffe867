// Steps shared by `npm start` and `npm test`. Node built-ins only: they run before `npm install`.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Runs a command with its output shown; exits with a clear message when it fails. */
export function run(title, command, args, options = {}) {
  const started = Date.now();
  console.log(`▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: process.env, ...options });
  if (result.status !== 0) {
    console.error(`✗ ${title} failed (${command} ${args.join(" ")}, exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  console.log(`✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const newer = (a, b) => !existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs;

/** npm ci when dependencies are missing or the lockfile changed since the last install. */
export function ensureInstalled({ tools = false } = {}) {
  if (newer(join(root, "package-lock.json"), join(root, "node_modules", ".package-lock.json"))) {
    run("installing dependencies (npm ci)", "npm", ["ci", "--no-audit", "--no-fund"]);
  }
  const toolsDir = join(root, "prisma", "tools");
  if (tools && newer(join(toolsDir, "package-lock.json"), join(toolsDir, "node_modules", ".package-lock.json"))) {
    run("installing Prisma 6 migration tools (drift check)", "npm", ["ci", "--no-audit", "--no-fund", "--prefix", toolsDir]);
  }
}

/** prisma generate when the client is missing or older than schema.prisma. */
export function ensurePrismaClient() {
  if (newer(join(root, "prisma", "schema.prisma"), join(root, "prisma", "generated", "client.ts"))) {
    run("generating the Prisma client", "node", ["scripts/prisma-generate.mjs"]);
  }
}

export function preflight() {
  run("checking PostgreSQL and Redis", "node", ["scripts/preflight.mjs"]);
}
