/**
 * POST /graphql straight on node:http. The requests a storefront or partner sends all day — one query
 * or mutation as JSON, a document seen before — skip Express and Apollo's request pipeline: the
 * document is parsed, validated and its operations compiled (graphql-jit) once and kept, and each
 * request costs the limits' check (graphql-limits.ts: cached for the document, cheap per request), its
 * context, the compiled operation and formatError. A document the limits refuse is answered here (400).
 * A flat read of a root field that has a lane (http-graphql-lanes.ts: queueStatus, the flash crowd's
 * poll) passes the same limits, context and `admit`, then is printed without graphql-jit's execution.
 * Everything else (GET, batches, documents that do not parse or validate, operations graphql-jit cannot
 * compile, request errors such as bad variables, a refused token) goes to Apollo's
 * executeHTTPGraphQLRequest, so those answers stay exactly Apollo's (Apollo applies the same limits).
 * Measured in docs/PERFORMANCE.md (current figures; history in docs/performance-history.md).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import express from "express";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { getOperationAST, parse, validate, type DocumentNode, type GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { checkDocument, parseOptions, type GraphQLLimits } from "./graphql-limits.js";
import { laneAnswer, lanePlan, type FlatQueryLane, type LanePlan } from "./http-graphql-lanes.js";
import { THRESHOLD_BYTES } from "./http-compression.js";

/** The context learns the cost of the operation it runs (graphql-limits.ts). */
export type CostedContext = BaseContext & { queryCost: number };

export interface GraphQLHandlerOptions<TContext extends CostedContext> {
  schema: GraphQLSchema;
  apollo: ApolloServer<TContext>;
  context: (request: IncomingMessage) => Promise<TContext>;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** The gate every document passes (graphql-limits.ts), the same one Apollo and graphql-ws apply. */
  limits: GraphQLLimits;
  /** The caller-specific check once the context is known (a partner key's scopes and budget); an error refuses the request. */
  admit?: (context: TContext, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined) => Promise<GraphQLError | null>;
  /** After the request ran: `extensions` to answer with (a partner's cost), or null. */
  settle?: (context: TContext, data: unknown) => Promise<Record<string, unknown> | null>;
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number;
  /** Validated documents kept (least recently added go first). */
  maxDocuments?: number;
  /**
   * Compression of large answers (platform/http-compression.ts), applied here rather than in front of
   * every request: the direct lane knows its answer before it writes, so it calls the middleware only
   * for an answer of THRESHOLD_BYTES or more; Apollo's answers (GET, multipart, errors) always pass it.
   */
  compress?: Middleware;
  /** Root query fields answered without graphql-jit when an operation is simple enough (`FlatQueryLane`), by field name. */
  lanes?: Record<string, FlatQueryLane<TContext>>;
}

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** A validated document and its operations compiled so far (null: Apollo runs that one). */
interface KeptDocument {
  document: DocumentNode;
  operations: Map<string, CompiledQuery | null>;
  /** Per operation name: how a lane answers it, or null when none does (decided once). */
  lanes: Map<string, LanePlan<never> | null>;
}

/** Longer documents are still served, by Apollo, but never kept. */
const MAX_CACHED_QUERY_LENGTH = 20_000;

export function createGraphQLHandler<TContext extends CostedContext>(options: GraphQLHandlerOptions<TContext>) {
  const { schema, apollo, formatError, limits } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const maxDocuments = options.maxDocuments ?? 1_000;
  const parsing = parseOptions(limits);
  /** Per query text, then per operation name: the operation compiled by graphql-jit. */
  const documents = new Map<string, KeptDocument>();

  /** The parsed document when it is valid and worth keeping; null sends the request to Apollo. */
  function validDocument(query: string): KeptDocument | null {
    const cached = documents.get(query);
    if (cached) return cached;
    if (query.length > MAX_CACHED_QUERY_LENGTH) return null;
    let document: DocumentNode;
    try {
      document = parse(query, parsing);
    } catch {
      return null;
    }
    if (validate(schema, document).length > 0) return null;
    if (documents.size >= maxDocuments) documents.delete(documents.keys().next().value!);
    const entry: KeptDocument = { document, operations: new Map(), lanes: new Map() };
    documents.set(query, entry);
    return entry;
  }

  /**
   * The query or mutation this request runs, compiled once (graphql-jit: resolvers are called as
   * graphql-js calls them, without walking the document and the schema on every request); null for a
   * subscription, a missing operation or one graphql-jit cannot compile (Apollo answers those).
   */
  function compiled(entry: KeptDocument, operationName: string | undefined): CompiledQuery | null {
    const key = operationName ?? "";
    if (entry.operations.has(key)) return entry.operations.get(key)!;
    const operation = getOperationAST(entry.document, operationName);
    if (!operation) return null; // (not kept: any name could be asked for)
    let query: CompiledQuery | null = null;
    if (operation.operation !== "subscription") {
      const result = compileQuery(schema, entry.document, operationName);
      if (isCompiledQuery(result)) query = result;
    }
    entry.operations.set(key, query);
    return query;
  }

  /** The lane that answers this operation, worked out on first use; null for none. */
  function laneOf(entry: KeptDocument, operationName: string | undefined): LanePlan<TContext> | null {
    if (!options.lanes) return null;
    const key = operationName ?? "";
    if (entry.lanes.has(key)) return entry.lanes.get(key) as LanePlan<TContext> | null;
    const operation = getOperationAST(entry.document, operationName);
    const plan = operation ? lanePlan(schema, entry.document, operation, options.lanes) : null;
    entry.lanes.set(key, plan as LanePlan<never> | null);
    return plan;
  }

  async function direct(request: IncomingMessage, response: ServerResponse, body: GraphQLBody): Promise<boolean> {
    const entry = validDocument(body.query);
    if (!entry) return false;
    // Refused before anything is compiled or run; the static part of the check is done once per document.
    const check = checkDocument(schema, entry.document, body.variables, body.operationName, limits);
    if (!check.ok) {
      send(response, 400, JSON.stringify({ errors: check.errors.map((error) => formatError(error.toJSON(), error)) }));
      return true;
    }
    const query = compiled(entry, body.operationName ?? undefined);
    if (!query) return false;
    let contextValue: TContext;
    try {
      contextValue = await options.context(request);
    } catch {
      return false; // Apollo answers a refused token with its status and a formatted error.
    }
    contextValue.queryCost = check.cost;
    const refused = options.admit ? await options.admit(contextValue, entry.document, body.operationName, body.variables) : null;
    if (refused) {
      const status = (refused.extensions.http as { status?: number } | undefined)?.status ?? 400;
      send(response, status, JSON.stringify({ errors: [formatError(refused.toJSON(), refused)] }));
      return true;
    }
    // The lane runs where the compiled query would, with the same context, already admitted; when it
    // declines (null), the compiled query runs as if there were no lane.
    const plan = laneOf(entry, body.operationName ?? undefined);
    const laneJson = plan ? await laneAnswer(plan, contextValue, body.variables) : null;
    if (laneJson !== null) {
      const extensions = options.settle ? await options.settle(contextValue, laneJson.data) : null;
      respond(request, response, extensions ? `${laneJson.json.slice(0, -1)},"extensions":${JSON.stringify(extensions)}}` : laneJson.json);
      return true;
    }
    const result = await query.query(undefined, contextValue, body.variables ?? {});
    const extensions = options.settle ? await options.settle(contextValue, "data" in result ? result.data : null) : null;
    // A request error (variables that do not coerce): nothing ran; Apollo answers it with its status.
    if (!("data" in result)) return false;
    const errors = result.errors?.map((error: GraphQLError) => formatError(error.toJSON(), error));
    respond(request, response, JSON.stringify({ ...(errors ? { errors } : {}), data: result.data, ...(extensions ? { extensions } : {}) }));
    return true;
  }

  function respond(request: IncomingMessage, response: ServerResponse, json: string): void {
    // Most answers (a hold, a checkout step) are a few hundred bytes and skip the compression
    // middleware and its per-response hooks (~74 µs of CPU, docs/PERFORMANCE.md); a seat map or a
    // search page goes through it. (A string's length never exceeds its UTF-8 byte count.)
    if (options.compress && json.length >= THRESHOLD_BYTES) options.compress(request, response, () => send(response, 200, json));
    else send(response, 200, json);
  }

  async function viaApollo(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const url = request.url ?? "";
    const query = url.indexOf("?");
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (request.method ?? "GET").toUpperCase(), headers, search: query >= 0 ? url.slice(query) : "", body },
      context: () => options.context(request),
    });
    for (const [key, value] of answer.headers) response.setHeader(key, value);
    response.statusCode = answer.status ?? 200;
    if (answer.body.kind === "complete") {
      // Said up front: the compression middleware sends headers before the body, which would
      // otherwise leave even a small answer without its length (chunked).
      response.setHeader("content-length", Buffer.byteLength(answer.body.string));
      response.end(answer.body.string);
      return;
    }
    // An incremental answer (multipart): each part leaves at once, even through the compression stream
    // (platform/http-compression.ts adds `flush`), instead of waiting for zlib's buffer to fill.
    const flush = (response as ServerResponse & { flush?: () => void }).flush;
    for await (const chunk of answer.body.asyncIterator) {
      response.write(chunk);
      flush?.call(response);
    }
    response.end();
  }

  // Express's own JSON body parser (body-parser), as the Express route used it: limit, charset, JSON.
  const parseJson = express.json({ limit: maxBodyBytes }) as unknown as (
    request: IncomingMessage & { body?: unknown },
    response: ServerResponse,
    next: (error?: { status?: number }) => void,
  ) => void;
  const readJson = (request: IncomingMessage & { body?: unknown }, response: ServerResponse) => {
    const length = plainJsonLength(request, maxBodyBytes);
    if (length !== null) return readPlainJson(request, length);
    return new Promise<{ status?: number } | undefined>((resolve) => parseJson(request, response, resolve));
  };

  /** Runs an Apollo answer through the compression middleware (which must wrap the response before anything is written). */
  function compressed(request: IncomingMessage, response: ServerResponse, answer: () => Promise<void>): Promise<void> {
    const middleware = options.compress;
    if (!middleware) return answer();
    return new Promise((resolve, reject) => middleware(request, response, () => answer().then(resolve, reject)));
  }

  return async function handle(request: IncomingMessage & { body?: unknown }, response: ServerResponse): Promise<void> {
    try {
      if (request.method !== "POST") return await compressed(request, response, () => viaApollo(request, response, undefined));
      const failed = await readJson(request, response);
      if (failed) return refuse(response, failed.status === 413 ? 413 : 400, failed.status === 413 ? "request body too large" : "malformed request body");
      // Not JSON: no body, and Apollo's CSRF protection answers.
      const body = request.body;
      if (isGraphQLBody(body) && (await direct(request, response, body))) return;
      await compressed(request, response, () => viaApollo(request, response, body));
    } catch (error) {
      // Only a broken connection or a bug gets here: answer without details if nothing was sent yet.
      if (!response.headersSent) {
        send(response, 500, JSON.stringify({ errors: [formatError({ message: "internal error" }, error)] }));
      } else response.destroy();
    }
  };
}

/** JSON whitespace, then `{` or `[`: body-parser's strict mode (checked without copying the body). */
const STARTS_AS_OBJECT_OR_ARRAY = /^[ \t\n\r]*[{[]/;

/** `application/json` as clients send it (UTF-8 is JSON's encoding); anything else goes through body-parser. */
const PLAIN_JSON_TYPES = new Set(["application/json", "application/json; charset=utf-8", "application/json;charset=utf-8"]);

/**
 * The declared length of a body that needs none of body-parser's work: plain JSON, not compressed, with
 * a Content-Length within the limit; null otherwise. body-parser's content-type parsing, charset
 * decoder and stream bookkeeping were ~3% of the API's main thread under holdSeats load, and nearly
 * every request is this case.
 */
function plainJsonLength(request: IncomingMessage, maxBodyBytes: number): number | null {
  const type = request.headers["content-type"];
  if (type === undefined || !PLAIN_JSON_TYPES.has(type.toLowerCase())) return null;
  if (request.headers["content-encoding"] !== undefined || request.headers["transfer-encoding"] !== undefined) return null;
  const declared = request.headers["content-length"];
  const length = declared === undefined ? NaN : Number(declared);
  return Number.isSafeInteger(length) && length >= 0 && length <= maxBodyBytes ? length : null;
}

/**
 * Reads a plain JSON body into `request.body` with body-parser's rules: the whole declared length or
 * a 400, and (strict) an object or array at the top. A request that ends early (the client went away)
 * settles as a 400 too, so nothing waits on it.
 */
function readPlainJson(request: IncomingMessage & { body?: unknown }, length: number): Promise<{ status?: number } | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    });
    request.on("error", () => resolve({ status: 400 }));
    request.on("close", () => resolve({ status: 400 })); // (after "end" this changes nothing)
    request.on("end", () => {
      if (received !== length) return resolve({ status: 400 });
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString("utf8");
      if (!STARTS_AS_OBJECT_OR_ARRAY.test(text)) return resolve({ status: 400 });
      try {
        request.body = JSON.parse(text);
      } catch {
        return resolve({ status: 400 });
      }
      resolve(undefined);
    });
  });
}

function isGraphQLBody(body: unknown): body is GraphQLBody {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const { query, variables, operationName, extensions } = body as Record<string, unknown>;
  return (
    typeof query === "string" &&
    (variables == null || (typeof variables === "object" && !Array.isArray(variables))) &&
    (operationName == null || typeof operationName === "string") &&
    // Extensions such as Apollo Client's `clientLibrary` change nothing; a persisted query is Apollo's.
    (extensions == null || (typeof extensions === "object" && !Array.isArray(extensions) && !("persistedQuery" in extensions)))
  );
}

function refuse(response: ServerResponse, status: number, message: string): void {
  send(response, status, JSON.stringify({ errors: [{ message, extensions: { code: "VALIDATION" } }] }));
  if (status === 413) response.once("finish", () => response.socket?.destroy());
}

function send(response: ServerResponse, status: number, json: string): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(json) });
  response.end(json);
}
