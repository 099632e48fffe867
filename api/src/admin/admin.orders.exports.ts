/**
 * CSV exports of an event's orders (one row per order) and attendees (one row per ticket), streamed.
 *
 * Authorization. A browser download (a link, `window.location`) cannot send an Authorization header,
 * and a bearer token in a URL would be a long-lived credential in browser history and server logs. So
 * the console first asks for a link (createEventExportLink, a GraphQL mutation with the usual bearer
 * token and organization check) and gets a URL carrying a download token that is:
 *   - short-lived (EXPORT_TOKEN_TTL_SECONDS), so a leaked URL stops working within minutes;
 *   - single-purpose: an HS256 JWT whose audience is "boxoffice-export" (the API's bearer verifier
 *     only accepts "boxoffice-api", and this one only "boxoffice-export", so neither token works as
 *     the other) and whose claims name the one event and the one export (a link to an event's orders
 *     downloads nothing else);
 *   - re-checked when used: the user is read again, so a promoter moved to another organization or
 *     demoted since the link was made is refused.
 * The token is signed with the API's token secret through fast-jwt, as bearer tokens are (auth.tokens.ts).
 *
 * Streaming. Rows come from PostgreSQL through a cursor (pg-query-stream: FETCH in batches of
 * CURSOR_BATCH rows) inside one read-only REPEATABLE READ transaction (one consistent snapshot), go
 * through csv-stringify and into the HTTP response with stream.pipeline, which carries backpressure
 * back to the cursor: a slow download reads the next batch only when the socket drained the last. The
 * process never holds more than a few batches, whatever the event's size (admin/orders-exports.test.ts
 * measures it on 100,000 rows). Each export keeps one pooled connection for its duration, so a process
 * runs at most MAX_CONCURRENT_EXPORTS at once; more get 429 with Retry-After. csv-stringify's
 * `escape_formulas` prefixes a quote to cells starting with = + - @ tab or CR (and their full-width
 * forms), so a buyer named "=HYPERLINK(...)" is text in a spreadsheet, not a formula.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { createSigner, createVerifier, TokenError } from "fast-jwt";
import type pg from "pg";
import QueryStream from "pg-query-stream";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import { withTransaction } from "../platform/db.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import type { Logger } from "../platform/logger.js";
import { recordAudit } from "./admin.audit.js";
import * as db from "./admin.orders.db.js";

export const EXPORT_KINDS = ["ORDERS", "ATTENDEES"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_TOKEN_TTL_SECONDS = 300;
/** Express route of the downloads; `file` is orders.csv or attendees.csv. */
export const EXPORT_ROUTE = "/admin/exports/events/:eventId/:file";
const MAX_CONCURRENT_EXPORTS = 2;
const CURSOR_BATCH = 500;

const AUDIENCE = "boxoffice-export";
const ISSUER = "boxoffice";
const FILES: Record<ExportKind, string> = { ORDERS: "orders.csv", ATTENDEES: "attendees.csv" };

interface ExportClaims {
  sub: string;
  evt: string;
  kind: ExportKind;
}

export interface ExportTokens {
  sign(claims: ExportClaims): string;
  /** The claims, or null for a forged, altered, expired or foreign (e.g. a bearer) token. */
  verify(token: string): ExportClaims | null;
}

export function createExportTokens(secret: string, ttlSeconds = EXPORT_TOKEN_TTL_SECONDS): ExportTokens {
  const signer = createSigner({ key: secret, algorithm: "HS256", iss: ISSUER, aud: AUDIENCE, expiresIn: ttlSeconds * 1000 });
  const verifier = createVerifier({ key: secret, algorithms: ["HS256"], allowedIss: ISSUER, allowedAud: AUDIENCE, requiredClaims: ["exp", "sub", "evt", "kind"] });
  return {
    sign: (claims) => signer({ ...claims }),
    verify(token) {
      let payload: Record<string, unknown>;
      try {
        payload = verifier(token) as Record<string, unknown>;
      } catch (error) {
        if (error instanceof TokenError) return null;
        throw error;
      }
      const kind = payload.kind as ExportKind;
      if (typeof payload.sub !== "string" || typeof payload.evt !== "string" || !EXPORT_KINDS.includes(kind)) return null;
      return { sub: payload.sub, evt: payload.evt, kind };
    },
  };
}

/** A download link: a path on the API's origin (the console forwards /admin/exports to it) and when it stops working. */
export interface ExportLink {
  url: string;
  expiresAt: Date;
}

/** A link to download one export of an event the viewer manages. */
export async function createExportLink(
  deps: { pool: pg.Pool; tokens: ExportTokens },
  viewer: Viewer,
  input: { eventId: string; kind: ExportKind },
): Promise<Result<ExportLink, "VALIDATION" | "NOT_FOUND" | "FORBIDDEN">> {
  if (!isId(input.eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  const eventId = input.eventId.toLowerCase();
  const event = await db.findExportEvent(deps.pool, eventId);
  if (!event) return fail("NOT_FOUND", "no such event", "eventId");
  if (!canManageOrganization(viewer, event.organizationId)) return fail("FORBIDDEN", "only the event's promoters may export its orders", "eventId");
  // Buyers' names and emails leave the system: who asked for which export is audited.
  await withTransaction(deps.pool, (tx) =>
    recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: event.organizationId,
      action: "event.export_link",
      entityType: "event",
      entityId: eventId,
      before: null,
      after: { kind: input.kind, expiresInSeconds: EXPORT_TOKEN_TTL_SECONDS },
    }),
  );
  const token = deps.tokens.sign({ sub: viewer.id, evt: eventId, kind: input.kind });
  return ok({
    url: `/admin/exports/events/${eventId}/${FILES[input.kind]}?token=${encodeURIComponent(token)}`,
    expiresAt: new Date(Date.now() + EXPORT_TOKEN_TTL_SECONDS * 1000),
  });
}

function refuse(response: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  response.end(body);
}

/** The GET handler of EXPORT_ROUTE (express: `request.params` and `request.query` are read). */
export function createExportHandler(deps: { pool: pg.Pool; tokens: ExportTokens; logger: Logger }) {
  let running = 0;
  type Request = IncomingMessage & { params: Record<string, string>; query: Record<string, unknown> };
  const handle = async (request: Request, response: ServerResponse): Promise<void> => {
    const { eventId, file } = request.params;
    const kind = EXPORT_KINDS.find((candidate) => FILES[candidate] === file);
    if (!kind || !eventId || !isId(eventId)) return refuse(response, 404, "no such export");
    const token = typeof request.query.token === "string" ? request.query.token : null;
    const claims = token ? deps.tokens.verify(token) : null;
    if (!claims) return refuse(response, 401, "the download link is invalid or has expired; export again from the console");
    if (claims.evt !== eventId.toLowerCase() || claims.kind !== kind) return refuse(response, 403, "this download link is for another export");
    const [user, event] = await Promise.all([db.findViewer(deps.pool, claims.sub), db.findExportEvent(deps.pool, claims.evt)]);
    if (!event) return refuse(response, 404, "no such event");
    if (!user || !canManageOrganization({ id: claims.sub, ...user }, event.organizationId)) return refuse(response, 403, "you may not export this event's orders");
    if (running >= MAX_CONCURRENT_EXPORTS) {
      response.setHeader("retry-after", "10");
      return refuse(response, 429, "too many exports are running; try again in a few seconds");
    }
    running++;
    try {
      await streamExport(deps, response, { eventId: claims.evt, kind, filename: `${event.slug}-${FILES[kind]}` });
    } finally {
      running--;
    }
  };
  return async (request: Request, response: ServerResponse): Promise<void> => {
    try {
      await handle(request, response);
    } catch (error) {
      // PostgreSQL away before the download started: a plain answer, never Express's error page.
      deps.logger.warn({ err: error }, "export refused: the database did not answer");
      if (!response.headersSent) refuse(response, 503, "the service is briefly unavailable; try again");
      else response.destroy();
    }
  };
}

async function streamExport(deps: { pool: pg.Pool; logger: Logger }, response: ServerResponse, target: { eventId: string; kind: ExportKind; filename: string }): Promise<void> {
  const client = await deps.pool.connect();
  let failure: Error | undefined;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const rows = client.query(new QueryStream(target.kind === "ORDERS" ? db.ORDERS_EXPORT_SQL : db.ATTENDEES_EXPORT_SQL, [target.eventId], { batchSize: CURSOR_BATCH, highWaterMark: CURSOR_BATCH }));
    const csv = stringify({
      header: true,
      columns: target.kind === "ORDERS" ? db.ORDERS_EXPORT_COLUMNS : db.ATTENDEES_EXPORT_COLUMNS,
      // Excel reads a UTF-8 file as such only with a byte-order mark.
      bom: true,
      escape_formulas: true,
      cast: { date: (value) => value.toISOString() },
    });
    response.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${target.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
    await pipeline(rows, csv, response);
    await client.query("COMMIT");
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    // The client went away mid-download (or PostgreSQL failed): the connection may still be inside the
    // cursor, so it is closed rather than returned to the pool.
    deps.logger.info({ err: failure, eventId: target.eventId, kind: target.kind }, "export ended before its last row");
    if (!response.headersSent) refuse(response, 500, "the export failed; try again");
    else response.destroy();
  } finally {
    client.release(failure);
  }
}

const tokensBySecret = new Map<string, ExportTokens>();

/** The process's export token signer for this secret (the resolver and the HTTP route share it). */
export function exportTokensOf(secret: string): ExportTokens {
  let tokens = tokensBySecret.get(secret);
  if (!tokens) tokensBySecret.set(secret, (tokens = createExportTokens(secret)));
  return tokens;
}
