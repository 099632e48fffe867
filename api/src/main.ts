/**
 * Starts the API: HTTP + WebSocket GraphQL on PORT (default 4000). With WORKERS=n (n > 1) this process
 * only supervises n API processes (node:cluster) that share the port: one per core lets the API use
 * every core. Each worker is a complete API process, as several processes behind a load balancer
 * are (sweepers, schedulers and reconcilers already coordinate across processes through PostgreSQL
 * and Redis).
 */
import cluster from "node:cluster";
import { createApp } from "./context.js";
import { loadConfig } from "./platform/config.js";
import { createLogger } from "./platform/logger.js";
import { startServer } from "./server.js";

// Graceful: stop accepting, drain HTTP and WebSocket clients, close pools. Bounded, so a stuck
// client can never keep a stopped process alive.
const SHUTDOWN_DEADLINE_MS = 10_000;
/** A worker that dies this soon after starting is not restarted (a crash loop, e.g. bad configuration). */
const MIN_WORKER_LIFE_MS = 5_000;

const config = loadConfig();
if (config.workers > 1 && cluster.isPrimary) await supervise(config.workers);
else await serve();

async function serve(): Promise<void> {
  const app = createApp(config);
  const server = await startServer(app, config.port, config.host);
  app.logger.info({ url: server.url, worker: cluster.isWorker ? cluster.worker?.id : undefined }, "api listening");

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, "shutting down");
    setTimeout(() => {
      app.logger.error("shutdown did not finish in time; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await server.stop();
    await app.close();
    process.exit(0);
  }
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

async function supervise(workers: number): Promise<void> {
  const logger = createLogger(config.logLevel);
  let stopping = false;
  let failed = false;
  const startedAt = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
  };
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
      return;
    }
    if (lived < MIN_WORKER_LIFE_MS) {
      logger.error({ worker: worker.id, code, signal }, "api worker died while starting; stopping");
      failed = true;
      void stop("worker failed");
      return;
    }
    logger.error({ worker: worker.id, code, signal }, "api worker died; starting another");
    fork();
  });
  for (let index = 0; index < workers; index++) fork();
  logger.info({ workers, port: config.port }, "api workers starting");

  async function stop(reason: string) {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "stopping api workers");
    // Each worker drains and exits on its own deadline; this one only bounds the wait for all of them.
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS + 2_000).unref();
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) process.exit(failed ? 1 : 0);
    for (const worker of alive) worker?.process.kill("SIGTERM");
  }
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}
