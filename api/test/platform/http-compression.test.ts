/**
 * Compression of HTTP answers (platform/http-compression.ts): an answer over 1 KB comes back as br or
 * gzip, as the client asked, on both GraphQL lanes (the direct lane for POST, Apollo for GET) and on
 * /docs, and decodes to exactly what an uncompressed request gets; a small answer is sent as it is;
 * graphql-ws never negotiates compression.
 *
 * Requests go through node:http, which (unlike fetch) leaves the body as it came off the wire.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { THRESHOLD_BYTES } from "../../src/platform/http-compression.js";
import { createEvent, createOrganization, createVenue } from "../support/factories.js";
import { startTestApi, type TestApi } from "../support/test-api.js";

const SEAT_MAP = `query SeatMap($eventId: ID!) { event(id: $eventId) { id seatMap { sectionId seatIds rows numbers x y statuses } } }`;
const EVENT_ID = `query Event($eventId: ID!) { event(id: $eventId) { id } }`;

let api: TestApi;
let eventId: string;

beforeAll(async () => {
  api = await startTestApi();
  const pool = api.app.db.pool;
  // 2 sections × 10 rows × 20 seats: a seat map of some 16 KB of JSON, mostly seat ids.
  const venue = await createVenue(pool, { seated: [{ rows: 10, seatsPerRow: 20 }, { rows: 10, seatsPerRow: 20 }] });
  eventId = await createEvent(pool, venue, { organizationId: await createOrganization(pool) });
});
afterAll(() => api.stop());

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as sent on the wire. */
  wire: Buffer;
  /** The body decoded according to Content-Encoding. */
  text: string;
}

/** One request through node:http (no decoding on the way); `encoding` is the Accept-Encoding sent, if any. */
function send(method: "GET" | "POST", path: string, encoding: string | null, body?: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const url = new URL(path, api.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method,
        headers: {
          ...(body ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {}),
          ...(encoding ? { "accept-encoding": encoding } : {}),
          ...headers,
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const wire = Buffer.concat(chunks);
          const coding = incoming.headers["content-encoding"];
          const decoded = coding === "br" ? brotliDecompressSync(wire) : coding === "gzip" ? gunzipSync(wire) : wire;
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, wire, text: decoded.toString("utf8") });
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const post = (query: string, variables: Record<string, unknown>, encoding: string | null) =>
  send("POST", "/graphql", encoding, JSON.stringify({ query, variables }));
/** GET /graphql is Apollo's (the direct lane takes only POST); the header passes Apollo's CSRF check. */
const get = (query: string, variables: Record<string, unknown>, encoding: string | null) =>
  send("GET", `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables))}`, encoding, undefined, {
    "apollo-require-preflight": "true",
  });

describe("compressed HTTP answers", () => {
  it.each([
    ["the direct lane (POST)", post],
    ["Apollo (GET)", get],
  ])("%s: a seat map comes back as br or gzip, as asked, and decodes to the same JSON", async (_lane, ask) => {
    const plain = await ask(SEAT_MAP, { eventId }, null);
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const json = JSON.parse(plain.text) as { data: { event: { seatMap: { seatIds: string[] }[] } } };
    expect(json.data.event.seatMap.flatMap((section) => section.seatIds)).toHaveLength(400);
    expect(plain.wire.length).toBeGreaterThan(10 * THRESHOLD_BYTES);

    for (const [accepted, expected] of [
      ["gzip", "gzip"],
      ["br", "br"],
      // What browsers send: brotli is preferred.
      ["gzip, deflate, br, zstd", "br"],
    ] as const) {
      const answer = await ask(SEAT_MAP, { eventId }, accepted);
      expect(answer.status).toBe(200);
      expect(answer.headers["content-encoding"]).toBe(expected);
      expect(answer.headers["content-type"]).toMatch(/^application\/(graphql-response\+)?json/);
      expect(answer.headers["vary"]).toMatch(/accept-encoding/i);
      // The length of the compressed body is unknown when headers leave: no stale Content-Length.
      expect(answer.headers["content-length"]).toBeUndefined();
      expect(JSON.parse(answer.text)).toEqual(json);
      // 400 random UUIDs compress poorly; the rest of the JSON well.
      expect(answer.wire.length).toBeLessThan(plain.wire.length * 0.75);
    }
  });

  it.each([
    ["the direct lane (POST)", post],
    ["Apollo (GET)", get],
  ])("%s: an answer under 1 KB is sent uncompressed, with its length", async (_lane, ask) => {
    const answer = await ask(EVENT_ID, { eventId }, "gzip, deflate, br");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-encoding"]).toBeUndefined();
    expect(Number(answer.headers["content-length"])).toBe(answer.wire.length);
    expect(answer.wire.length).toBeLessThan(THRESHOLD_BYTES);
    expect(JSON.parse(answer.text)).toEqual({ data: { event: { id: eventId } } });
  });

  it("compresses the partner docs (/docs) and keeps their headers", async () => {
    const plain = await send("GET", "/docs", null);
    const answer = await send("GET", "/docs", "br;q=1, gzip;q=0.5");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-encoding"]).toBe("br");
    expect(answer.headers["content-security-policy"]).toBe(plain.headers["content-security-policy"]);
    expect(answer.text).toBe(plain.text);
    expect(answer.wire.length).toBeLessThan(plain.wire.length / 3);
  });

  it("never compresses graphql-ws: a client offering permessage-deflate gets a plain socket", async () => {
    const socket = new WebSocket(api.url.replace(/^http/, "ws"), "graphql-transport-ws", { perMessageDeflate: true });
    let answered: string | undefined = "(no upgrade)";
    socket.once("upgrade", (response) => (answered = response.headers["sec-websocket-extensions"]));
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    expect(answered).toBeUndefined();
    expect(socket.extensions).toBe("");
    socket.close();
  });
});
