/**
 * The seat map's size on the wire: the storefront's SeatMap query (storefront/src/modules/seat-map/seat-map-query.ts)
 * for the seeded arena's biggest on-sale event, asked three times through a real API server — without
 * Accept-Encoding, with gzip, with br — and the bytes each answer took, plus the time the server's
 * compression of that body costs (zlib on the raw body at the middleware's levels, platform/http-compression.ts).
 * For comparison, br is measured for the same query with x and y instead of xSteps and ySteps (what
 * the storefront asked before it took the compact positions) and with seatIds added to that (before it
 * named seats by section, row and number).
 * One measurement, not a load test: a few requests, seconds in all.
 *
 *   DATABASE_URL=…/boxoffice_<you> (migrated and seeded: npm run db:seed) \
 *     cd api && node --conditions=source --import tsx bench/seat-map-payload.ts
 *
 * Recorded in docs/PERFORMANCE.md ("Seat-map payload").
 */
import { request as httpRequest } from "node:http";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { createApp } from "../src/context.js";
import { loadConfig } from "../src/platform/config.js";
import { startServer } from "../src/server.js";

/** The storefront's query, field for field. */
const SEAT_MAP = `
  query SeatMap($eventId: ID!) {
    event(id: $eventId) {
      id
      seatMap {
        sectionId
        rows
        numbers
        xSteps
        ySteps
        statuses
        features
      }
    }
  }
`;
const FLOATS = SEAT_MAP.replace("xSteps\n        ySteps\n", "x\n        y\n");
const WITH_IDS = FLOATS.replace("sectionId\n", "sectionId\n        seatIds\n");
const GOAL_BYTES = 200 * 1024;

const app = createApp(
  loadConfig({
    ...process.env,
    LOG_LEVEL: "warn",
    // No background work while measuring.
    HOLD_SWEEP_INTERVAL_MS: "0",
    RECONCILE_INTERVAL_MS: "0",
    OUTBOX_POLL_INTERVAL_MS: "0",
    WAITING_ROOM_TICK_MS: "0",
    WEBHOOK_POLL_MS: "0",
  }),
);
const server = await startServer(app, 0);
try {
  const { rows } = await app.db.pool.query<{ id: string; name: string; seats: number }>(
    `SELECT e.id, e.name, count(*)::int AS seats
       FROM events e JOIN venues v ON v.id = e.venue_id JOIN event_seats s ON s.event_id = e.id
      WHERE v.slug = 'lakeshore-arena' AND e.status = 'ON_SALE'
      GROUP BY e.id, e.name ORDER BY seats DESC, e.name LIMIT 1`,
  );
  const event = rows[0];
  if (!event) throw new Error("no on-sale event at the seeded arena: run npm run db:seed first");
  const body = JSON.stringify({ query: SEAT_MAP, variables: { eventId: event.id }, operationName: "SeatMap" });
  // Once uncounted: the first request compiles the query.
  await ask(server.url, body, null);
  const raw = await ask(server.url, body, null);
  const gzip = await ask(server.url, body, "gzip");
  const br = await ask(server.url, body, "br");
  const floats = await ask(server.url, JSON.stringify({ query: FLOATS, variables: { eventId: event.id }, operationName: "SeatMap" }), "br");
  const withIds = await ask(server.url, JSON.stringify({ query: WITH_IDS, variables: { eventId: event.id }, operationName: "SeatMap" }), "br");
  const seats = (JSON.parse(raw.body.toString("utf8")) as { data: { event: { seatMap: { numbers: number[] }[] } } }).data.event.seatMap.reduce(
    (sum, section) => sum + section.numbers.length,
    0,
  );
  const gzipMs = timed(() => gzipSync(raw.body));
  const brMs = timed(() => brotliCompressSync(raw.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }));
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const line = (name: string, answer: Answer, ms?: number) =>
    `  ${name.padEnd(8)} ${kb(answer.wire).padStart(10)}  content-encoding ${answer.encoding ?? "(none)"}${ms === undefined ? "" : `, compressing takes ${ms.toFixed(1)} ms`}` +
    (answer.wire > GOAL_BYTES ? `  — ${kb(answer.wire - GOAL_BYTES)} over the 200 KB goal` : "  — within the 200 KB goal");
  process.stdout.write(
    `seat map of "${event.name}" (${seats} seats in ${event.seats} event seats), the storefront's SeatMap query:\n` +
      `${line("raw", raw)}\n${line("gzip", gzip, gzipMs)}\n${line("br", br, brMs)}\n` +
      `${line("br x,y", floats)}  (x and y as floats instead of xSteps and ySteps)\n` +
      `${line("br+ids", withIds)}  (x and y, and seatIds)\n`,
  );
} finally {
  await server.stop();
  await app.close();
}

interface Answer {
  wire: number;
  encoding: string | undefined;
  body: Buffer;
}

/** POST through node:http, which leaves the body as it came off the wire. */
function ask(url: string, body: string, encoding: string | null): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...(encoding ? { "accept-encoding": encoding } : {}) } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const received = Buffer.concat(chunks);
          resolve({ wire: received.length, encoding: incoming.headers["content-encoding"], body: received });
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** The median of five runs, in milliseconds. */
function timed(work: () => unknown): number {
  const runs: number[] = [];
  for (let index = 0; index < 5; index++) {
    const started = process.hrtime.bigint();
    work();
    runs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return runs.sort((a, b) => a - b)[2]!;
}
