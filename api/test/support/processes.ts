/**
 * Real processes for crash and outage tests: an API process (killed with SIGKILL, as a power cut
 * would), a private redis-server (killed and restarted mid-sale) and a private PostgreSQL server
 * (crashed and restarted). All listen on 127.0.0.1 only.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "@boxoffice/db/migrate";

const API_DIR = fileURLToPath(new URL("../..", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Polls `check` every 50 ms until it is true (errors count as false); throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

export interface ChildApi {
  url: string;
  child: ChildProcess;
  /** Resolves with the signal (or exit code) the process ended with. */
  exited: Promise<string>;
  output: () => string;
  kill(): Promise<void>;
}

/** Starts `api/src/main.ts` as its own process with the given configuration. */
export async function startChildApi(env: Record<string, string>): Promise<ChildApi> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "src/main.ts"], {
    cwd: API_DIR,
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", PORT: String(port), HOST: "127.0.0.1", ELASTICSEARCH_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? String(code))));
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await waitFor("child API", async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 30_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
  return {
    url,
    child,
    exited,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Starts the search indexer (`search-indexer/src/main.ts`) as its own process; resolves once it runs. */
export async function startSearchIndexer(env: Record<string, string>): Promise<{ output: () => string; kill(): Promise<void> }> {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "src/main.ts"], {
    cwd: fileURLToPath(new URL("../../../search-indexer/", import.meta.url)),
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitFor("search indexer", async () => output.includes("search indexer running"), 30_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
  return {
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export interface PrivateRedis {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SIGKILL: no save, every key is gone (persistence is off). */
  kill(): Promise<void>;
}

/** A redis-server of our own on a free port, without persistence, so a restart loses everything. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const ping = async () => {
    const { Redis } = await import("ioredis");
    const client = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined); // refused until the server is up: that is what we poll for
    try {
      await client.connect();
      return (await client.ping()) === "PONG";
    } finally {
      client.disconnect();
    }
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      await waitFor("redis-server", ping, 10_000);
    },
    async kill() {
      if (!child) return;
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      child = null;
    },
  };
}

export interface PrivatePostgres {
  /** The server's `postgres` database (the superuser is `root`, trusted). */
  url: string;
  port: number;
  /** Immediate shutdown (SIGQUIT): no checkpoint, and WAL still in PostgreSQL's buffers is lost, as in a crash. */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  remove(): Promise<void>;
}

const run = promisify(execFile);

/** The newest installed PostgreSQL's programs (Debian keeps them out of PATH). */
function postgresBin(program: string): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const path = join(root, version, "bin", program);
    if (existsSync(path)) return path;
  }
  return program;
}

/**
 * A PostgreSQL cluster of our own (initdb into a temporary directory) on a free port, so a test can
 * crash and restart it without touching the shared server. PostgreSQL refuses to run as root, so as
 * root it runs as the `postgres` account. `settings` are extra `-c` options. fsync is off: the crashes
 * here are PostgreSQL's, not the machine's, and WAL handed to the kernel survives them either way; what
 * a crash loses is WAL still in PostgreSQL's own buffers (asynchronous commits).
 */
/** A migrated database of its own on a private server (dropped with the server, so `drop` does nothing). */
export async function migratedDatabaseOn(server: PrivatePostgres, namePrefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${namePrefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = server.url.replace(/\/postgres$/, `/${name}`);
  await migrate(url);
  return { name, url, drop: async () => undefined };
}

export async function privatePostgres(settings: Record<string, string> = {}): Promise<PrivatePostgres> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), "boxoffice-pg-"));
  const asRoot = userInfo().uid === 0;
  const postgresUser = asRoot ? await run("id", ["-u", "postgres"]).then(({ stdout }) => Number(stdout.trim())) : null;
  const groupId = asRoot ? await run("id", ["-g", "postgres"]).then(({ stdout }) => Number(stdout.trim())) : null;
  if (postgresUser !== null && groupId !== null) chownSync(directory, postgresUser, groupId);
  const data = join(directory, "data");
  const as = (program: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", postgresBin(program), ...args]) : run(postgresBin(program), args);
  await as("initdb", ["-D", data, "-U", "root", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const options = Object.entries({ listen_addresses: "127.0.0.1", unix_socket_directories: directory, fsync: "off", ...settings })
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(" ");
  const start = async () => {
    await as("pg_ctl", ["-D", data, "-l", join(directory, "log"), "-o", `-p ${port} ${options}`, "-w", "-t", "60", "start"]);
  };
  await start();
  return {
    url: `postgresql://root@127.0.0.1:${port}/postgres`,
    port,
    start,
    async crash() {
      await as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    },
    async remove() {
      await as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
