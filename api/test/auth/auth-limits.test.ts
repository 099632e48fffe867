/**
 * Brakes on login and registration (auth.limits.ts), through the real API. The shared API trusts the
 * test's own address as a proxy (TRUSTED_PROXIES=127.0.0.1/32), so each test plays its clients with
 * X-Forwarded-For addresses of its own and no test spends another's limits.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/auth.password.js";
import { expectError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token user { id } errors { code message retryAfterSeconds } } }`;
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { token user { id } errors { code message retryAfterSeconds } } }`;

const LIMITS = {
  LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: "3",
  LOGIN_FAILURES_PER_ACCOUNT: "6",
  LOGIN_FAILURES_PER_ADDRESS_PER_DAY: "8",
  LOGIN_LOCKOUT_SECONDS: "2",
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: "3",
  REGISTRATIONS_PER_EMAIL_PER_HOUR: "2",
};

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { ...LIMITS, TRUSTED_PROXIES: "127.0.0.1/32", WAITING_ROOM_TICK_MS: "0" } });
});
afterAll(() => api.stop());

let lastAddress = 0;
/** A client address of this test's own (documentation range 198.51.100.0/24 and beyond). */
const newAddress = () => {
  lastAddress += 1;
  return `198.51.${100 + (lastAddress >> 8)}.${lastAddress & 255}`;
};
const from = (address: string) => ({ "x-forwarded-for": address });
const unique = () => randomBytes(4).toString("hex");

/** An account with a real Argon2id hash, written straight to the database (no limit spent). */
async function account(target: TestApi, password = "right password") {
  const email = `limits-${unique()}@example.test`;
  const { rows } = await target.app.db.pool.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, 'Limits', $2) RETURNING id`,
    [email, await hashPassword(password)],
  );
  return { id: rows[0]!.id, email, password };
}

const login = async (target: TestApi, email: string, password: string, address?: string) =>
  (await target.query(LOGIN, { input: { email, password } }, undefined, address ? from(address) : undefined)).data!.login;

const codes = (payloads: { errors: { code: string }[] }[]) => payloads.map((payload) => payload.errors.map((error) => error.code).join(",") || "OK");

describe("login limits per account", () => {
  it("locks an account after too many wrong passwords from one address, refuses even the right one until the lockout ends, and a success starts the count again", { timeout: 20_000 }, async () => {
    const user = await account(api);
    const address = newAddress();
    const answers = [];
    for (let attempt = 0; attempt < 3; attempt++) answers.push(await login(api, user.email, "wrong password", address));
    expect(codes(answers)).toEqual(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS"]);

    const refused = await login(api, user.email, user.password, address);
    expectError(refused, "RATE_LIMITED");
    expect(refused.token).toBeNull();
    expect(refused.errors[0].retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.errors[0].retryAfterSeconds).toBeLessThanOrEqual(2);

    await new Promise((resolve) => setTimeout(resolve, refused.errors[0].retryAfterSeconds * 1000 + 200));
    const admitted = expectOk(await login(api, user.email, user.password, address));
    expect(admitted.user.id).toBe(user.id);

    // The success cleared the failures in a row: three more wrong passwords are answered, not refused.
    const again = [];
    for (let attempt = 0; attempt < 3; attempt++) again.push(await login(api, user.email, "wrong password", address));
    expect(codes(again)).toEqual(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS"]);
  });

  it("locks an account for every address once its failures from all addresses are spent", async () => {
    const user = await account(api);
    const [first, second, third] = [newAddress(), newAddress(), newAddress()];
    const answers = [];
    for (let attempt = 0; attempt < 3; attempt++) answers.push(await login(api, user.email, "wrong password", first));
    for (let attempt = 0; attempt < 3; attempt++) answers.push(await login(api, user.email, "wrong password", second));
    expect(codes(answers)).toEqual(Array(6).fill("INVALID_CREDENTIALS"));
    const refused = await login(api, user.email, user.password, third);
    expectError(refused, "RATE_LIMITED");
    expect(refused.token).toBeNull();
    expect(refused.errors[0].retryAfterSeconds).toBeGreaterThan(0);
  });

  it("a lockout from one address leaves the account open from another", async () => {
    const user = await account(api);
    const [attacker, owner] = [newAddress(), newAddress()];
    for (let attempt = 0; attempt < 4; attempt++) await login(api, user.email, "wrong password", attacker);
    expectError(await login(api, user.email, user.password, attacker), "RATE_LIMITED");
    expect(expectOk(await login(api, user.email, user.password, owner)).user.id).toBe(user.id);
  });

  it("refuses 200 aliased logins in one request before any password is tried (the request gate), and counts none of them", { timeout: 30_000 }, async () => {
    const user = await account(api);
    const address = newAddress();
    const fields = Array.from({ length: 200 }, (_, index) => `a${index}: login(input: { email: $email, password: ${index === 149 ? "$right" : "$wrong"} }) { token errors { code } }`);
    const response = await api.query(
      `mutation($email: String!, $right: String!, $wrong: String!) { ${fields.join("\n")} }`,
      { email: user.email, right: user.password, wrong: "wrong password" },
      undefined,
      from(address),
    );
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.map((error) => error.extensions?.code)).toContain("VALIDATION");
    // Nothing was tried, so nothing was counted: the right password still gets in from that address.
    expect((await login(api, user.email, user.password, address)).token).toEqual(expect.any(String));
  });

  it("counts attempts made at the same time: of 30 concurrent wrong logins only the limit are answered", async () => {
    const user = await account(api);
    const address = newAddress();
    const answers = await Promise.all(Array.from({ length: 30 }, () => login(api, user.email, "wrong password", address)));
    const tally = codes(answers).reduce<Record<string, number>>((counts, code) => ({ ...counts, [code]: (counts[code] ?? 0) + 1 }), {});
    expect(tally).toEqual({ INVALID_CREDENTIALS: 3, RATE_LIMITED: 27 });
  });
});

describe("login limits per address", () => {
  it("refuses an address after too many failures across accounts, known or not, and other addresses go on", async () => {
    const user = await account(api);
    const address = newAddress();
    const answers = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      answers.push(await login(api, attempt % 2 === 0 ? `nobody-${unique()}@example.test` : (await account(api)).email, "password123", address));
    }
    expect(codes(answers)).toEqual(Array(8).fill("INVALID_CREDENTIALS"));
    const refused = await login(api, user.email, user.password, address);
    expectError(refused, "RATE_LIMITED");
    // The window is a day: the wait is hours, not the account lockout's seconds.
    expect(refused.errors[0].retryAfterSeconds).toBeGreaterThan(3600);
    expectOk(await login(api, user.email, user.password, newAddress()));
  });

  it("gives a success's attempt back to its address", async () => {
    const user = await account(api);
    const address = newAddress();
    for (let attempt = 0; attempt < 20; attempt++) expectOk(await login(api, user.email, user.password, address));
  });

  it("refuses an unknown email exactly like a known one", async () => {
    const user = await account(api);
    const [known, unknown] = [newAddress(), newAddress()];
    const nobody = `nobody-${unique()}@example.test`;
    const knownAnswers = [];
    const unknownAnswers = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      knownAnswers.push(await login(api, user.email, "wrong password", known));
      unknownAnswers.push(await login(api, nobody, "wrong password", unknown));
    }
    expect(codes(unknownAnswers)).toEqual(codes(knownAnswers));
    expect(codes(knownAnswers)).toEqual(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "RATE_LIMITED"]);
    expect(unknownAnswers.map((answer) => answer.errors[0].message)).toEqual(knownAnswers.map((answer) => answer.errors[0].message));
  });

  it("answers an unknown email in about the time of a wrong password for a known one", { timeout: 60_000 }, async () => {
    const samples = { known: [] as number[], unknown: [] as number[] };
    const timed = async (email: string) => {
      const started = performance.now();
      expectError(await login(api, email, "wrong password", newAddress()), "INVALID_CREDENTIALS");
      return performance.now() - started;
    };
    const users = await Promise.all(Array.from({ length: 10 }, () => account(api)));
    // Warm-up: the first unknown email makes the dummy hash.
    await timed(`nobody-${unique()}@example.test`);
    for (const user of users) {
      samples.known.push(await timed(user.email));
      samples.unknown.push(await timed(`nobody-${unique()}@example.test`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    const ratio = median(samples.unknown) / median(samples.known);
    // Without the dummy verification an unknown email answers in ~1 ms against tens of ms for Argon2id.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it("counts an IPv6 client by its /64: fresh addresses from one subscriber's range share a bucket", async () => {
    const prefix = `2001:db8:${(lastAddress += 1).toString(16)}:1`;
    const answers = [];
    for (let attempt = 0; attempt < 9; attempt++) answers.push(await login(api, `nobody-${unique()}@example.test`, "password123", `${prefix}::${attempt + 1}`));
    expect(codes(answers)).toEqual([...Array(8).fill("INVALID_CREDENTIALS"), "RATE_LIMITED"]);
    const user = await account(api);
    expectOk(await login(api, user.email, user.password, `2001:db8:${(lastAddress += 1).toString(16)}:2::1`));
  });
});

describe("registration limits", () => {
  const userCount = async () => (await api.app.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM users")).rows[0]!.n;
  const register = async (email: string, address: string) =>
    (await api.query(REGISTER, { input: { email, password: "long enough", name: "New" } }, undefined, from(address))).data!.register;

  it("refuses registrations from one address past the hourly limit and creates nothing; other addresses go on", async () => {
    const address = newAddress();
    for (let attempt = 0; attempt < 3; attempt++) expectOk(await register(`reg-${unique()}@example.test`, address));
    const before = await userCount();
    const refused = await register(`reg-${unique()}@example.test`, address);
    expectError(refused, "RATE_LIMITED");
    expect(refused.token).toBeNull();
    expect(refused.errors[0].retryAfterSeconds).toBeGreaterThan(0);
    expect(await userCount()).toBe(before);
    expectOk(await register(`reg-${unique()}@example.test`, newAddress()));
  });

  it("refuses registrations for one email past the hourly limit, from any address", async () => {
    const email = `reg-${unique()}@example.test`;
    expectOk(await register(email, newAddress()));
    expectError(await register(email, newAddress()), "EMAIL_TAKEN");
    expectError(await register(email.toUpperCase(), newAddress()), "RATE_LIMITED");
  });
});

describe("client addresses behind a proxy", () => {
  it("gives two clients behind a trusted proxy their own buckets, over HTTP and graphql-ws alike", async () => {
    const user = await account(api);
    const [first, second] = [newAddress(), newAddress()];
    for (let attempt = 0; attempt < 8; attempt++) await login(api, `nobody-${unique()}@example.test`, "password123", first);
    expectError(await login(api, user.email, user.password, first), "RATE_LIMITED");
    expectOk(await login(api, user.email, user.password, second));

    const overWebSocket = async (address: string) => {
      const client = api.wsClient(undefined, from(address));
      return new Promise<any>((resolve, reject) => {
        client.subscribe({ query: LOGIN, variables: { input: { email: user.email, password: user.password } } }, { next: resolve, error: reject, complete: () => undefined });
      });
    };
    expectError((await overWebSocket(first)).data.login, "RATE_LIMITED");
    expectOk((await overWebSocket(newAddress())).data.login);
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy: spoofed addresses share the peer's bucket", async () => {
    const direct = await startTestApi({ env: { ...LIMITS, WAITING_ROOM_TICK_MS: "0" } });
    try {
      const user = await account(direct);
      const answers = [];
      for (let attempt = 0; attempt < 8; attempt++) answers.push(await login(direct, `nobody-${unique()}@example.test`, "password123", newAddress()));
      expect(codes(answers)).toEqual(Array(8).fill("INVALID_CREDENTIALS"));
      expectError(await login(direct, user.email, user.password, newAddress()), "RATE_LIMITED");
      expectError(await login(direct, user.email, user.password), "RATE_LIMITED");
    } finally {
      await direct.stop();
    }
  });
});
