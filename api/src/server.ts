/**
 * One HTTP port serves GraphQL over HTTP (POST /graphql) and over WebSocket (graphql-ws on /graphql),
 * plus /healthz, the JWKS and the Stripe webhook. Errors leave the process as a contract code and a
 * message: never a stack trace.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import express from "express";
import { GraphQLError, parse, subscribe, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { ArgumentValidationError } from "type-graphql";
import { WebSocketServer } from "ws";
import { createExportHandler, EXPORT_ROUTE, exportTokensOf } from "./admin/admin.orders.exports.js";
import { settleCharged } from "./checkout/checkout.service.js";
import type { App } from "./context.js";
import { createContext, type Context } from "./request-context.js";
import { succeededPayment, verifyStripeWebhook } from "./payment/payment.stripe.js";
import { clientAddress, trustedProxies } from "./platform/client-address.js";
import { ApiError } from "./platform/errors.js";
import { checkDocument, introspectionRefusal, parseOptions, RefusedDocumentError, type GraphQLLimits } from "./platform/graphql-limits.js";
import { responseCompression } from "./platform/http-compression.js";
import { createGraphQLHandler } from "./platform/http-graphql.js";
import { waitingRoomLanes } from "./waiting-room/waiting-room.resolver.js";
import { FAN_HEADER } from "./partner/partner.fans.js";
import { admitPartner, pageRefusal, PartnerRefusal, scopeRefusal, settlePartner } from "./partner/partner.gate.js";
import { renderPartnerDocs } from "./partner/partner.docs.js";
import { outageOf } from "./platform/outage.js";
import { createSchema } from "./schema.js";
import { createQueueSubscriptionLane } from "./waiting-room/waiting-room.subscription-lane.js";

export interface RunningServer {
  httpServer: Server;
  schema: GraphQLSchema;
  /** What every document is checked against, on every transport (platform/graphql-limits.ts). */
  limits: GraphQLLimits;
  url: string;
  stop(): Promise<void>;
}

const CLIENT_INPUT_CODES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "BAD_REQUEST"]);

/**
 * Maps every error to a contract code; outages of PostgreSQL or Redis become SERVICE_UNAVAILABLE with
 * `retryAfterSeconds`; unknown errors are logged and reported without details.
 */
export function formatError(app: App) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { path: formatted.path, locations: formatted.locations };
    // Refused by the limits before execution: the code, the reason and the limit (e.g. cost, maxCost).
    if (original instanceof RefusedDocumentError) return { ...base, message: original.message, extensions: { ...original.extensions } };
    // A partner's request refused by its key's scopes or budget: code, retryAfterSeconds, cost (not the HTTP status).
    if (original instanceof PartnerRefusal) {
      const { http: _status, ...extensions } = original.extensions;
      return { ...base, message: original.message, extensions };
    }
    if (original instanceof ApiError) {
      return { ...base, message: original.message, extensions: { code: original.code, field: original.field } };
    }
    if (original instanceof ArgumentValidationError) {
      const first = original.extensions.validationErrors?.[0];
      return {
        ...base,
        message: first ? Object.values(first.constraints ?? {}).join("; ") || "invalid input" : "invalid input",
        extensions: { code: "VALIDATION", field: first?.property },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && CLIENT_INPUT_CODES.has(code)) {
      return { ...base, message: formatted.message, extensions: { code: "VALIDATION" } };
    }
    if (code === "UNAUTHENTICATED" || code === "FORBIDDEN") {
      return { ...base, message: formatted.message, extensions: { code } };
    }
    // PostgreSQL or Redis away: a typed answer clients retry after a pause, not an "internal error".
    const outage = outageOf(original);
    if (outage) {
      app.logger.warn({ err: original, outage, path: formatted.path }, "request failed during an outage");
      return {
        ...base,
        message: "the service is busy or briefly unavailable; retry after retryAfterSeconds",
        extensions: { code: "SERVICE_UNAVAILABLE", retryAfterSeconds: app.config.outageRetryAfterSeconds },
      };
    }
    app.logger.error({ err: original, path: formatted.path }, "unexpected error");
    return { ...base, message: "internal error; it has been logged", extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}

export async function startServer(app: App, port: number, host = "127.0.0.1"): Promise<RunningServer> {
  const schema = await createSchema(app.pubsub);
  const format = formatError(app);
  const trust = trustedProxies(app.config.trustedProxies);
  // One set of limits for every transport (platform/graphql-limits.ts). Introspection for anonymous
  // callers outside production; signed-in users and partner keys always (decided in `admit`).
  const limits: GraphQLLimits = {
    maxAliases: app.config.maxQueryAliases,
    maxDepth: app.config.maxQueryDepth,
    maxTokens: app.config.maxQueryTokens,
    maxCost: app.config.maxQueryCost,
    introspection: app.config.environment !== "production",
  };
  /**
   * What is decided once the caller is known, on every transport, after the limits and before
   * anything runs: introspection (anonymous callers in production may not), then a partner key's
   * scopes and budget (PARTNER_LIMITS=off leaves the budget out, to measure what it costs).
   */
  const admit = async (
    context: Context,
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | null | undefined,
  ): Promise<GraphQLError | null> => {
    const introspection = introspectionRefusal(schema, document, limits, context.viewer !== null || context.partner !== null);
    if (introspection) return introspection;
    const request = { schema, document, operationName, variables };
    if (app.config.partnerLimits) return admitPartner(app.partnerBudget, context, request);
    return context.partner ? (scopeRefusal(context.partner, document, operationName) ?? pageRefusal(request)) : null;
  };
  // The partner docs (/docs), generated once from the schema this process serves.
  const docs = renderPartnerDocs(schema, {
    limits,
    budgetPoints: app.config.partnerBudgetPoints,
    budgetWindowSeconds: app.config.partnerBudgetWindowSeconds,
    maxPageSize: app.config.maxPageSize,
    maxRequestBytes: app.config.maxRequestBytes,
  });
  const httpServer = createServer();
  // A WebSocket message is held to the same size as an HTTP body; a larger one closes the socket (1009).
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: app.config.maxRequestBytes });
  const queueLane = createQueueSubscriptionLane(schema, app.queueFanOut);
  const wsCleanup = useServer<{ authorization?: unknown; [FAN_HEADER]?: unknown }>(
    {
      schema,
      // queuePositionChanged goes to its fan-out (waiting-room.subscription-lane.ts); the rest to graphql-js.
      subscribe: (args) => queueLane(args) ?? subscribe(args),
      // Parsed, validated and checked against the limits here, as POST /graphql and Apollo do; the
      // returned arguments are executed as they are.
      onSubscribe: async (ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query, parseOptions(limits));
        } catch (error) {
          return [clientError(error, "GRAPHQL_PARSE_FAILED")];
        }
        const invalid = validate(schema, document);
        if (invalid.length > 0) return invalid.map((error) => clientError(error, "GRAPHQL_VALIDATION_FAILED"));
        const check = checkDocument(schema, document, payload.variables, payload.operationName, limits);
        if (!check.ok) return check.errors;
        // The upgrade request carries the socket and X-Forwarded-For of the connection.
        const contextValue = await createContext(
          app,
          ctx.connectionParams?.authorization,
          clientAddress(ctx.extra.request, trust),
          ctx.connectionParams?.[FAN_HEADER],
        );
        contextValue.queryCost = check.cost;
        // A partner's subscription is charged once, when it starts.
        const refused = await admit(contextValue, document, payload.operationName, payload.variables);
        if (refused) return [refused];
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
      },
      onConnect: async (ctx) => {
        // Refuse a connection whose token is forged or expired, before any subscription starts.
        try {
          await createContext(app, ctx.connectionParams?.authorization, undefined, ctx.connectionParams?.[FAN_HEADER]);
          return true;
        } catch {
          return false;
        }
      },
      // Errors over WebSocket get the same contract codes and the same silence about internals as HTTP.
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => format(error.toJSON(), error)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => format(error.toJSON(), error)) } : undefined,
    },
    wsServer,
  );
  // graphql-ws answers any socket error with console.error ("check your implementation") and a close;
  // a message over maxPayload is the client's doing, which ws has already closed (1009). Same close,
  // but through the logger and without the alarm: this listener runs after graphql-ws's and replaces it.
  wsServer.on("connection", (socket) => {
    socket.removeAllListeners("error");
    socket.on("error", (error: Error & { code?: string }) => {
      app.logger.info({ err: error, code: error.code }, "websocket connection closed after a socket error");
      socket.close(1011, "Internal server error");
    });
  });

  const drainWebSockets: ApolloServerPlugin = {
    async serverWillStart() {
      return {
        async drainServer() {
          await wsCleanup.dispose();
        },
      };
    },
  };
  // Apollo runs what the direct lane hands it (GET, persisted queries, documents it does not keep,
  // ...): the same token limit when it parses, the same check before it executes. Refusals answer 400
  // with every limit broken, formatted like the other errors.
  const refusals: GraphQLRequestListener<Context> = {
    // A partner's request answers its cost (partner/partner.gate.ts), as the direct lane does.
    async willSendResponse({ contextValue, response }) {
      if (response.body.kind !== "single" || !contextValue.partnerCharge) return;
      const cost = await settlePartner(app.partnerBudget, contextValue, response.body.singleResult.data);
      if (cost) response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
    },
    async responseForOperation({ document, request, contextValue }) {
      const check = checkDocument(schema, document, request.variables, request.operationName, limits);
      if (check.ok) {
        contextValue.queryCost = check.cost;
        const refused = await admit(contextValue, document, request.operationName, request.variables);
        if (!refused) return null;
        const status = (refused.extensions.http as { status?: number } | undefined)?.status ?? 400;
        return { http: { status, headers: new HeaderMap() }, body: { kind: "single", singleResult: { errors: [format(refused.toJSON(), refused)] } } };
      }
      const errors = check.errors.map((error) => format(error.toJSON(), error));
      return { http: { status: 400, headers: new HeaderMap() }, body: { kind: "single", singleResult: { errors } } };
    },
  };
  const apollo = new ApolloServer<Context>({
    schema,
    formatError: format,
    // Answered or refused per caller by `admit` (Apollo's own switch would refuse everyone alike).
    introspection: true,
    parseOptions: parseOptions(limits),
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown (drain, then close pools). Apollo's own SIGTERM handler stopped the server
    // a second time alongside it, and the process then sat out the whole shutdown deadline.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      drainWebSockets,
      { requestDidStart: async () => refusals },
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const web = express();
  web.disable("x-powered-by");
  web.get("/healthz", (_request, response) => {
    response.json({ ok: true });
  });
  // Public keys that verify ticket barcodes, for scanners that work offline.
  web.get("/.well-known/jwks.json", async (_request, response) => {
    response.set("Cache-Control", "public, max-age=300").json(await app.tickets.barcodes.jwks());
  });
  web.post("/webhooks/stripe", express.raw({ type: "*/*", limit: "1mb" }), async (request, response) => {
    const stripe = app.payments.stripe;
    const secret = app.config.stripeWebhookSecret;
    if (!stripe || !secret) {
      response.status(404).json({ error: "Stripe is not configured" });
      return;
    }
    const event = verifyStripeWebhook(stripe, request.body as Buffer, request.header("stripe-signature"), secret);
    if (!event) {
      response.status(400).json({ error: "invalid signature" });
      return;
    }
    const payment = succeededPayment(event);
    if (payment) {
      // Stripe says it charged: make sure an order (or a refund) follows even if the process that
      // charged died. Idempotent: an intent already settled keeps its order. A failure answers 500
      // so Stripe delivers again.
      try {
        await settleCharged(app.checkout, payment.intentId, payment.reference);
      } catch (error) {
        app.logger.warn({ err: error, intentId: payment.intentId }, "webhook settlement failed; Stripe will retry");
        response.status(500).json({ error: "not settled yet" });
        return;
      }
    }
    response.json({ received: true });
  });
  // The partner API's documentation: one self-contained HTML page (no scripts; the CSP says so).
  web.get("/docs", (_request, response) => {
    response
      .set({ "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'", "Cache-Control": "public, max-age=300" })
      .send(docs);
  });
  // CSV exports of an event's orders and attendees: streamed, authorized by a short-lived download link.
  web.get(EXPORT_ROUTE, createExportHandler({ pool: app.db.pool, tokens: exportTokensOf(app.config.authTokenSecret), logger: app.logger }));
  // Bodies Express cannot read (a webhook over its limit) get a typed error, not an HTML 500 page.
  web.use((error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    const status = (error as { status?: number }).status ?? 400;
    response.status(status >= 500 ? 400 : status).json({
      errors: [{ message: "malformed request body", extensions: { code: "VALIDATION" } }],
    });
  });
  // Every HTTP answer over 1 KB is compressed for a client that accepts br or gzip (platform/http-compression.ts);
  // graphql-ws upgrades are another event and are never compressed.
  // HTTP_COMPRESSION=off leaves it out (behind a proxy that compresses; or to measure what it costs).
  const compress = app.config.httpCompression ? responseCompression() : undefined;
  // POST /graphql skips Express (platform/http-graphql.ts); Express serves the other routes.
  const graphql = createGraphQLHandler<Context>({
    compress,
    schema,
    apollo,
    formatError: format,
    limits,
    maxBodyBytes: app.config.maxRequestBytes,
    context: (request) => createContext(app, request.headers.authorization, () => clientAddress(request, trust), request.headers[FAN_HEADER]),
    admit,
    lanes: app.config.graphqlLanes ? waitingRoomLanes : undefined,
    settle: async (context, data) => {
      const cost = await settlePartner(app.partnerBudget, context, data);
      return cost ? { cost } : null;
    },
  });
  httpServer.on("request", (request, response) => {
    const url = request.url ?? "/";
    const path = url.split("?", 1)[0];
    // /graphql compresses its own large answers (the `compress` option above); the Express routes all pass it.
    if (path === "/graphql" || path === "/graphql/") void graphql(request, response);
    else if (path === "/healthz" && isPlainHealthCheck(request)) answerHealthy(response, request.method === "HEAD");
    else if (compress) compress(request, response, () => web(request, response));
    else web(request, response);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => resolve());
  });
  const address = httpServer.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    httpServer,
    schema,
    limits,
    url: `http://${host}:${actualPort}/graphql`,
    async stop() {
      await apollo.stop();
      wsServer.close();
    },
  };
}

/**
 * GET /healthz as Express's route answers it (body, type, length and the weak ETag of its `json`), without
 * Express and the compression middleware in front: load balancers ask often, and their answer is
 * constant. A conditional request (If-None-Match: Express answers 304) and every other method or
 * spelling of the path go to Express as before. (Express's answer also carried `Vary:
 * Accept-Encoding` when the client accepted br or gzip, from the compression middleware, though an
 * answer this small is never compressed; this one does not.)
 */
const HEALTHY = '{"ok":true}';
const HEALTHY_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "content-length": String(Buffer.byteLength(HEALTHY)),
  // The `etag` package's weak tag, as Express sets it: the length in hex and the SHA-1's first 27 base64 characters.
  etag: `W/"${Buffer.byteLength(HEALTHY).toString(16)}-${createHash("sha1").update(HEALTHY, "utf8").digest("base64").slice(0, 27)}"`,
};

function isPlainHealthCheck(request: IncomingMessage): boolean {
  return (request.method === "GET" || request.method === "HEAD") && request.headers["if-none-match"] === undefined && request.headers["if-modified-since"] === undefined;
}

function answerHealthy(response: ServerResponse, head: boolean): void {
  response.writeHead(200, HEALTHY_HEADERS);
  response.end(head ? undefined : HEALTHY);
}

/** A parse or validation error from graphql-ws, labelled as Apollo labels it (formatError: VALIDATION). */
function clientError(error: unknown, code: string): GraphQLError {
  const message = error instanceof Error ? error.message : "invalid document";
  return new GraphQLError(message, { nodes: error instanceof GraphQLError ? error.nodes : undefined, extensions: { code } });
}
