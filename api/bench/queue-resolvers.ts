/**
 * CPU per joinWaitingRoom and queueStatus execution, with and without the direct resolvers
 * (waiting-room.resolver.ts), alternated in one process: each document compiled by graphql-jit as the
 * HTTP lane compiles it, run against real Redis with 64 in flight, `process.cpuUsage` per operation.
 * No HTTP and no token check, so the difference is the resolvers' alone, and the neighbours' load
 * weighs on both sides alike. BENCH_DATABASE_URL, REDIS_URL, BENCH_ROUNDS (12), BENCH_ROUND_SIZE (10000).
 *
 *   npm run bench:queue-resolvers
 */
import { randomUUID } from "node:crypto";
import { parse, type GraphQLSchema } from "graphql";
import { compileQuery, isCompiledQuery } from "graphql-jit";
import { ensureDatabase, migrate } from "@boxoffice/db/migrate";
import { createApp } from "../src/context.js";
import { loadConfig } from "../src/platform/config.js";
import { createContext } from "../src/request-context.js";
import { createSchema } from "../src/schema.js";
import { createEvent, createOrganization, createVenue } from "../test/support/factories.js";

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice_bench";
await ensureDatabase(DATABASE_URL);
await migrate(DATABASE_URL);
const PREFIX = `bench-resolvers:${randomUUID().slice(0, 6)}:`;
// The room admits nothing by itself (no scheduler tick), and every join comes from one address.
const config = loadConfig({
  ...process.env,
  DATABASE_URL,
  NODE_ENV: "test",
  REDIS_KEY_PREFIX: PREFIX,
  LOG_LEVEL: "warn",
  WAITING_ROOM_TICK_MS: "0",
  WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: "100000000",
  ELASTICSEARCH_URL: "",
  SESSION_REFRESH_MS: "0",
  WEBHOOK_POLL_MS: "0",
  PARTNER_ANNOUNCE_INTERVAL_MS: "0",
  RECONCILE_INTERVAL_MS: "0",
  OUTBOX_POLL_INTERVAL_MS: "0",
  HOLD_SWEEP_INTERVAL_MS: "0",
});
const app = createApp(config);
const pool = app.db.pool;
const organizationId = await createOrganization(pool);
const venue = await createVenue(pool, { seated: [], generalAdmission: [100_000] });
const eventId = await createEvent(pool, venue, { organizationId, onSaleAt: new Date(Date.now() - 60_000), allowSingleSeatGaps: true });
await pool.query(`UPDATE events SET waiting_room_enabled = true WHERE id = $1`, [eventId]);
const direct = await createSchema(app.pubsub);
const general = await createSchema(app.pubsub, { direct: false });
const JOIN = parse(`mutation($eventId: ID!) { joinWaitingRoom(eventId: $eventId) { ticket { queueToken position } errors { code } } }`);
const STATUS = parse(`query($eventId: ID!, $queueToken: String!) { queueStatus(eventId: $eventId, queueToken: $queueToken) { position estimatedWaitSeconds } }`);
function compile(schema: GraphQLSchema, document: typeof JOIN) {
  const query = compileQuery(schema, document);
  if (!isCompiledQuery(query)) throw new Error("graphql-jit could not compile the document");
  return query;
}
const lanes = { direct: { join: compile(direct, JOIN), status: compile(direct, STATUS) }, general: { join: compile(general, JOIN), status: compile(general, STATUS) } };
const tokens: string[] = [];
async function round(kind: "join" | "status", lane: "direct" | "general", count: number) {
  const query = lanes[lane][kind];
  let next = 0;
  const before = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < count) {
      next++;
      const ctx = await createContext(app, undefined, "127.0.0.1");
      if (kind === "join") {
        ctx.viewer = { id: randomUUID(), role: "FAN", organizationId: null };
        const result = await query.query(undefined, ctx, { eventId }) as { data: { joinWaitingRoom: { ticket: { queueToken: string } } } };
        tokens.push(result.data.joinWaitingRoom.ticket.queueToken);
      } else {
        const result = await query.query(undefined, ctx, { eventId, queueToken: tokens[Math.floor(Math.random() * tokens.length)] }) as { data: unknown };
        if (!result.data) throw new Error(`queueStatus failed: ${JSON.stringify(result)}`);
      }
    }
  }));
  const cpu = process.cpuUsage(before);
  return { cpu: (cpu.user + cpu.system) / count, wall: Number(process.hrtime.bigint() - started) / 1000 / count };
}
const N = Number(process.env.BENCH_ROUND_SIZE ?? 10_000);
// Warm-up (not counted): every path compiled and optimized before the first measured round.
for (const lane of ["general", "direct"] as const) for (const kind of ["join", "status"] as const) await round(kind, lane, 2_000);
const results: Record<string, number[]> = {};
for (let r = 0; r < Number(process.env.BENCH_ROUNDS ?? 12); r++) {
  for (const lane of (r % 2 === 0 ? ["general", "direct"] : ["direct", "general"]) as ("direct" | "general")[]) {
    for (const kind of ["join", "status"] as const) {
      const { cpu } = await round(kind, lane, N);
      (results[`${kind} ${lane}`] ??= []).push(Math.round(cpu * 10) / 10);
    }
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
for (const [key, values] of Object.entries(results)) console.log(`${key}: CPU µs per operation ${values.join(" / ")} (median ${median(values)})`);
for await (const keys of app.redis.scanStream({ match: `${PREFIX}*`, count: 1_000 }) as AsyncIterable<string[]>) if (keys.length > 0) await app.redis.del(...keys);
await app.close();
process.exit(0);
