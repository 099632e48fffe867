/**
 * POST /graphql on node:http (platform/http-graphql.ts): the direct lane answers ordinary requests, and
 * everything it hands to Apollo keeps Apollo's status codes and the contract's error codes.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../support/factories.js";
import { startTestApi, type TestApi } from "../support/test-api.js";

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

async function post(body: string, headers: Record<string, string> = {}, url = api.url) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), body: JSON.parse(text) as { data?: any; errors?: any[] } };
}

describe("POST /graphql", () => {
  it("answers the same document twice with data (parsed once) and a signed-in fan with their account", async () => {
    const fan = await createUser(api);
    const query = JSON.stringify({ query: "query Me { viewer { id email } }", operationName: "Me" });
    const first = await post(query, { authorization: `Bearer ${fan.token}` });
    const second = await post(query, { authorization: `Bearer ${fan.token}` });
    expect(first).toEqual({ status: 200, type: "application/json; charset=utf-8", body: { data: { viewer: { id: fan.id, email: fan.email } } } });
    expect(second.body).toEqual(first.body);
    // Apollo Client 4 sends its name and version as an extension.
    const withExtensions = JSON.stringify({ query: "query Me { viewer { id email } }", extensions: { clientLibrary: { name: "@apollo/client", version: "4" } } });
    expect((await post(withExtensions, { authorization: `Bearer ${fan.token}` })).body).toEqual(first.body);
  });

  it("formats resolver errors with contract codes and keeps the data that resolved", async () => {
    const response = await post(JSON.stringify({ query: "{ events(first: 1) { edges { node { id } } } hold(id: \"00000000-0000-4000-8000-000000000000\") { id } }" }));
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ events: { edges: expect.any(Array) }, hold: null });
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: ["hold"], extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }) }),
    ]);
    expect(JSON.stringify(response.body)).not.toMatch(/stack|at \//);
  });

  it.each([
    ["an unknown field", JSON.stringify({ query: "{ nope }" }), {}, 400, "VALIDATION"],
    ["a document that does not parse", JSON.stringify({ query: "{ events(" }), {}, 400, "VALIDATION"],
    ["variables of the wrong type", JSON.stringify({ query: "query($id: ID!) { event(id: $id) { id } }", variables: { id: { no: 1 } } }), {}, 400, "VALIDATION"],
    ["a missing query", JSON.stringify({ variables: {} }), {}, 400, "VALIDATION"],
    ["a forged token", JSON.stringify({ query: "{ viewer { id } }" }), { authorization: "Bearer abc.def.ghi" }, 401, "UNAUTHENTICATED"],
    ["malformed JSON", "{ not json", {}, 400, "VALIDATION"],
    ["a JSON string instead of an object", JSON.stringify("{ viewer { id } }"), {}, 400, "VALIDATION"],
    ["malformed JSON with a charset", "{ not json", { "content-type": "application/json; charset=utf-8" }, 400, "VALIDATION"],
    ["a body over 256 kB", JSON.stringify({ query: `{ viewer { id } } # ${"x".repeat(300_000)}` }), {}, 413, "VALIDATION"],
  ])("answers %s with its status and a typed error", async (_what, body, headers, status, code) => {
    const response = await post(body, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(response.body.data ?? null).toBeNull();
  });

  it("reads compressed and plain bodies alike (body-parser inflates the compressed one)", async () => {
    const query = JSON.stringify({ query: "{ events(first: 1) { edges { node { id } } } }" });
    const plain = await post(query, { "content-type": "Application/JSON; charset=UTF-8" });
    const compressed = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(query),
    });
    expect(plain.status).toBe(200);
    expect(plain.body.data.events.edges).toBeInstanceOf(Array);
    expect(compressed.status).toBe(200);
    expect(await compressed.json()).toEqual(plain.body);
  });

  it("answers the next requests after clients went away halfway through their bodies", async () => {
    const { hostname, port } = new URL(api.url);
    for (let index = 0; index < 5; index++) {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(`POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":`);
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 20);
        });
        socket.on("error", reject);
      });
    }
    const after = await post(JSON.stringify({ query: "{ events(first: 1) { edges { node { id } } } }" }));
    expect(after.status).toBe(200);
    expect(after.body.data.events.edges).toBeInstanceOf(Array);
  });

  it("leaves requests that are not JSON to Apollo's CSRF protection", async () => {
    const response = await fetch(api.url, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: "{ viewer { id } }" }) });
    expect(response.status).toBe(400);
  });

  it("answers introspection in development and refuses it in production, as Apollo did", async () => {
    const introspection = JSON.stringify({ query: "{ __schema { queryType { name } } }" });
    expect((await post(introspection)).body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
    const production = await startTestApi({
      database: api.database,
      env: {
        NODE_ENV: "production",
        AUTH_TOKEN_SECRET: randomBytes(24).toString("hex"),
        STRIPE_SECRET_KEY: "sk_test_not_used",
        TICKET_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
        HOLD_SWEEP_INTERVAL_MS: "0",
        RECONCILE_INTERVAL_MS: "0",
        OUTBOX_POLL_INTERVAL_MS: "0",
        WAITING_ROOM_TICK_MS: "0",
      },
    });
    try {
      const refused = await post(introspection, {}, production.url);
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe("VALIDATION");
      expect((await post(JSON.stringify({ query: "{ events(first: 1) { edges { node { id } } } }" }), {}, production.url)).status).toBe(200);
    } finally {
      await production.stop();
    }
  });
});
