/**
 * Compression of the API's HTTP answers (gzip or brotli, chosen from the request's Accept-Encoding) with
 * the `compression` middleware of the Express project, run in front of the Express routes (/docs, the
 * CSV exports, ...) and of Apollo's GraphQL answers; the direct GraphQL lane (platform/http-graphql.ts)
 * calls it only for an answer of THRESHOLD_BYTES or more, which it knows before writing.
 *
 * How it works, for a newcomer: the middleware replaces `write`, `end` and `writeHead` on the response
 * object before the route runs. When the route sends its headers it decides, once per response:
 * compress only a compressible type (JSON, HTML, CSV, ...) that is not marked `no-transform`, whose
 * body is at least THRESHOLD_BYTES (from Content-Length or the single `end()` chunk), to a client that
 * accepts br or gzip (br preferred). Then it drops Content-Length, sets Content-Encoding and
 * `Vary: Accept-Encoding`, and everything the route writes goes through a zlib stream whose output is
 * written to the socket; backpressure is kept (a full socket pauses the zlib stream, and `drain`
 * listeners are moved onto it), so the streamed CSV exports still read their cursor only as fast as
 * the download drains, and a dropped connection frees the zlib stream.
 *
 * Small answers (most GraphQL mutations: a hold, a checkout step) are sent as they are: compressing
 * a few hundred bytes saves nothing on the wire and costs a zlib stream. WebSocket traffic
 * (graphql-ws) never passes here: an upgrade is a separate event of the HTTP server, and the
 * WebSocketServer leaves permessage-deflate off (a per-socket compression context would cost memory
 * on every open subscription, for messages of a few hundred bytes).
 *
 * Levels: brotli at quality 4 (the middleware's default; 11 is for files compressed once, far too slow
 * per request) and gzip at zlib's default 6 — the trade measured on the seat map in docs/PERFORMANCE.md.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import compression from "compression";

/** Answers smaller than this go uncompressed (the task's "responses above 1 KB"). */
export const THRESHOLD_BYTES = 1024;

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * The middleware for the raw node:http request event (it touches only node's request and response).
 *
 * Its bookkeeping is not free even when it compresses nothing: on the hold path it cost ~74 µs of API
 * CPU per hold (BENCH_AB=HTTP_COMPRESSION=off npm run bench:holds, docs/PERFORMANCE.md), for answers
 * of a few hundred bytes. So a request whose client accepts neither br nor gzip (servers, load
 * generators) skips it entirely, and the direct GraphQL lane calls it only for large answers, so a
 * browser's hold (a few hundred bytes) no longer pays it either.
 */
export function responseCompression(): Middleware {
  const middleware = compression({ threshold: THRESHOLD_BYTES }) as unknown as Middleware;
  return (request, response, next) => {
    const accepted = request.headers["accept-encoding"];
    if (typeof accepted !== "string" || !/\b(br|gzip)\b/.test(accepted)) return next();
    middleware(request, response, next);
  };
}
