import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganization, createUser } from "../support/factories.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { token user { id email name role } errors { code message field } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token user { id email role } errors { code message field } } }`;
const VIEWER = `{ viewer { id email role } }`;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

const userCount = async () => (await api.app.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM users")).rows[0]!.n;

describe("register and login", () => {
  it("registers a fan, stores an Argon2id hash, and the token identifies the viewer", async () => {
    const response = await api.query(REGISTER, { input: { email: " New.Fan@Example.test ", password: "correct horse", name: "New Fan" } });
    const payload = expectOk(response.data!.register);
    expect(payload.user).toMatchObject({ email: "new.fan@example.test", name: "New Fan", role: "FAN" });
    const stored = await api.app.db.pool.query("SELECT password_hash FROM users WHERE email = 'new.fan@example.test'");
    expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const viewer = await api.query(VIEWER, {}, payload.token);
    expect(viewer.data!.viewer).toEqual({ id: payload.user.id, email: "new.fan@example.test", role: "FAN" });
  });

  it("refuses a taken email (any case) with EMAIL_TAKEN and creates nothing", async () => {
    await api.query(REGISTER, { input: { email: "taken@example.test", password: "password-1", name: "A" } });
    const before = await userCount();
    const response = await api.query(REGISTER, { input: { email: "TAKEN@example.test", password: "password-2", name: "B" } });
    expectError(response.data!.register, "EMAIL_TAKEN");
    expect(response.data!.register.token).toBeNull();
    expect(await userCount()).toBe(before);
  });

  it.each([
    [{ email: "not-an-email", password: "long enough", name: "X" }, "email"],
    [{ email: "short@example.test", password: "short", name: "X" }, "password"],
    [{ email: "long@example.test", password: "x".repeat(129), name: "X" }, "password"],
    [{ email: "blank@example.test", password: "long enough", name: "   " }, "name"],
  ])("rejects invalid registration input %# with VALIDATION on the field", async (input, field) => {
    const before = await userCount();
    const response = await api.query(REGISTER, { input });
    expectError(response.data!.register, "VALIDATION");
    expect(response.data!.register.errors[0].field).toBe(field);
    expect(await userCount()).toBe(before);
  });

  it("logs in with the right password and answers INVALID_CREDENTIALS for a wrong password or unknown email", async () => {
    await api.query(REGISTER, { input: { email: "login@example.test", password: "right password", name: "L" } });
    const good = expectOk((await api.query(LOGIN, { input: { email: "Login@example.test", password: "right password" } })).data!.login);
    expect(good.user.email).toBe("login@example.test");
    const wrong = (await api.query(LOGIN, { input: { email: "login@example.test", password: "wrong password" } })).data!.login;
    expectError(wrong, "INVALID_CREDENTIALS");
    const unknown = (await api.query(LOGIN, { input: { email: "nobody@example.test", password: "right password" } })).data!.login;
    expectError(unknown, "INVALID_CREDENTIALS");
    expect(unknown.errors[0].message).toBe(wrong.errors[0].message);
  });
});

describe("bearer tokens", () => {
  it("answers viewer null without a token", async () => {
    expect((await api.query(VIEWER)).data).toEqual({ viewer: null });
  });

  it("rejects a forged, altered or malformed token with UNAUTHENTICATED", async () => {
    const user = await createUser(api);
    const [header, body] = user.token.split(".");
    const forgedBody = Buffer.from(JSON.stringify({ sub: user.id, role: "ADMIN", iss: "boxoffice", aud: "boxoffice-api" })).toString("base64url");
    for (const token of [`${header}.${forgedBody}.${user.token.split(".")[2]}`, `${header}.${body}.AAAA`, "garbage"]) {
      expectGraphQLError(await api.query(VIEWER, {}, token), "UNAUTHENTICATED");
    }
  });

  it("authenticates graphql-ws connections from connectionParams and refuses bad tokens", async () => {
    const user = await createUser(api);
    const client = api.wsClient(user.token);
    const result = await new Promise<unknown>((resolve, reject) => {
      client.subscribe({ query: VIEWER }, { next: resolve, error: reject, complete: () => undefined });
    });
    expect(result).toEqual({ data: { viewer: { id: user.id, email: user.email, role: "FAN" } } });

    const refused = api.wsClient("not-a-valid-token");
    const closed = await new Promise<unknown>((resolve) => {
      refused.subscribe({ query: VIEWER }, { next: () => resolve("next"), error: resolve, complete: () => resolve("complete") });
    });
    expect((closed as { code?: number }).code).toBe(4403);
  });
});

describe("role guards", () => {
  const MANAGED = `{ managedEvents { totalCount } }`;

  it("answers UNAUTHENTICATED without a token and FORBIDDEN for a fan", async () => {
    expectGraphQLError(await api.query(MANAGED), "UNAUTHENTICATED");
    const fan = await createUser(api);
    expectGraphQLError(await api.query(MANAGED, {}, fan.token), "FORBIDDEN");
  });

  it("lets promoters and admins through", async () => {
    const organizationId = await createOrganization(api.app.db.pool);
    const promoter = await createUser(api, { role: "PROMOTER", organizationId });
    const admin = await createUser(api, { role: "ADMIN" });
    expect((await api.query(MANAGED, {}, promoter.token)).data).toEqual({ managedEvents: { totalCount: 0 } });
    expect((await api.query(MANAGED, {}, admin.token)).errors).toBeUndefined();
  });
});
