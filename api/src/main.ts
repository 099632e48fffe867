/** Starts one API process: HTTP + WebSocket GraphQL on PORT (default 4000). */
import { createApp } from "./context.js";
import { loadConfig } from "./platform/config.js";
import { startServer } from "./server.js";

const config = loadConfig();
const app = createApp(config);
const server = await startServer(app, config.port, config.host);
app.logger.info({ url: server.url }, "api listening");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  app.logger.info({ signal }, "shutting down");
  await server.stop();
  await app.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
