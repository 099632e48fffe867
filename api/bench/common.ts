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
  const entry = await serviceEntry();
  // The API's production flags, then BENCH_API_NODE_ARGS: extra ones, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = [...API_NODE_FLAGS, ...(process.env.BENCH_API_NODE_ARGS ?? "").split(" ").filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
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
  // Through tsx (BENCH_API_ENTRY=source), compiling the TypeScript at start takes 20-30 s on a loaded 2-core machine.
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
 * What the API process (and bench:search's search-indexer: packageDir) runs. "dist" (the default): the
 * tsc build `npm start` runs (dist/main.js), built by the benchmark before its first process starts
 * (`npm run build` of the API and the packages it imports, ~15 s), so a figure always measures the
 * checkout's code as production runs it.
 * BENCH_API_BUILD=off skips that build and runs the dist/ already there.
 *
 * "source": src/main.ts through tsx, no build, and not what production runs: tsx compiles with esbuild's
 * keepNames, which wraps every function and closure created at run time in `__name(fn, "name")` (an
 * Object.defineProperty on each new closure, per call), ~11% more allocation per queueStatus
 * (performance-history.md, "Waiting room: where the time goes").
 */
export async function serviceEntry(packageDir: string = API_DIR): Promise<string[]> {
  const entry = process.env.BENCH_API_ENTRY ?? "dist";
  if (entry === "source") return ["--conditions=source", "--import", "tsx", "src/main.ts"];
  if (entry !== "dist") throw new Error(`BENCH_API_ENTRY must be "dist" or "source", not ${entry}`);
  await buildApi();
  if (!existsSync(join(packageDir, "dist", "main.js"))) throw new Error(`${packageDir}/dist/main.js is missing: run the benchmark without BENCH_API_BUILD=off, or build it (${BUILD_COMMAND.join(" ")})`);
  return ["dist/main.js"];
}

/** What production's `npm start` needs built: the API and the workspace packages it imports. */
const BUILD_COMMAND = ["npm", "run", "build", "-w", "@boxoffice/db", "-w", "@boxoffice/search-indexer", "-w", "@boxoffice/pricing-engine", "-w", "@boxoffice/api"];
let built: Promise<void> | null = null;

/** Builds the API's dist/ once per benchmark run (BENCH_API_ENTRY=dist, unless BENCH_API_BUILD=off). */
function buildApi(): Promise<void> {
  if (process.env.BENCH_API_BUILD === "off") return Promise.resolve();
  built ??= new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const root = join(API_DIR, "..");
    console.log(`bench: building the API as npm start runs it (${BUILD_COMMAND.join(" ")} in ${root})`);
    const build = spawn(BUILD_COMMAND[0]!, BUILD_COMMAND.slice(1), { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    build.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    build.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    build.once("error", reject);
    build.once("exit", (code) => {
      if (code === 0) {
        console.log(`bench: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve();
      } else reject(new Error(`building the API failed (exit ${code}):\n${output.slice(-4_000)}`));
    });
  });
  return built;
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
