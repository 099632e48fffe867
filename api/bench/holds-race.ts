/**
 * BENCH_MODE=race of npm run bench:holds: the flash on-sale's first instant. 2,000 fans (BENCH_RACE_FANS)
 * want 100 seats (BENCH_RACE_SEATS, one row of the bench venue, an event of their own per round); each
 * fan asks for one seat (seeded, 20 fans per seat) through the public HTTP API. Every fan has its own
 * keep-alive connection, opened and used once (GET /healthz) before the round, so the round measures
 * the API and not TCP handshakes or the listen backlog; then every request is written at once (one
 * write per socket, in one synchronous loop) and each fan's time runs from its own write to the last
 * byte of its answer.
 *
 * After each round the outcome is checked on data, in PostgreSQL: every seat HELD by exactly one live
 * hold, as many live holds as seats, each winner's hold the one PostgreSQL has for its seat, every
 * loser told SEAT_UNAVAILABLE, and no seat in two live holds. A round that fails a check fails the run.
 *
 * The raw baselines of the same run: the same connections, all at once, asking GET /healthz (the API's
 * HTTP server and event loop alone, no GraphQL, Redis or PostgreSQL); and the very same hold requests
 * sent the same way to a bare node:http server in a process of its own that reads each body and
 * answers a constant (rawServer below): what the HTTP stack, the kernel's loopback and this client
 * cost on these cores before any of the API's code runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connect, type Socket } from "node:net";
import type pg from "pg";
import { percentiles } from "./common.js";

const HOLD = `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id } errors { code } } }`;

export interface RaceRound {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  held: number;
  /** The raw baseline: GET /healthz from every connection at once. */
  healthP50: number;
  healthP99: number;
  /** The bare node:http server's answers to the same requests (rawServer), when one was given. */
  rawP50: number | null;
  rawP99: number | null;
  /** process.hrtime of the race's first write and last answer (ns): where to cut an API CPU profile. */
  raceStartedAt: bigint;
  raceEndedAt: bigint;
}

/** One HTTP/1.1 answer read off a keep-alive socket: its body, once complete (content-length or chunked). */
function readResponse(socket: Socket): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let buffer: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      const headerEnd = buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const head = buffer.subarray(0, headerEnd).toString("latin1");
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      let body: string | null = null;
      if (length) {
        const end = headerEnd + 4 + Number(length[1]);
        if (buffer.length >= end) body = buffer.subarray(headerEnd + 4, end).toString("utf8");
      } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        if (buffer.subarray(buffer.length - 5).toString("latin1") === "0\r\n\r\n") body = dechunk(buffer.subarray(headerEnd + 4));
      } else {
        reject(new Error(`an answer without a length: ${head}`));
      }
      if (body === null) return;
      socket.off("data", onData);
      socket.off("error", reject);
      resolve({ status, body });
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
}

function dechunk(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf("\r\n", at);
    const size = parseInt(raw.subarray(at, lineEnd).toString("latin1"), 16);
    if (!size) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts).toString("utf8");
}

/**
 * Opens `count` connections (a few hundred at a time: the listen backlog is finite) and uses each once;
 * with several API ports (BENCH_API_PROCESSES), fan i connects to port i mod n, as a load balancer
 * spreading connections would.
 */
async function openConnections(ports: readonly number[], count: number): Promise<{ sockets: Socket[] }> {
  const portOf = Array.from({ length: count }, (_, fan) => ports[fan % ports.length]!);
  const sockets: Socket[] = [];
  for (let start = 0; start < count; start += 200) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(200, count - start) }, (_, offset) => new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: "127.0.0.1", port: portOf[start + offset]!, noDelay: true }, () => resolve(socket));
        socket.once("error", reject);
      })),
    );
    sockets.push(...opened);
  }
  await fireAll(sockets.map((_, fan) => health(portOf[fan]!)), sockets);
  return { sockets };
}

function health(port: number): Buffer {
  return Buffer.from(`GET /healthz HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: keep-alive\r\n\r\n`);
}

/** Writes every request at once, one per socket; each socket's time from its write to its whole answer (ms). */
async function fireAll(requests: Buffer[], sockets: Socket[]): Promise<{ ms: number; status: number; body: string }[]> {
  const answers = sockets.map((socket) => readResponse(socket));
  const sentAt = new Array<number>(sockets.length);
  for (let index = 0; index < sockets.length; index++) {
    sentAt[index] = performance.now();
    sockets[index]!.write(requests[index]!);
  }
  return Promise.all(answers.map(async (answer, index) => {
    const { status, body } = await answer;
    return { ms: performance.now() - sentAt[index]!, status, body };
  }));
}

function holdRequest(port: number, token: string, eventId: string, seatId: string): Buffer {
  const body = JSON.stringify({ query: HOLD, variables: { input: { eventId, seatIds: [seatId] } } });
  return Buffer.from(
    `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: keep-alive\r\ncontent-type: application/json\r\n` +
      `authorization: Bearer ${token}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * A bare node:http server in a process of its own (as the API is), answering every request with the
 * same small JSON once its body is read: the floor any HTTP API meets in this harness on these cores.
 */
export async function startRawServer(port: number, answer = '{"data":{"holdSeats":{"hold":null,"errors":[{"code":"SEAT_UNAVAILABLE"}]}}}'): Promise<ChildProcess> {
  const source = `
    const body = ${JSON.stringify(answer)};
    require("node:http").createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
        response.end(body);
      });
    }).listen(${port}, "127.0.0.1", () => process.send("listening"));`;
  const child = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`the raw HTTP server exited with code ${code}`)));
  });
  return child;
}

/** The same requests as the race, fired the same way at the bare server: each one's time (ms). */
async function rawRound(port: number, requests: Buffer[]): Promise<{ p50: number; p99: number }> {
  const { sockets } = await openConnections([port], requests.length);
  try {
    const answers = await fireAll(requests, sockets);
    const { p50, p99 } = percentiles(answers.map((answer) => answer.ms));
    return { p50, p99 };
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

/** A fresh on-sale event of the bench venue with only `seats` seats for sale (the first row of its first section). */
export async function createRaceEvent(pool: pg.Pool, venueEventId: string, seats: number, round: number): Promise<{ eventId: string; seatIds: string[] }> {
  const { rows: event } = await pool.query<{ id: string }>(
    `INSERT INTO events (slug, name, artist, category, status, venue_id, organization_id, starts_at, on_sale_at, max_seats_per_user, allow_single_seat_gaps)
     SELECT 'bench-race-' || $2 || '-' || substr(md5(random()::text), 1, 8), 'Bench Race ' || $2, 'The Benchmarks', 'CONCERT', 'ON_SALE', e.venue_id,
            e.organization_id, now() + interval '30 days', now() - interval '1 hour', 4, true
     FROM events e WHERE e.id = $1 RETURNING id`,
    [venueEventId, round],
  );
  const eventId = event[0]!.id;
  await pool.query(
    `INSERT INTO event_sections (event_id, section_id, price_minor, price_floor_minor, price_ceiling_minor, capacity)
     SELECT $1, section_id, price_minor, price_floor_minor, price_ceiling_minor, capacity FROM event_sections WHERE event_id = $2`,
    [eventId, venueEventId],
  );
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO event_seats (event_id, seat_id, section_id)
     SELECT $1, s.id, s.section_id FROM seats s JOIN seat_rows r ON r.id = s.row_id JOIN sections sec ON sec.id = s.section_id
     WHERE sec.venue_id = (SELECT venue_id FROM events WHERE id = $1)
     ORDER BY sec.sort_order, r.sort_order, s.number LIMIT $2
     RETURNING seat_id AS id`,
    [eventId, seats],
  );
  return { eventId, seatIds: rows.map((row) => row.id) };
}

/** Deterministic shuffle (mulberry32), so every run and both versions race the same requests. */
function seatOrder(fans: number, seats: number, seed: number): number[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const order = Array.from({ length: fans }, (_, index) => index % seats);
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}

/**
 * One round: a fresh event, every fan's connection opened, the healthz baseline, then the race; checked
 * on data. Throws when a check fails.
 */
export async function raceRound(
  pool: pg.Pool,
  options: {
    ports: readonly number[];
    venueEventId: string;
    tokens: readonly string[];
    userIds: readonly string[];
    seats: number;
    round: number;
    beforeRace?: () => void;
    /** The bare server's port (startRawServer): the same requests are sent to it first. */
    rawPort?: number;
  },
): Promise<RaceRound> {
  const { ports, tokens, userIds, seats, round } = options;
  const fans = tokens.length;
  const { eventId, seatIds } = await createRaceEvent(pool, options.venueEventId, seats, round);
  const order = seatOrder(fans, seats, 20261203 + round);
  const portOf = (fan: number) => ports[fan % ports.length]!;
  const requests = order.map((seat, fan) => holdRequest(portOf(fan), tokens[fan]!, eventId, seatIds[seat]!));
  const raw = options.rawPort === undefined ? null : await rawRound(options.rawPort, requests);
  const { sockets } = await openConnections(ports, fans);
  try {
    const healthAnswers = await fireAll(sockets.map((_, fan) => health(portOf(fan))), sockets);
    const healthTimes = percentiles(healthAnswers.map((answer) => answer.ms));
    options.beforeRace?.();
    const raceStartedAt = process.hrtime.bigint();
    const answers = await fireAll(requests, sockets);
    const raceEndedAt = process.hrtime.bigint();

    const winners = new Map<string, { userId: string; holdId: string }>();
    const problems: string[] = [];
    answers.forEach((answer, fan) => {
      const body = JSON.parse(answer.body) as { data?: { holdSeats?: { hold: { id: string } | null; errors: { code: string }[] } }; errors?: unknown };
      const payload = body.data?.holdSeats;
      if (answer.status !== 200 || !payload) return problems.push(`fan ${fan}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
      const seatId = seatIds[order[fan]!]!;
      if (payload.hold) {
        if (winners.has(seatId)) problems.push(`seat ${seatId} won twice`);
        winners.set(seatId, { userId: userIds[fan]!, holdId: payload.hold.id });
      } else if (payload.errors[0]?.code !== "SEAT_UNAVAILABLE") {
        problems.push(`fan ${fan}: ${JSON.stringify(payload.errors)}`);
      }
    });
    const { rows } = await pool.query<{ seatId: string; status: string; holdId: string | null; holderUserId: string | null; liveHolds: number }>(
      `SELECT es.seat_id AS "seatId", es.status, es.hold_id AS "holdId", es.holder_user_id AS "holderUserId",
              (SELECT count(*)::int FROM hold_lines l JOIN holds h ON h.id = l.hold_id
               WHERE l.seat_id = es.seat_id AND h.event_id = es.event_id AND h.status = 'ACTIVE' AND h.expires_at > now()) AS "liveHolds"
       FROM event_seats es WHERE es.event_id = $1`,
      [eventId],
    );
    for (const row of rows) {
      const winner = winners.get(row.seatId);
      if (row.status !== "HELD") problems.push(`seat ${row.seatId} is ${row.status}, not HELD`);
      if (row.liveHolds !== 1) problems.push(`seat ${row.seatId} is in ${row.liveHolds} live holds`);
      if (!winner || winner.holdId !== row.holdId || winner.userId !== row.holderUserId) problems.push(`seat ${row.seatId}: PostgreSQL's hold ${row.holdId} is not the one its winner was told`);
    }
    const { rows: holds } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1 AND status = 'ACTIVE'`, [eventId]);
    if (rows.length !== seats || holds[0]!.n !== seats || winners.size !== seats) {
      problems.push(`${rows.length} seats, ${holds[0]!.n} live holds, ${winners.size} winners; expected ${seats} of each`);
    }
    if (problems.length > 0) throw new Error(`race round ${round} failed its checks:\n${problems.slice(0, 20).join("\n")}`);
    const times = answers.map((answer) => answer.ms);
    const { p50, p95, p99 } = percentiles(times);
    return { p50, p95, p99, max: times[times.length - 1]!, held: winners.size, healthP50: healthTimes.p50,
      healthP99: healthTimes.p99,
      rawP50: raw?.p50 ?? null,
      rawP99: raw?.p99 ?? null,
      raceStartedAt,
      raceEndedAt,
    };
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}
