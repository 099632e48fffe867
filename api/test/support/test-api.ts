/**
 * A real API process in the test: its own database cloned from the migrated template, its own Redis
 * key prefix, an HTTP + WebSocket server on a random port, and a small typed GraphQL client.
 */
import { randomBytes } from "node:crypto";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { expect } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";
import { createApp, type App } from "../../src/context.js";
import { loadConfig } from "../../src/platform/config.js";
import { observeStatements } from "../../src/platform/db.js";
import { startServer, type RunningServer } from "../../src/server.js";

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; field?: string } & Record<string, unknown> }[];
}

export interface TestApi {
  app: App;
  server: RunningServer;
  database: TestDatabase;
  url: string;
  /** Every SQL statement sent since the last reset (statement-count tests). */
  statements: string[];
  /** `headers` are sent as well (e.g. X-Forwarded-For, for tests of TRUSTED_PROXIES). */
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** `headers` go with the WebSocket upgrade request (e.g. X-Forwarded-For); `params` are added to connectionParams (e.g. boxoffice-fan). */
  wsClient(token?: string, headers?: Record<string, string>, params?: Record<string, string>): Client;
  stop(): Promise<void>;
}

export interface TestApiOptions {
  database?: TestDatabase;
  redisKeyPrefix?: string;
  /** Extra configuration (environment variable names, as in README's Configuration table). */
  env?: Record<string, string>;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "5",
    REDIS_KEY_PREFIX: options.redisKeyPrefix ?? `test:${randomBytes(4).toString("hex")}:`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    // Search tests opt in to Elasticsearch with their own index; everything else searches PostgreSQL.
    ELASTICSEARCH_URL: "",
    // Ended sessions are read once at start; tests of them ask for a refresh interval (statement-count
    // tests must not see a background query).
    SESSION_REFRESH_MS: "0",
    // Webhook delivery polls the database; tests of webhooks turn it on (statement-count tests must not see it).
    WEBHOOK_POLL_MS: "0",
    // Sale announcements to partners run on a timer too; their tests call app.partnerSales.run().
    PARTNER_ANNOUNCE_INTERVAL_MS: "0",
    ...options.env,
  });
  const app = createApp(config);
  const statements: string[] = [];
  // The process lease is renewed on its own timer every third of PROCESS_LEASE_MS whatever requests do;
  // on a loaded machine a renewal lands inside a statement-count window, so it is not counted.
  observeStatements(app.db.pool, (sql) => {
    if (!sql.includes("INSERT INTO process_leases")) statements.push(sql);
  });
  const server = await startServer(app, 0);
  const clients: Client[] = [];
  return {
    app,
    server,
    database,
    url: server.url,
    statements,
    async query(query, variables, token, headers) {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<any>;
    },
    wsClient(token, headers, params) {
      const client = createClient({
        url: server.url.replace(/^http/, "ws"),
        webSocketImpl: headers
          ? class extends WebSocket {
              constructor(address: string, protocols?: string | string[]) {
                super(address, protocols, { headers });
              }
            }
          : WebSocket,
        connectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...params },
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((client) => client.dispose()));
      await server.stop();
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

/** The payload's `errors` is empty; returns the payload for further assertions. */
export function expectOk<T extends { errors: { code: string }[] }>(payload: T | null | undefined): T {
  expect(payload, "payload").toBeTruthy();
  expect(payload!.errors).toEqual([]);
  return payload!;
}

/** The payload failed with exactly this contract code. */
export function expectError(payload: { errors: { code: string }[] } | null | undefined, code: string): void {
  expect(payload, "payload").toBeTruthy();
  expect(payload!.errors.map((error) => error.code)).toEqual([code]);
}

/** The response failed as a whole with this contract code, with no stack trace anywhere. */
export function expectGraphQLError(response: GraphQLResponse, code: string): void {
  expect(response.errors?.map((error) => error.extensions?.code)).toEqual([code]);
  expect(JSON.stringify(response)).not.toMatch(/stacktrace|\n\s+at /);
}

/** Collects the next `count` messages of a subscription (or fails after `timeoutMs`). */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown>, count: number, timeoutMs = 3000) {
  const received: T[] = [];
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${received.length} of ${count} messages`)), timeoutMs);
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (message) => {
          if (message.errors) reject(new Error(JSON.stringify(message.errors)));
          received.push(message.data as T);
          if (received.length === count) {
            clearTimeout(timer);
            unsubscribe();
            resolve(received);
          }
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => undefined,
      },
    );
  });
  return { done };
}

/** Resolves once Redis reports a subscriber on the channel (the subscription is live end to end). */
export async function subscribed(api: TestApi, channel: string): Promise<void> {
  // Up to 10 s: a subscription set up by a browser page or another process can take seconds on the loaded CI machine.
  for (let attempt = 0; attempt < 500; attempt++) {
    const [, count] = (await api.app.redis.pubsub("NUMSUB", channel)) as [string, number];
    if (Number(count) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no subscriber on ${channel}`);
}
