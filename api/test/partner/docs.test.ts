/**
 * The partner docs at /docs (partner/partner.docs.ts) and who may introspect the schema.
 *
 * - The page lists every operation a key may call with its scope and the cost the gate really charges
 *   (each printed example is costed again here by the gate's own check), the configured limits, every
 *   error code and refusal reason; it runs no script, whatever a description says; its worked examples
 *   are valid against the schema.
 * - Introspection: in production, refused to anonymous callers on every transport (direct lane,
 *   Apollo, graphql-ws) and answered to partner keys and signed-in users; in development, answered to all.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { buildSchema, isObjectType, parse, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/platform/errors.js";
import { checkDocument, REFUSAL_REASONS } from "../../src/platform/graphql-limits.js";
import { escapeHtml, renderPartnerDocs } from "../../src/partner/partner.docs.js";
import { FLOWS } from "../../src/partner/partner.docs.flows.js";
import { MUTATION_WEIGHT } from "../../src/partner/partner.gate.js";
import { SCOPE_OF_FIELD, SCOPES } from "../../src/partner/partner.scopes.js";
import { createOrganization, createUser } from "../support/factories.js";
import { expectOk, startTestApi, type GraphQLResponse, type TestApi } from "../support/test-api.js";

const QUIET = { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", WAITING_ROOM_TICK_MS: "0" };
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key errors { code } } }`;
const INTROSPECTION = `{ __schema { queryType { name } } }`;

let api: TestApi;
let production: TestApi;
let html: string;
let response: Response;

beforeAll(async () => {
  // Unusual budget figures, so the test can tell them on the page from anything else.
  api = await startTestApi({ env: { ...QUIET, PARTNER_BUDGET_POINTS: "777", PARTNER_BUDGET_WINDOW_SECONDS: "37" } });
  production = await startTestApi({
    database: api.database,
    env: {
      ...QUIET,
      NODE_ENV: "production",
      AUTH_TOKEN_SECRET: randomBytes(24).toString("hex"),
      STRIPE_SECRET_KEY: "sk_test_not_used",
      TICKET_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    },
  });
  response = await fetch(api.url.replace(/\/graphql$/, "/docs"));
  html = await response.text();
});
afterAll(async () => {
  await production?.stop();
  await api?.stop();
});

/** The text of an HTML fragment as a reader sees it (entities decoded). */
const unescape = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** One operation's section of the page. */
function sectionOf(name: string): string {
  const match = new RegExp(`<section class="operation" id="op-${name}">([\\s\\S]*?)</section>`).exec(html);
  expect(match, `a section for ${name}`).not.toBeNull();
  return match![1]!;
}

describe("GET /docs", () => {
  it("answers a self-contained HTML page that may run no script", () => {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
  });

  it("documents every operation a key may call, under its scope, with the cost the gate charges", () => {
    const schema = api.server.schema;
    for (const [name, needed] of Object.entries(SCOPE_OF_FIELD)) {
      const section = sectionOf(name);
      const scopes = typeof needed === "string" ? [needed] : needed;
      expect(section).toContain(`<span class="scope">${escapeHtml(scopes.join(" or "))}</span>`);
      const kind = schema.getQueryType()?.getFields()[name] ? "query" : schema.getMutationType()?.getFields()[name] ? "mutation" : "subscription";
      expect(section).toContain(`<span class="kind">${kind}</span>`);
      // The printed example, costed again by the gate itself (plus a mutation's weight, as a key is charged).
      const printed = /class="cost">(\d+)</.exec(section);
      expect(printed, `a cost for ${name}`).not.toBeNull();
      const blocks = [...section.matchAll(/<pre><code>([\s\S]*?)<\/code><\/pre>/g)].map((block) => unescape(block[1]!));
      const document = parse(blocks[0]!);
      const variables = blocks[1] ? (JSON.parse(blocks[1]) as Record<string, unknown>) : {};
      expect(validate(schema, document)).toEqual([]);
      const check = checkDocument(schema, document, variables, null, api.server.limits);
      expect(check.ok).toBe(true);
      const weight = kind === "mutation" ? MUTATION_WEIGHT : 0;
      expect(Number(printed![1]), `cost of ${name}`).toBe((check as { cost: number }).cost + weight);
    }
    // Every scope has its row and its heading (even one whose operations are still to come).
    for (const scope of SCOPES) expect(html).toContain(`<td><code>${escapeHtml(scope)}</code></td>`);
  });

  it("prints costs that match a key's extensions.cost", async () => {
    const organizationId = await createOrganization(api.app.db.pool);
    const promoter = await createUser(api, { role: "PROMOTER", organizationId });
    const key = expectOk((await api.query(CREATE_KEY, { input: { name: "Docs test", scopes: ["catalogue:read"] } }, promoter.token)).data!.createApiKey).key;
    const section = sectionOf("events");
    const example = unescape(/<pre><code>([\s\S]*?)<\/code><\/pre>/.exec(section)![1]!);
    const answer = (await api.query(example, {}, key)) as GraphQLResponse & { extensions?: { cost: { requestedQueryCost: number } } };
    expect(answer.errors).toBeUndefined();
    expect(answer.extensions?.cost.requestedQueryCost).toBe(Number(/class="cost">(\d+)</.exec(section)![1]));
  });

  it("states the configured limits, the cost rules and fields with a cost of their own", () => {
    expect(html).toContain(`<span class="limit">777</span> points per <span class="limit">37</span> s`);
    expect(html).toContain(`at most <span class="limit">${api.app.config.maxQueryCost}</span>`);
    expect(html).toContain(`1 to ${api.app.config.maxPageSize}`);
    expect(html).toContain(`Each mutation field costs ${MUTATION_WEIGHT} more`);
    // The worked rule: 1 + 10 × (edge + node + venue), computed by the calculator.
    expect(html).toMatch(/costs 1 \+ 10 × \(1 edge \+ 1 node \+ 1 venue\) = <span class="cost">31<\/span>/);
    // Every field with a declared cost anywhere in the schema (e.g. Event.seatMap) is in the table.
    const schema = api.server.schema;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const field of Object.values(type.getFields())) {
        const declared = field.extensions?.complexity;
        if (typeof declared === "number") expect(html).toContain(`<td><code>${type.name}.${field.name}</code></td><td>${declared} + its selection</td>`);
      }
    }
  });

  it("lists every error code, the partner refusals and every VALIDATION reason", () => {
    for (const code of [...ERROR_CODES, "SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR"]) expect(html).toContain(`<tr><td><code>${code}</code></td>`);
    for (const reason of REFUSAL_REASONS) expect(html).toContain(`<tr><td><code>${reason}</code></td>`);
    expect(html).toContain("<code>retryAfterSeconds</code>");
    expect(html).toContain("<code>requiredScope</code>");
  });

  it("has a worked example of every partner flow, each GraphQL step valid against the schema once its operation exists", () => {
    for (const id of ["flow-buy", "flow-seats", "flow-webhooks", "flow-changes"]) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain("Boxoffice-Fan: ");
    expect(html).toContain("standardwebhooks");
    expect(html).toContain("webhook-signature");
    expect(html).toContain("connectionParams");
    const schema = api.server.schema;
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    let checked = 0;
    for (const step of FLOWS.flatMap((flow) => flow.steps)) {
      if (!step.graphql) continue;
      const document = parse(step.graphql.document);
      // Operations still being built elsewhere (the fan header's upsertPartnerFan, the change feed) are
      // checked as soon as they are in the schema.
      if (!rootFieldsOf(document).every((name) => roots.some((root) => root?.getFields()[name]))) continue;
      expect(validate(schema, document), step.title).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4); // events, event, holdSeats, checkout, seatStatusChanged at least
    // Each step that runs against this schema says what it costs a key.
    expect(html.match(/Cost for a key: <strong class="cost">\d+<\/strong>/g)?.length).toBe(checked);
  });

  it("escapes what the schema says: a description cannot add markup", () => {
    const schema: GraphQLSchema = buildSchema(`
      type Query {
        """<script>alert(1)</script> & <img src=x onerror=alert(2)>"""
        events(
          """<script>alert(3)</script>"""
          first: Int = 20
        ): [Event!]!
      }
      """<script>alert(4)</script>"""
      type Event { id: ID! name: String! }
    `);
    const page = renderPartnerDocs(schema, { limits: api.server.limits, budgetPoints: 10, budgetWindowSeconds: 1, maxPageSize: 100, maxRequestBytes: 1000 });
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).toContain("&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#60;img src=x onerror=alert(2)&#62;");
    expect(page).toContain("&#60;script&#62;alert(3)");
  });
});

function rootFieldsOf(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === "OperationDefinition" ? definition.selectionSet.selections.flatMap((selection) => (selection.kind === "Field" ? [selection.name.value] : [])) : [],
  );
}

describe("introspection", () => {
  const post = async (target: TestApi, token?: string) => {
    const answer = await fetch(target.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: INTROSPECTION }),
    });
    return { status: answer.status, body: (await answer.json()) as GraphQLResponse<any> };
  };
  /** Through Apollo (GET), not the direct lane. */
  const get = async (target: TestApi, token?: string) => {
    const answer = await fetch(`${target.url}?query=${encodeURIComponent(INTROSPECTION)}`, {
      headers: { "apollo-require-preflight": "true", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    return { status: answer.status, body: (await answer.json()) as GraphQLResponse<any> };
  };
  const overWebSocket = (target: TestApi, token?: string) =>
    new Promise<GraphQLResponse<any>>((resolve, reject) => {
      const client = target.wsClient(token);
      const timer = setTimeout(() => reject(new Error("no answer over graphql-ws")), 5_000);
      client.subscribe(
        { query: INTROSPECTION },
        {
          next: (result) => (clearTimeout(timer), resolve(result as GraphQLResponse<any>)),
          error: (errors) => (clearTimeout(timer), Array.isArray(errors) ? resolve({ errors }) : reject(errors instanceof Error ? errors : new Error(String(errors)))),
          complete: () => undefined,
        },
      );
    });
  const ANSWER = { __schema: { queryType: { name: "Query" } } };
  const REFUSED = [{ code: "VALIDATION", reason: "INTROSPECTION" }];

  it("in production: refused to anonymous callers on every transport, with a typed error", async () => {
    const direct = await post(production);
    expect(direct.status).toBe(400);
    expect(direct.body.errors?.map((error) => error.extensions)).toEqual(REFUSED);
    expect(direct.body.data ?? null).toBeNull();
    const apollo = await get(production);
    expect(apollo.status).toBe(400);
    expect(apollo.body.errors?.map((error) => error.extensions)).toEqual(REFUSED);
    const ws = await overWebSocket(production);
    expect(ws.errors?.map((error) => error.extensions)).toEqual(REFUSED);
    expect(ws.data ?? null).toBeNull();
  });

  it("in production: answered to a partner key and to a signed-in user, on every transport", async () => {
    const organizationId = await createOrganization(production.app.db.pool);
    const promoter = await createUser(production, { role: "PROMOTER", organizationId });
    const created = await production.query(CREATE_KEY, { input: { name: "Introspection", scopes: ["catalogue:read"] } }, promoter.token);
    const key = expectOk(created.data!.createApiKey).key;
    const fan = await createUser(production, { role: "FAN" });
    for (const token of [key, fan.token]) {
      const direct = await post(production, token);
      expect(direct.status).toBe(200);
      expect(direct.body.data).toEqual(ANSWER);
      const apollo = await get(production, token);
      expect(apollo.body.errors).toBeUndefined();
      expect(apollo.body.data).toEqual(ANSWER);
      expect((await overWebSocket(production, token)).data).toEqual(ANSWER);
    }
    // The key paid for it like any request.
    const answer = (await post(production, key)).body as GraphQLResponse & { extensions?: { cost: { requestedQueryCost: number } } };
    expect(answer.extensions?.cost.requestedQueryCost).toBeGreaterThan(0);
  });

  it("in development: answered to anonymous callers", async () => {
    expect((await post(api)).body.data).toEqual(ANSWER);
    expect((await get(api)).body.data).toEqual(ANSWER);
    expect((await overWebSocket(api)).data).toEqual(ANSWER);
  });
});
