/** Starts one API process: HTTP + WebSocket GraphQL on PORT (default 4000). */
import { createApp } from "./context.js";
import { loadConfig } from "./platform/config.js";
import { startServer } from "./server.js";

const config = loadConfig();
const app = createApp(config);
const server = await startServer(app, config.port, config.host);
app.logger.info({ url: server.url }, "api listening");

// Graceful: stop accepting, drain HTTP and WebSocket clients, close pools. Bounded, so a stuck
// client can never keep a stopped process alive.
const SHUTDOWN_DEADLINE_MS = 10_000;
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
