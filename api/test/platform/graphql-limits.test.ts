/**
 * The limits every GraphQL document passes before it runs (platform/graphql-limits.ts), on each
 * transport: POST /graphql's direct lane, Apollo (GET here), and graphql-ws.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "graphql";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDocument } from "../../src/platform/graphql-limits.js";
import { CHECKOUT, hold, HOLD, sale } from "../checkout/checkout-helpers.js";
import { createEvent, createOrganization, createUser, createVenue } from "../support/factories.js";
import { startTestApi, type GraphQLResponse, type TestApi } from "../support/test-api.js";

let api: TestApi;
let eventId: string;

// No background work: every SQL statement seen comes from the request under test.
const QUIET = { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", WAITING_ROOM_TICK_MS: "0" };

beforeAll(async () => {
  api = await startTestApi({ env: QUIET });
  const organizationId = await createOrganization(api.app.db.pool);
  eventId = await createEvent(api.app.db.pool, await createVenue(api.app.db.pool, { seated: [{ rows: 3, seatsPerRow: 10 }] }), { organizationId });
});
afterAll(() => api.stop());

type Answer = { status: number; body: GraphQLResponse<any> };

async function post(query: string, variables: Record<string, unknown> = {}, token?: string, url = api.url): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

/** An automatic persisted query (query and hash together): the direct lane leaves it to Apollo. */
async function viaApollo(query: string, variables: Record<string, unknown> = {}, url = api.url): Promise<Answer> {
  const persistedQuery = { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") };
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables, extensions: { persistedQuery } }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

/** One operation over graphql-ws: its first result, or the errors it was refused with. */
function overWebSocket(query: string, variables: Record<string, unknown> = {}, target = api): Promise<GraphQLResponse> {
  const client = target.wsClient();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer over graphql-ws")), 5_000);
    const done = (answer: GraphQLResponse) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(answer);
    };
    const unsubscribe = client.subscribe(
      { query, variables },
      {
        next: (result) => done(result as GraphQLResponse),
        error: (errors) => (Array.isArray(errors) ? done({ errors }) : reject(errors instanceof Error ? errors : new Error(String(errors)))),
        complete: () => undefined,
      },
    );
  });
}

const extensionsOf = (response: GraphQLResponse) => response.errors?.map((error) => error.extensions);
const seatMapReads = () => api.statements.filter((sql) => /string_agg\(CASE WHEN es\.status/.test(sql)).length;
const userReads = () => api.statements.filter((sql) => /FROM users/.test(sql)).length;
const aliases = (count: number, selection: (index: number) => string) => Array.from({ length: count }, (_, index) => selection(index)).join(" ");

describe("query cost", () => {
  // 20 aliases pass the alias and token limits; 20 seat maps (500 each, +1 per event) cost 10,020.
  const twentyMaps = `query($id: ID!) { ${aliases(20, (index) => `e${index}: event(id: $id) { seatMap { statuses } }`)} }`;
  const refusal = { code: "VALIDATION", reason: "COST", cost: 10_020, maxCost: 5_000 };

  it("refuses 20 seat maps in one request on every transport, naming the cost and the maximum, before any is read", async () => {
    api.statements.length = 0;
    const direct = await post(twentyMaps, { id: eventId });
    expect(direct.status).toBe(400);
    expect(direct.body.data ?? null).toBeNull();
    expect(extensionsOf(direct.body)).toEqual([refusal]);
    expect(direct.body.errors![0]!.message).toBe("query cost 10020 exceeds the maximum of 5000; ask for fewer items or fields");

    const apollo = await viaApollo(twentyMaps, { id: eventId });
    expect(apollo.status).toBe(400);
    expect(apollo.body.data ?? null).toBeNull();
    expect(extensionsOf(apollo.body)).toEqual([refusal]);

    expect(extensionsOf(await overWebSocket(twentyMaps, { id: eventId }))).toEqual([refusal]);
    expect(seatMapReads()).toBe(0);
  });

  it("answers the storefront's seat map, and up to nine in one request (cost 4,509)", async () => {
    const response = await post(`query($id: ID!) { event(id: $id) { id seatMap { sectionId statuses } } }`, { id: eventId });
    expect(response.status).toBe(200);
    expect(response.body.data!.event.seatMap).toEqual([{ sectionId: expect.any(String), statuses: "A".repeat(30) }]);
    const nine = await post(`query($id: ID!) { ${aliases(9, (index) => `e${index}: event(id: $id) { seatMap { statuses } }`)} }`, { id: eventId });
    expect(nine.status).toBe(200);
    expect(Object.values(nine.body.data!)).toEqual(Array.from({ length: 9 }, () => ({ seatMap: [{ statuses: "A".repeat(30) }] })));
  });

  it("refuses 200 aliases of seatMap (the 16 KB request that emptied the pool) without reading one", async () => {
    const document = `query($id: ID!) { ${aliases(200, (index) => `e${index}: event(id: $id) { ...map }`)} } fragment map on Event { seatMap { statuses } }`;
    api.statements.length = 0;
    for (const answer of [await post(document, { id: eventId }), await viaApollo(document, { id: eventId })]) {
      expect(answer.status).toBe(400);
      expect(answer.body.data ?? null).toBeNull();
      expect(extensionsOf(answer.body)).toEqual([{ code: "VALIDATION" }]);
      expect(answer.body.errors![0]!.message).toMatch(/more that? 2000 tokens/);
    }
    expect(extensionsOf(await overWebSocket(document, { id: eventId }))).toEqual([{ code: "VALIDATION" }]);
    expect(seatMapReads()).toBe(0);
  });

  it("refuses fragments spread into fragments beyond what can be costed, quickly", async () => {
    // Each level spreads the one below twice: 2^20 selections once spread, in 200 tokens.
    const levels = Array.from({ length: 20 }, (_, index) => `fragment f${index + 1} on Event { ...f${index} ...f${index} }`).join(" ");
    const bomb = `query($id: ID!) { event(id: $id) { ...f20 } } fragment f0 on Event { id } ${levels}`;
    const started = performance.now();
    const answer = await post(bomb, { id: eventId });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(answer.status).toBe(400);
    expect(extensionsOf(answer.body)).toEqual([{ code: "VALIDATION", reason: "COST", maxCost: 5_000 }]);
  });

  it("multiplies a page by `first`, also when `first` or @include comes in a variable or an input", async () => {
    const { schema, limits } = api.server;
    const events = parse(`query($first: Int) { events(first: $first) { edges { node { id venue { id } } } } }`);
    expect(checkDocument(schema, events, { first: 10 }, null, limits)).toEqual({ ok: true, cost: 1 + 10 * (1 + 1 + 1) });
    expect(checkDocument(schema, events, { first: 100 }, null, limits)).toEqual({ ok: true, cost: 1 + 100 * 3 });
    const search = parse(`query($input: EventSearchInput!) { searchEvents(input: $input) { hits { event { id } } } }`);
    expect(checkDocument(schema, search, { input: { first: 50 } }, null, limits)).toEqual({ ok: true, cost: 1 + 50 * 2 });
    const optional = parse(`query($all: Boolean!) { events(first: 100) @include(if: $all) { edges { node { id } } } viewer { id } }`);
    expect(checkDocument(schema, optional, { all: true }, null, limits)).toEqual({ ok: true, cost: 1 + 100 * 2 + 1 });
    expect(checkDocument(schema, optional, { all: false }, null, limits)).toEqual({ ok: true, cost: 1 });
    const held = parse(HOLD);
    expect(checkDocument(schema, held, { input: { eventId, seatIds: [randomUUID()] } }, null, limits)).toEqual({ ok: true, cost: 7 });
  });

  it("a search's cost is kept per page size: other texts and points share it, another `first` does not", () => {
    const { schema, limits } = api.server;
    const search = parse(`query($input: EventSearchInput!) { searchEvents(input: $input) { hits { event { id venue { id } } } } }`);
    expect(checkDocument(schema, search, { input: { text: "Nova", first: 50 } }, null, limits)).toEqual({ ok: true, cost: 1 + 50 * 3 });
    expect(checkDocument(schema, search, { input: { near: { lat: 41.9, lon: -87.6, radiusKm: 5 }, first: 50 } }, null, limits)).toEqual({ ok: true, cost: 1 + 50 * 3 });
    expect(checkDocument(schema, search, { input: { text: "Nova", first: 10 } }, null, limits)).toEqual({ ok: true, cost: 1 + 10 * 3 });
    expect(checkDocument(schema, search, { input: { text: "Aurora" } }, null, limits)).toEqual({ ok: true, cost: 1 + 20 * 3 });
    expect(checkDocument(schema, search, { input: { text: "Nova", first: 100 } }, null, limits)).toEqual({ ok: true, cost: 1 + 100 * 3 });
    // A directive variable beside it still keys the cost by its own value.
    const both = parse(`query($input: EventSearchInput!, $all: Boolean!) { searchEvents(input: $input) @include(if: $all) { hits { event { id } } } }`);
    expect(checkDocument(schema, both, { input: { text: "Nova", first: 30 }, all: true }, null, limits)).toEqual({ ok: true, cost: 1 + 30 * 2 });
    expect(checkDocument(schema, both, { input: { text: "Nova", first: 30 }, all: false }, null, limits)).toEqual({ ok: true, cost: 0 });
  });
});

describe("aliases, depth and tokens", () => {
  it("refuses 31 aliases (the limit is 30) on every transport", async () => {
    const document = `{ ${aliases(31, (index) => `v${index}: viewer { id }`)} }`;
    const refusal = { code: "VALIDATION", reason: "ALIASES", maxAliases: 30 };
    for (const answer of [await post(document), await viaApollo(document)]) {
      expect(answer.status).toBe(400);
      expect(extensionsOf(answer.body)).toEqual([refusal]);
      expect(answer.body.errors![0]!.message).toBe("Aliases limit of 30 exceeded, found 31.");
    }
    expect(extensionsOf(await overWebSocket(document))).toEqual([refusal]);
    expect((await post(`{ ${aliases(30, (index) => `v${index}: viewer { id }`)} }`)).body).toEqual({ data: expect.any(Object) });
  });

  it("refuses a document nested deeper than GRAPHQL_MAX_DEPTH (12) on every transport", async () => {
    // The schema has no cycles this deep; __Type.ofType does (graphql-js's own introspection depth rule
    // counts fields, interfaces and possible types, not ofType).
    const deep = `{ __type(name: "Query") { fields { type { ${"ofType { ".repeat(10)}name${" }".repeat(10)} } } } }`;
    const refusal = { code: "VALIDATION", reason: "DEPTH", maxDepth: 12 };
    for (const answer of [await post(deep), await viaApollo(deep)]) {
      expect(answer.status).toBe(400);
      expect(extensionsOf(answer.body)).toEqual([refusal]);
      expect(answer.body.errors![0]!.message).toBe("Query depth limit of 12 exceeded, found 14.");
    }
    expect(extensionsOf(await overWebSocket(deep))).toEqual([refusal]);
  });

  it("refuses 5,000 aliases of a cheap field at once, before validating them", async () => {
    const document = `{ ${aliases(5_000, (index) => `t${index}: __typename`)} }`;
    const started = performance.now();
    const answers = [(await post(document)).body, (await viaApollo(document)).body, await overWebSocket(document)];
    expect(performance.now() - started).toBeLessThan(2_000);
    for (const body of answers) {
      expect(extensionsOf(body)).toEqual([{ code: "VALIDATION" }]);
      // (graphql-js's wording)
      expect(body.errors![0]!.message).toBe("Syntax Error: Document contains more that 2000 tokens. Parsing aborted.");
    }
  });

  it("counts tokens, not bytes: a long comment is no token", async () => {
    const response = await post(`{ viewer { id } } # ${"x".repeat(100_000)}`);
    expect(response).toEqual({ status: 200, body: { data: { viewer: null } } });
  });
});

describe("graphql-ws messages", () => {
  /** A raw graphql-transport-ws connection; resolves with the close code after sending `message`. */
  function closeCodeAfter(message: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(api.url.replace(/^http/, "ws"), "graphql-transport-ws");
      const timer = setTimeout(() => reject(new Error("the socket stayed open")), 5_000);
      socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: {} })));
      socket.on("message", (data) => {
        if (JSON.parse(String(data)).type === "connection_ack") socket.send(message);
      });
      socket.on("close", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
      socket.on("error", () => undefined);
    });
  }

  it("closes a connection that sends a message larger than an HTTP body may be (256 KB)", async () => {
    const query = `{ viewer { id } } # ${"x".repeat(300 * 1024)}`;
    expect(await closeCodeAfter(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }))).toBe(1009);
  });

  it("still answers a message under the limit", async () => {
    expect(await overWebSocket(`{ viewer { id } } # ${"x".repeat(200 * 1024)}`)).toEqual({ data: { viewer: null } });
  });
});

describe("introspection in production", () => {
  it("is refused over graphql-ws as over HTTP", async () => {
    const production = await startTestApi({
      database: api.database,
      env: {
        ...QUIET,
        NODE_ENV: "production",
        AUTH_TOKEN_SECRET: randomBytes(24).toString("hex"),
        STRIPE_SECRET_KEY: "sk_test_not_used",
        TICKET_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      },
    });
    try {
      const introspection = `{ __schema { queryType { name } } }`;
      const overWs = await overWebSocket(introspection, {}, production);
      expect(extensionsOf(overWs)).toEqual([{ code: "VALIDATION", reason: "INTROSPECTION" }]);
      expect(overWs.data ?? null).toBeNull();
      const typeOverWs = await overWebSocket(`{ __type(name: "Query") { name } }`, {}, production);
      expect(extensionsOf(typeOverWs)).toEqual([{ code: "VALIDATION", reason: "INTROSPECTION" }]);
      const direct = await post(introspection, {}, undefined, production.url);
      expect(direct.status).toBe(400);
      expect(extensionsOf(direct.body)).toEqual([{ code: "VALIDATION", reason: "INTROSPECTION" }]);
      const apollo = await viaApollo(introspection, {}, production.url);
      expect(apollo.status).toBe(400);
      expect(apollo.body.errors?.map((error) => error.extensions?.code)).toEqual(["VALIDATION"]);
      // An ordinary query still runs there.
      expect(await overWebSocket(`{ viewer { id } }`, {}, production)).toEqual({ data: { viewer: null } });
    } finally {
      await production.stop();
    }
  });
});

describe("control characters in input", () => {
  const count = async (table: string) => (await api.app.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  const refusedAt = (field: string) => ({ code: "VALIDATION", reason: "CONTROL_CHARACTER", field });

  it.each([
    ["events(filter.city)", `query($city: String) { events(filter: { city: $city }) { totalCount } }`, { city: "Chi\u0000cago" }, "city"],
    ["searchEvents(text)", `query($input: EventSearchInput!) { searchEvents(input: $input) { totalCount } }`, { input: { text: "rock\u0000" } }, "input.text"],
    ["a list in an input", `query($input: EventSearchInput!) { searchEvents(input: $input) { totalCount } }`, { input: { city: ["Chicago", "Lon\u0000don"] } }, "input.city.1"],
    ["login(email)", `mutation($input: LoginInput!) { login(input: $input) { token } }`, { input: { email: "fan\u0000@example.test", password: "long enough" } }, "input.email"],
  ])("refuses NUL in a variable: %s", async (_what, query, variables, field) => {
    api.statements.length = 0;
    for (const answer of [await post(query, variables), await viaApollo(query, variables)]) {
      expect(answer.status).toBe(400);
      expect(extensionsOf(answer.body)).toEqual([refusedAt(field)]);
    }
    expect(extensionsOf(await overWebSocket(query, variables))).toEqual([refusedAt(field)]);
    expect(api.statements).toEqual([]);
  });

  it.each([
    ["events(filter.city)", `{ events(filter: { city: "Chi\\u0000cago" }) { totalCount } }`],
    ["searchEvents(text)", `{ searchEvents(input: { text: "rock\\u0000" }) { totalCount } }`],
    ["a list in an input", `{ searchEvents(input: { city: ["Chicago", "Lon\\u0001don"] }) { totalCount } }`],
    ["login(email)", `mutation { login(input: { email: "fan\\u0000@example.test", password: "long enough" }) { token } }`],
  ])("refuses NUL (and other C0 controls) in a literal: %s", async (_what, query) => {
    api.statements.length = 0;
    for (const answer of [await post(query), await viaApollo(query)]) {
      expect(answer.status).toBe(400);
      expect(extensionsOf(answer.body)).toEqual([{ code: "VALIDATION", reason: "CONTROL_CHARACTER" }]);
    }
    expect(extensionsOf(await overWebSocket(query))).toEqual([{ code: "VALIDATION", reason: "CONTROL_CHARACTER" }]);
    expect(api.statements).toEqual([]);
  });

  it("refuses NUL in register(name) and creates no account", async () => {
    const before = await count("users");
    const register = `mutation($input: RegisterInput!) { register(input: $input) { token errors { code } } }`;
    const response = await post(register, { input: { email: `nul-${randomUUID()}@example.test`, password: "long enough", name: "Nul\u0000Name" } });
    expect(response.status).toBe(400);
    expect(extensionsOf(response.body)).toEqual([refusedAt("input.name")]);
    expect(await count("users")).toBe(before);
  });

  it("refuses NUL in holdSeats(requestKey) and checkout(idempotencyKey) and changes nothing", async () => {
    const shop = await sale(api);
    const fan = await createUser(api);
    const holdsBefore = await count("holds");
    const held = await post(HOLD, { input: { eventId: shop.eventId, seatIds: [shop.seatIds[0]], requestKey: "key\u0000" } }, fan.token);
    expect(extensionsOf(held.body)).toEqual([refusedAt("input.requestKey")]);
    expect(await count("holds")).toBe(holdsBefore);

    const placed = await hold(api, fan.token, { eventId: shop.eventId, seatIds: [shop.seatIds[0]] });
    const intentsBefore = await count("payment_intents");
    const paid = await post(CHECKOUT, { input: { holdId: placed.id, idempotencyKey: "\u0000", paymentToken: "tok_visa" } }, fan.token);
    expect(extensionsOf(paid.body)).toEqual([refusedAt("input.idempotencyKey")]);
    expect(await count("payment_intents")).toBe(intentsBefore);
    expect(await count("orders")).toBe(0);
  });

  it("lets tab, line feed and carriage return through", async () => {
    const response = await post(`query($city: String) { events(filter: { city: $city }) { totalCount } }`, { city: "Nowhere\t\r\n" });
    expect(response).toEqual({ status: 200, body: { data: { events: { totalCount: 0 } } } });
  });
});

describe("sign-in fields per request", () => {
  const LOGIN_TWICE = `mutation($a: LoginInput!, $b: LoginInput!) { a: login(input: $a) { token } b: login(input: $b) { token } }`;

  it("refuses two logins in one document and attempts neither", async () => {
    const credentials = { email: "fan@example.test", password: "guess number one" };
    api.statements.length = 0;
    for (const answer of [await post(LOGIN_TWICE, { a: credentials, b: credentials }), await viaApollo(LOGIN_TWICE, { a: credentials, b: credentials })]) {
      expect(answer.status).toBe(400);
      expect(extensionsOf(answer.body)).toEqual([{ code: "VALIDATION", reason: "AUTH_REPEATED", field: "login" }]);
    }
    expect(userReads()).toBe(0);
  });

  it("sees logins hidden in fragments and registers behind aliases", async () => {
    const fragments = `mutation { ...one ...two }
      fragment one on Mutation { a: login(input: { email: "x@example.test", password: "guess one" }) { token } }
      fragment two on Mutation { b: login(input: { email: "x@example.test", password: "guess two" }) { token } }`;
    expect(extensionsOf((await post(fragments)).body)).toEqual([{ code: "VALIDATION", reason: "AUTH_REPEATED", field: "login" }]);
    const before = (await api.app.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM users")).rows[0]!.n;
    const registers = `mutation { ${aliases(2, (index) => `r${index}: register(input: { email: "r${index}-${randomUUID()}@example.test", password: "long enough", name: "R" }) { token }`)} }`;
    expect(extensionsOf((await post(registers)).body)).toEqual([{ code: "VALIDATION", reason: "AUTH_REPEATED", field: "register" }]);
    expect((await api.app.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM users")).rows[0]!.n).toBe(before);
  });

  it("still lets one login through, also when the same field is spread twice (it runs once)", async () => {
    const once = `mutation { ...attempt ...attempt } fragment attempt on Mutation { login(input: { email: "nobody@example.test", password: "long enough" }) { errors { code } } }`;
    expect((await post(once)).body).toEqual({ data: { login: { errors: [{ code: "INVALID_CREDENTIALS" }] } } });
  });
});

describe("the storefront's operations", () => {
  it("all pass the default limits, with page sizes up to 100", () => {
    const root = fileURLToPath(new URL("../../../storefront/src", import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : /\.tsx?$/.test(name) ? [join(dir, name)] : []));
    const documents = new Map<string, string>();
    for (const file of files(root)) {
      for (const match of readFileSync(file, "utf8").matchAll(/const (\w+) = gql`([\s\S]*?)`;/g)) documents.set(match[1]!, match[2]!);
    }
    const expand = (name: string, seen: Set<string>): string =>
      documents.get(name)!.replace(/\$\{(\w+)\}/g, (_, inner: string) => (seen.has(inner) ? "" : (seen.add(inner), expand(inner, seen))));
    const id = randomUUID();
    const operations = [...documents.keys()].map((name) => [name, expand(name, new Set())] as const).filter(([, text]) => /^\s*(query|mutation|subscription)/.test(text));
    // The extraction found them (names from storefront/src/modules/*/graphql.ts).
    expect(operations.map(([name]) => name)).toEqual(expect.arrayContaining(["HOME_EVENTS", "EVENT_PAGE", "SEAT_MAP", "HOLD_SEATS", "CHECKOUT", "MY_ORDERS", "SEARCH_EVENTS", "LOGIN"]));
    for (const [name, text] of operations) {
      const variables = { id, eventId: id, sectionId: id, holdId: id, orderId: id, queueToken: "q", first: 100, input: { first: 100 } };
      const check = checkDocument(api.server.schema, parse(text, { maxTokens: api.server.limits.maxTokens }), variables, null, api.server.limits);
      expect(check.ok, `${name}: ${JSON.stringify(check)}`).toBe(true);
    }
  });
});
