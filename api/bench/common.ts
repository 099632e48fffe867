/** Shared by the benchmarks: fan tokens, and an API process started and stopped by the benchmark itself. */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import { API_NODE_FLAGS } from "../node-flags.mjs";

/** This api/ directory, or BENCH_API_DIR: another checkout's api/ (its code runs under this harness, for A/B runs). */
const API_DIR = process.env.BENCH_API_DIR ?? fileURLToPath(new URL("..", import.meta.url));

/** Bearer tokens for the given fans, signed with the secret the benchmark's API process gets. */
export async function signTokens(secret: string, userIds: readonly string[], step: (message: string) => void): Promise<string[]> {
  const key = new TextEncoder().encode(secret);
  const tokens: string[] = [];
  for (const [index, userId] of userIds.entries()) {
    tokens.push(
      await new SignJWT({ role: "FAN", org: null })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(userId)
        .setIssuer("boxoffice")
        .setAudience("boxoffice-api")
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(key),
    );
    if (index % 50_000 === 49_999) step(`signed ${index + 1} tokens`);
  }
  return tokens;
}

/** Sorts the latencies (ms) and reads percentiles off them. */
export function percentiles(latencies: number[]): { count: number; p50: number; p95: number; p99: number } {
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { count: latencies.length, p50: at(50), p95: at(95), p99: at(99) };
}

export interface StartedApi {
  url: string;
  child: ChildProcess;
  prefix: string;
}

export async function startApi(options: { port: number; databaseUrl: string; redisUrl: string; secret: string; env?: Record<string, string> }): Promise<StartedApi> {
  const prefix = `bench:${randomBytes(3).toString("hex")}:`;
  // The API's production flags, then BENCH_API_NODE_ARGS: extra ones, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = [...API_NODE_FLAGS, ...(process.env.BENCH_API_NODE_ARGS ?? "").split(" ").filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, ...apiEntry()], {
    cwd: API_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: prefix,
      AUTH_TOKEN_SECRET: options.secret,
      // Production refuses to start without these; the benchmark never charges or signs tickets.
      STRIPE_SECRET_KEY: "sk_test_benchmark_not_used",
      TICKET_SIGNING_KEY: process.env.TICKET_SIGNING_KEY ?? BENCH_TICKET_KEY,
      DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? "24",
      PORT: String(options.port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  // Compiling the TypeScript at start takes 20-30 s on a loaded 2-core machine.
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode} while starting`);
    const healthy = await fetch(`http://127.0.0.1:${options.port}/healthz`).then((response) => response.ok, () => false);
    if (healthy) return { url: `http://127.0.0.1:${options.port}/graphql`, child, prefix };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill("SIGKILL");
  throw new Error("the API did not become healthy within 90 s");
}

/**
 * What the API process runs. "source" (the default): src/main.ts through tsx, so a benchmark needs no
 * build. tsx compiles with esbuild's keepNames, which wraps every function and closure the code creates
 * in `__name(fn, "name")` (an Object.defineProperty on each new closure, per call): the hot paths then
 * allocate and run more than the tsc output production runs (`npm start`: dist/main.js). BENCH_API_ENTRY=dist
 * runs that build instead (`npm run build -w @boxoffice/db -w @boxoffice/search-indexer -w @boxoffice/pricing-engine -w @boxoffice/api` first).
 */
function apiEntry(): string[] {
  const entry = process.env.BENCH_API_ENTRY ?? "source";
  if (entry === "source") return ["--conditions=source", "--import", "tsx", "src/main.ts"];
  if (entry !== "dist") throw new Error(`BENCH_API_ENTRY must be "source" or "dist", not ${entry}`);
  if (!existsSync(join(API_DIR, "dist", "main.js"))) throw new Error(`BENCH_API_ENTRY=dist: ${API_DIR}/dist/main.js is missing; build it and the packages it imports (npm run build -w @boxoffice/db -w @boxoffice/search-indexer -w @boxoffice/pricing-engine -w @boxoffice/api)`);
  return ["dist/main.js"];
}

export async function stopApi(api: StartedApi): Promise<void> {
  if (api.child.exitCode !== null) return;
  const exited = new Promise((resolve) => api.child.once("exit", resolve));
  api.child.kill("SIGTERM");
  const timer = setTimeout(() => api.child.kill("SIGKILL"), 12_000);
  await exited;
  clearTimeout(timer);
}

/** A throwaway Ed25519 key (PKCS#8 PEM) generated per benchmark run. */
const BENCH_TICKET_KEY = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
