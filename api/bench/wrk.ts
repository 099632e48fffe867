/**
 * Load from wrk (C, one thread) for bench:queue and bench:search: the requests are written to a file
 * that wrk-requests.lua turns into raw HTTP requests before the run starts, so a request costs wrk far
 * less CPU than autocannon on the same shared cores (~40 µs against ~60–250 µs per request here).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface WrkResult {
  requests: number;
  seconds: number;
  errors: number;
  non2xx: number;
  /** Latency percentiles and maximum, ms. */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** A request for wrk: the bearer token (none: "") and the JSON body, POSTed to the URL. */
export interface WrkRequest {
  token: string;
  body: string;
}

/**
 * `concurrency` connections for `seconds`, each request picked at random from `requests`, or
 * `inOrder`: each sent once in turn (joins, one per fan).
 */
export async function wrkLoad(url: string, requests: readonly WrkRequest[], options: { concurrency: number; seconds: number; inOrder?: boolean }): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), "bench-wrk-"));
  try {
    const file = join(dir, "requests.txt");
    writeFileSync(file, requests.map((request) => `${request.token}\t${request.body}\n`).join(""));
    const script = fileURLToPath(new URL("wrk-requests.lua", import.meta.url));
    const args = ["-t", "1", "-c", String(options.concurrency), "-d", `${options.seconds}s`, "--timeout", "10s", "-s", script, url];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn("wrk", args, {
        env: { ...process.env, BENCH_WRK_BODIES: file, BENCH_WRK_IN_ORDER: options.inOrder ? "1" : "0" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`wrk exited with code ${code}:\n${stdout}`))));
    });
    const line = /BENCH_WRK_RESULT (.*)/.exec(output)?.[1];
    if (!line) throw new Error(`could not read wrk's output:\n${output}`);
    const parsed = JSON.parse(line) as { requests: number; durationMicros: number; transportErrors: number; non2xx: number; timeouts: number; p50: number; p90: number; p99: number; p999: number; max: number };
    return { ...parsed, seconds: parsed.durationMicros / 1e6, errors: parsed.transportErrors + parsed.timeouts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
