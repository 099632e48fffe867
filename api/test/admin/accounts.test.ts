/**
 * Organizations and accounts in the console (admins only), and what an admin's change does to the
 * sessions the account already has: a disabled or moved account's older tokens are refused at once
 * by the API process that made the change and within SESSION_REFRESH_MS by another one; a disabled
 * account cannot sign in. Every refusal changes nothing and records nothing.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganization, createUser } from "../support/factories.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import { auditSince, lastAuditId } from "./venues-helpers.js";

const USER_FIELDS = "id email name role organizationId organizationName disabled disabledAt createdAt";
const ORGANIZATIONS = `query($filter: AdminOrganizationFilter) { adminOrganizations(filter: $filter, perPage: 100) { total items { id name slug users venues events } } }`;
const ONE_ORGANIZATION = `query($id: ID!) { adminOrganization(id: $id) { id name } }`;
const CREATE_ORGANIZATION = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id name slug users } errors { code message field } } }`;
const UPDATE_ORGANIZATION = `mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { id name } errors { code message field } } }`;
const USERS = `query($filter: AdminUserFilter) { adminUsers(filter: $filter, perPage: 100) { total items { ${USER_FIELDS} } } }`;
const ONE_USER = `query($id: ID!) { adminUser(id: $id) { ${USER_FIELDS} } }`;
const CREATE_USER = `mutation($input: CreateUserAccountInput!) { createUserAccount(input: $input) { user { ${USER_FIELDS} } errors { code message field } } }`;
const UPDATE_USER = `mutation($input: UpdateUserAccountInput!) { updateUserAccount(input: $input) { user { ${USER_FIELDS} } errors { code message field } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token user { id role } errors { code message } } }`;
const VIEWER = `{ viewer { id } }`;
const MY_VENUES = `{ adminVenues(perPage: 100) { total items { id organizationId } } }`;

let api: TestApi;
let pool: pg.Pool;
let orgA: string;
let orgB: string;
let admin: { id: string; token: string };
let promoter: { id: string; token: string };
let fan: { id: string; token: string };

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", SESSION_REFRESH_MS: "200" } });
  pool = api.app.db.pool;
  orgA = await createOrganization(pool, "Org A");
  orgB = await createOrganization(pool, "Org B");
  admin = await createUser(api, { role: "ADMIN" });
  promoter = await createUser(api, { role: "PROMOTER", organizationId: orgA });
  fan = await createUser(api);
});
afterAll(async () => {
  await api.stop();
});

/** Every account and organization as stored, to prove a refusal changed nothing. */
async function snapshot() {
  const users = await pool.query(`SELECT id, email, name, role, organization_id, disabled_at, session_version, sessions_changed_at FROM users ORDER BY id`);
  const organizations = await pool.query(`SELECT id, name, slug FROM organizations ORDER BY id`);
  return { users: users.rows, organizations: organizations.rows };
}

const uniqueEmail = (label: string) => `${label}-${Math.random().toString(16).slice(2, 10)}@example.test`;

describe("who may manage accounts", () => {
  const operations: { name: string; document: string; variables: () => Record<string, unknown>; mutation: boolean }[] = [
    { name: "adminOrganizations", document: ORGANIZATIONS, variables: () => ({}), mutation: false },
    { name: "adminOrganization", document: ONE_ORGANIZATION, variables: () => ({ id: orgA }), mutation: false },
    { name: "createOrganization", document: CREATE_ORGANIZATION, variables: () => ({ input: { name: "Sneaky Promotions" } }), mutation: true },
    { name: "updateOrganization", document: UPDATE_ORGANIZATION, variables: () => ({ input: { id: orgA, name: "Renamed" } }), mutation: true },
    { name: "adminUsers", document: USERS, variables: () => ({}), mutation: false },
    { name: "adminUser", document: ONE_USER, variables: () => ({ id: fan.id }), mutation: false },
    {
      name: "createUserAccount",
      document: CREATE_USER,
      variables: () => ({ input: { email: uniqueEmail("sneaky"), name: "Sneaky", password: "password-123", role: "ADMIN" } }),
      mutation: true,
    },
    { name: "updateUserAccount", document: UPDATE_USER, variables: () => ({ input: { id: promoter.id, role: "ADMIN" } }), mutation: true },
  ];

  for (const operation of operations) {
    it(`${operation.name}: a promoter and a fan are FORBIDDEN, an anonymous caller UNAUTHENTICATED, and nothing changes`, async () => {
      const before = await snapshot();
      const audit = await lastAuditId(pool);
      expectGraphQLError(await api.query(operation.document, operation.variables(), promoter.token), "FORBIDDEN");
      expectGraphQLError(await api.query(operation.document, operation.variables(), fan.token), "FORBIDDEN");
      expectGraphQLError(await api.query(operation.document, operation.variables()), "UNAUTHENTICATED");
      expect(await snapshot()).toEqual(before);
      expect(await auditSince(pool, audit)).toEqual([]);
    });
  }

  it("an admin lists and reads organizations and accounts, with their counts", async () => {
    const organizations = await api.query(ORGANIZATIONS, { filter: { q: "org a" } }, admin.token);
    expect(organizations.data!.adminOrganizations.items).toEqual([{ id: orgA, name: "Org A", slug: expect.any(String), users: 1, venues: 0, events: 0 }]);
    const promoters = await api.query(USERS, { filter: { role: "PROMOTER", organizationId: orgA } }, admin.token);
    expect(promoters.data!.adminUsers.items.map((user: { id: string }) => user.id)).toEqual([promoter.id]);
    expect(promoters.data!.adminUsers.items[0]).toMatchObject({ organizationName: "Org A", disabled: false, disabledAt: null });
    expect((await api.query(ONE_USER, { id: fan.id }, admin.token)).data!.adminUser).toMatchObject({ id: fan.id, role: "FAN", organizationId: null });
    expectGraphQLError(await api.query(USERS, { filter: { organizationId: "nope" } }, admin.token), "VALIDATION");
  });
});

describe("an admin creates an organization and a promoter who then signs in", () => {
  it("the promoter signs in with the first password and manages that organization; both changes are audited without secrets", async () => {
    const audit = await lastAuditId(pool);
    const organization = expectOk((await api.query(CREATE_ORGANIZATION, { input: { name: "Harbour Live" } }, admin.token)).data!.createOrganization).organization;
    expect(organization).toMatchObject({ name: "Harbour Live", slug: "harbour-live", users: 0 });
    expectError((await api.query(CREATE_ORGANIZATION, { input: { name: "Harbour  Live!" } }, admin.token)).data!.createOrganization, "VALIDATION");

    const email = uniqueEmail("promoter");
    const created = expectOk(
      (await api.query(CREATE_USER, { input: { email: email.toUpperCase(), name: "Pat Promoter", password: "first-password", role: "PROMOTER", organizationId: organization.id } }, admin.token)).data!
        .createUserAccount,
    ).user;
    expect(created).toMatchObject({ email, role: "PROMOTER", organizationId: organization.id, organizationName: "Harbour Live", disabled: false });

    const login = (await api.query(LOGIN, { input: { email, password: "first-password" } })).data!.login;
    expect(login.user).toEqual({ id: created.id, role: "PROMOTER" });
    const venue = await api.query(
      `mutation($input: CreateVenueInput!) { createVenue(input: $input) { venue { id organizationId } errors { code } } }`,
      { input: { name: "Harbour Hall", city: "Leeds", country: "GB", timezone: "Europe/London", latitude: 53.8, longitude: -1.55 } },
      login.token,
    );
    expect(venue.data!.createVenue.venue.organizationId).toBe(organization.id);

    const rows = await auditSince(pool, audit);
    expect(rows.map((row) => row.action)).toEqual(["organization.create", "user.create", "venue.create"]);
    expect(rows[1]).toMatchObject({ actorUserId: admin.id, organizationId: null, entityId: created.id, before: null });
    expect(JSON.stringify(rows[1]!.after)).not.toMatch(/password|argon/i);
  });

  it("bad accounts are refused with the field named, and nothing is written", async () => {
    const before = await snapshot();
    const audit = await lastAuditId(pool);
    const create = async (input: Record<string, unknown>) =>
      (await api.query(CREATE_USER, { input: { email: uniqueEmail("x"), name: "X", password: "long-enough", role: "PROMOTER", organizationId: orgA, ...input } }, admin.token)).data!.createUserAccount;
    expect((await create({ email: "not-an-email" })).errors[0]).toMatchObject({ code: "VALIDATION", field: "email" });
    expect((await create({ password: "short" })).errors[0]).toMatchObject({ code: "VALIDATION", field: "password" });
    expect((await create({ organizationId: null })).errors[0]).toMatchObject({ code: "VALIDATION", field: "organizationId" });
    expect((await create({ organizationId: "00000000-0000-4000-8000-000000000000" })).errors[0]).toMatchObject({ code: "NOT_FOUND", field: "organizationId" });
    expect((await create({ role: "FAN" })).errors[0]).toMatchObject({ code: "VALIDATION", field: "role" });
    const taken = await pool.query<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [fan.id]);
    expect((await create({ email: taken.rows[0]!.email })).errors[0]).toMatchObject({ code: "EMAIL_TAKEN", field: "email" });
    const update = async (input: Record<string, unknown>) => (await api.query(UPDATE_USER, { input }, admin.token)).data!.updateUserAccount;
    expect((await update({ id: fan.id, organizationId: orgA })).errors[0]).toMatchObject({ code: "VALIDATION", field: "organizationId" });
    expect((await update({ id: promoter.id, organizationId: null })).errors[0]).toMatchObject({ code: "VALIDATION", field: "organizationId" });
    expect((await update({ id: admin.id, disabled: true })).errors[0]).toMatchObject({ code: "VALIDATION", field: "disabled" });
    expect((await update({ id: admin.id, role: "PROMOTER", organizationId: orgA })).errors[0]).toMatchObject({ code: "VALIDATION" });
    expect((await update({ id: "00000000-0000-4000-8000-000000000000", name: "Nobody" })).errors[0]).toMatchObject({ code: "NOT_FOUND" });
    expect(await snapshot()).toEqual(before);
    expect(await auditSince(pool, audit)).toEqual([]);
  });
});

describe("ending sessions", () => {
  async function promoterWithPassword(organizationId: string) {
    const email = uniqueEmail("session");
    const user = expectOk(
      (await api.query(CREATE_USER, { input: { email, name: "Sam Session", password: "session-password", role: "PROMOTER", organizationId } }, admin.token)).data!.createUserAccount,
    ).user;
    const token = (await api.query(LOGIN, { input: { email, password: "session-password" } })).data!.login.token as string;
    return { id: user.id as string, email, token };
  }

  it("a disabled account's token is refused at once here and within the refresh interval in another API process; it cannot sign in until enabled", async () => {
    const other = await startTestApi({ database: api.database, env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", SESSION_REFRESH_MS: "200" } });
    try {
      const account = await promoterWithPassword(orgA);
      expect((await other.query(VIEWER, {}, account.token)).data!.viewer).toEqual({ id: account.id });

      const disabled = expectOk((await api.query(UPDATE_USER, { input: { id: account.id, disabled: true } }, admin.token)).data!.updateUserAccount).user;
      expect(disabled).toMatchObject({ disabled: true, disabledAt: expect.any(String) });
      // The process that made the change: at once.
      expectGraphQLError(await api.query(VIEWER, {}, account.token), "UNAUTHENTICATED");
      // Another process: at its next refresh (200 ms here), well within 2 s.
      const started = Date.now();
      while ((await other.query(VIEWER, {}, account.token)).errors === undefined) {
        expect(Date.now() - started).toBeLessThan(2_000);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expectGraphQLError(await other.query(MY_VENUES, {}, account.token), "UNAUTHENTICATED");

      const refused = (await api.query(LOGIN, { input: { email: account.email, password: "session-password" } })).data!.login;
      expect(refused).toMatchObject({ token: null, errors: [{ code: "FORBIDDEN" }] });

      expectOk((await api.query(UPDATE_USER, { input: { id: account.id, disabled: false } }, admin.token)).data!.updateUserAccount);
      // Enabled again: a new sign-in works, and the token from before the disabling stays dead.
      const again = (await other.query(LOGIN, { input: { email: account.email, password: "session-password" } })).data!.login;
      expect(again.errors).toEqual([]);
      expect((await other.query(VIEWER, {}, again.token)).data!.viewer).toEqual({ id: account.id });
      expectGraphQLError(await api.query(VIEWER, {}, account.token), "UNAUTHENTICATED");

      const actions = (await pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [account.id])).rows.map((row) => row.action);
      expect(actions).toEqual(["user.create", "user.disable", "user.enable"]);
    } finally {
      await other.stop();
    }
  });

  it("a promoter moved to another organization keeps no access to the old one through an old token", async () => {
    const account = await promoterWithPassword(orgA);
    await api.query(
      `mutation($input: CreateVenueInput!) { createVenue(input: $input) { errors { code } } }`,
      { input: { name: "Org A Hall", city: "York", country: "GB", timezone: "Europe/London", latitude: 53.96, longitude: -1.08 } },
      account.token,
    );
    expectOk((await api.query(UPDATE_USER, { input: { id: account.id, organizationId: orgB } }, admin.token)).data!.updateUserAccount);
    expectGraphQLError(await api.query(MY_VENUES, {}, account.token), "UNAUTHENTICATED");
    const fresh = (await api.query(LOGIN, { input: { email: account.email, password: "session-password" } })).data!.login.token as string;
    const venues = (await api.query(MY_VENUES, {}, fresh)).data!.adminVenues;
    expect(venues.items.every((venue: { organizationId: string }) => venue.organizationId === orgB)).toBe(true);
    expect(venues.items.some((venue: { organizationId: string }) => venue.organizationId === orgA)).toBe(false);
  });

  it("a rename changes no access: the account's token keeps working", async () => {
    const account = await promoterWithPassword(orgA);
    expectOk((await api.query(UPDATE_USER, { input: { id: account.id, name: "Samantha Session" } }, admin.token)).data!.updateUserAccount);
    expect((await api.query(VIEWER, {}, account.token)).data!.viewer).toEqual({ id: account.id });
  });

  it("two admins demoting each other at the same moment: exactly one succeeds, and one active admin always remains", async () => {
    // A database of its own: the other tests' admins must not count.
    const lone = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" } });
    try {
      const org = await createOrganization(lone.app.db.pool);
      const first = await createUser(lone, { role: "ADMIN" });
      const second = await createUser(lone, { role: "ADMIN" });
      for (let round = 0; round < 5; round++) {
        const [a, b] = await Promise.all([
          lone.query(UPDATE_USER, { input: { id: second.id, role: "PROMOTER", organizationId: org } }, first.token),
          lone.query(UPDATE_USER, { input: { id: first.id, role: "PROMOTER", organizationId: org } }, second.token),
        ]);
        const outcomes = [a, b].map((response) => (response.errors ? "refused-token" : response.data!.updateUserAccount.errors.length === 0 ? "ok" : "refused"));
        expect(outcomes.filter((outcome) => outcome === "ok")).toHaveLength(1);
        const admins = await lone.app.db.pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM users WHERE role = 'ADMIN' AND disabled_at IS NULL`);
        expect(admins.rows[0]!.count).toBe(1);
        // Both admins again for the next round (straight in the database, with fresh tokens).
        await lone.app.db.pool.query(`UPDATE users SET role = 'ADMIN', organization_id = NULL, session_version = 0, sessions_changed_at = NULL WHERE id = ANY($1)`, [[first.id, second.id]]);
        await lone.app.auth.sessions.refresh();
      }
    } finally {
      await lone.stop();
    }
  });
});
