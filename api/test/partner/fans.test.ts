/**
 * Acting for a fan (holds:write) and reading orders (orders:read): a key registers one of the
 * partner's customers (upsertPartnerFan), holds and checks out for them with `Boxoffice-Fan`, and the
 * order is the fan's, visible to an orders:read key of the event's organization and to nobody else. A
 * partner's fan is never a directly registered account, even with the same email, and cannot sign in.
 * A key's pages must be 1 to 100 items.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUser, createVenue, type VenueFixture } from "../support/factories.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key errors { code message } } }`;
const UPSERT_FAN = `mutation($input: UpsertPartnerFanInput!) {
  upsertPartnerFan(input: $input) { fan { id email name role } created errors { code message field } }
}`;
const HOLD = `mutation($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id } errors { code message } } }`;
const CHECKOUT = `mutation($input: CheckoutInput!) {
  checkout(input: $input) { order { id status total { amount currency } tickets { id barcode } } errors { code message } }
}`;
const MY_ORDERS = `{ myOrders(first: 10) { totalCount edges { node { id } } } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status } }`;
const ORDER_BARCODES = `query($id: ID!) { order(id: $id) { id tickets { barcode } } }`;
const PARTNER_ORDERS = `query($eventId: ID, $after: String, $first: Int) {
  partnerOrders(first: $first, eventId: $eventId, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id status event { id name } buyer { id email name } total { amount currency } createdAt updatedAt ticketCount tickets { id status section price { amount } } } }
  }
}`;
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { token user { id } errors { code message } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token user { id } errors { code message } } }`;

let api: TestApi;
let pool: pg.Pool;
let mailDir: string;
let orgA: string;
let venue: VenueFixture;
let promoterA: { token: string };
/** holds:write + orders:read of organization A; holds:write only; orders:read only; catalogue:read + orders:read. */
let partner: string;
let holdsOnly: string;
let readerA: string;
let noHolds: string;
/** orders:read (and holds:write) of another organization. */
let readerB: string;

async function makeKey(token: string, scopes: string[]): Promise<string> {
  return expectOk((await api.query(CREATE_KEY, { input: { name: `fans ${scopes.join(" ")}`, scopes } }, token)).data!.createApiKey as { key: string; errors: { code: string }[] }).key;
}

async function upsertFan(key: string, input: { externalId: string; email: string; name: string }) {
  return (await api.query(UPSERT_FAN, { input }, key)).data!.upsertPartnerFan as {
    fan: { id: string; email: string; name: string; role: string } | null;
    created: boolean | null;
    errors: { code: string; field: string | null }[];
  };
}

const as = (externalId: string) => ({ "boxoffice-fan": externalId });

async function onSaleEvent(options: { maxSeatsPerUser?: number } = {}): Promise<string> {
  return createEvent(pool, venue, { organizationId: orgA, onSaleAt: new Date(Date.now() - 60_000), allowSingleSeatGaps: true, ...options });
}

/** Holds `quantity` GA places and pays, as the fan the key acts for; answers the order. */
async function buy(key: string, externalId: string, eventId: string, quantity = 1) {
  const held = await api.query(HOLD, { input: { eventId, sectionId: venue.sections[1]!.id, quantity, requestKey: randomUUID() } }, key, as(externalId));
  const holdId = expectOk(held.data!.holdSeats as { errors: { code: string }[]; hold: { id: string } }).hold.id;
  const paid = await api.query(CHECKOUT, { input: { holdId, idempotencyKey: randomUUID(), paymentToken: "tok_visa" } }, key, as(externalId));
  expect(paid.errors).toBeUndefined();
  return expectOk(paid.data!.checkout as { errors: { code: string }[]; order: { id: string; status: string; tickets: { id: string; barcode: string }[] } }).order;
}

const count = async (sql: string, values: unknown[] = []) => (await pool.query<{ n: number }>(sql, values)).rows[0]!.n;

beforeAll(async () => {
  mailDir = mkdtempSync(join(tmpdir(), "partner-fans-mail-"));
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", MAIL_OUTBOX_DIR: mailDir } });
  pool = api.app.db.pool;
  orgA = await createOrganization(pool);
  promoterA = await createUser(api, { role: "PROMOTER", organizationId: orgA });
  const promoterB = await createUser(api, { role: "PROMOTER", organizationId: await createOrganization(pool) });
  venue = await createVenue(pool, { seated: [{ rows: 1, seatsPerRow: 4 }], generalAdmission: [100] });
  partner = await makeKey(promoterA.token, ["holds:write", "orders:read"]);
  holdsOnly = await makeKey(promoterA.token, ["holds:write"]);
  readerA = await makeKey(promoterA.token, ["orders:read"]);
  noHolds = await makeKey(promoterA.token, ["catalogue:read", "orders:read"]);
  readerB = await makeKey(promoterB.token, ["orders:read", "holds:write"]);
});
afterAll(async () => {
  await api?.stop();
});

describe("registering a partner's fan", () => {
  it("creates the account once per external id, updates its email and name after, and refuses bad input with nothing written", async () => {
    const externalId = `cust-${randomUUID()}`;
    const created = expectOk(await upsertFan(partner, { externalId, email: " Ann@Example.test ", name: "Ann" }));
    expect(created).toMatchObject({ created: true, fan: { email: "ann@example.test", name: "Ann", role: "FAN" } });
    const updated = expectOk(await upsertFan(holdsOnly, { externalId, email: "ann.new@example.test", name: "Ann B" }));
    expect(updated).toMatchObject({ created: false, fan: { id: created.fan!.id, email: "ann.new@example.test", name: "Ann B" } });
    const { rows } = await pool.query(`SELECT partner_organization_id, partner_external_id, organization_id, role FROM users WHERE id = $1`, [created.fan!.id]);
    expect(rows[0]).toEqual({ partner_organization_id: orgA, partner_external_id: externalId, organization_id: null, role: "FAN" });

    const fan = await createUser(api);
    const users = await count(`SELECT count(*)::int AS n FROM users`);
    expect((await upsertFan(partner, { externalId: "has space", email: "x@example.test", name: "X" })).errors).toMatchObject([{ code: "VALIDATION", field: "externalId" }]);
    expect((await upsertFan(partner, { externalId: "x".repeat(129), email: "x@example.test", name: "X" })).errors).toMatchObject([{ code: "VALIDATION", field: "externalId" }]);
    expect((await upsertFan(partner, { externalId: "ok-1", email: "not-an-email", name: "X" })).errors).toMatchObject([{ code: "VALIDATION", field: "email" }]);
    expect((await upsertFan(partner, { externalId: "ok-1", email: "x@example.test", name: " " })).errors).toMatchObject([{ code: "VALIDATION", field: "name" }]);
    expectGraphQLError(await api.query(UPSERT_FAN, { input: { externalId: "ok-1", email: "x@example.test", name: "X" } }, readerA), "FORBIDDEN");
    expectGraphQLError(await api.query(UPSERT_FAN, { input: { externalId: "ok-1", email: "x@example.test", name: "X" } }), "UNAUTHENTICATED");
    expectGraphQLError(await api.query(UPSERT_FAN, { input: { externalId: "ok-1", email: "x@example.test", name: "X" } }, fan.token), "FORBIDDEN");
    expect(await count(`SELECT count(*)::int AS n FROM users`)).toBe(users);
  });

  it("two organizations may use the same external id: each key reaches its own fan only", async () => {
    const externalId = `shared-${randomUUID()}`;
    const ofA = expectOk(await upsertFan(partner, { externalId, email: "same@example.test", name: "A's" })).fan!;
    const ofB = expectOk(await upsertFan(readerB, { externalId, email: "same@example.test", name: "B's" })).fan!;
    expect(ofB.id).not.toBe(ofA.id);
    expect((await api.query(`{ viewer { id name } }`, {}, partner, as(externalId))).data!.viewer).toEqual({ id: ofA.id, name: "A's" });
    expect((await api.query(`{ viewer { id name } }`, {}, readerB, as(externalId))).data!.viewer).toEqual({ id: ofB.id, name: "B's" });
  });
});

describe("holding and buying for a fan", () => {
  it("a key with holds:write holds and checks out for its fan; the order is the fan's, read back by orders:read of the organization and by nobody else", async () => {
    const externalId = `buyer-${randomUUID()}`;
    const fan = expectOk(await upsertFan(partner, { externalId, email: "buyer@example.test", name: "Bea Buyer" })).fan!;
    const eventId = await onSaleEvent();
    const order = await buy(partner, externalId, eventId, 2);
    expect(order.status).toBe("CONFIRMED");
    expect(order.tickets).toHaveLength(2);
    expect(order.tickets.every((ticket) => ticket.barcode.length > 20)).toBe(true); // the fan's own barcodes
    expect((await pool.query(`SELECT user_id FROM orders WHERE id = $1`, [order.id])).rows[0].user_id).toBe(fan.id);
    // The confirmation goes to the fan's email, as for anyone.
    await api.app.emails.run();
    expect(readFileSync(join(mailDir, `order-${order.id}.eml`), "utf8")).toContain("To: buyer@example.test");

    // The fan's own views, through a key acting for them.
    const mine = (await api.query(MY_ORDERS, {}, holdsOnly, as(externalId))).data!.myOrders;
    expect(mine.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([order.id]);
    expect((await api.query(ORDER, { id: order.id }, holdsOnly, as(externalId))).data!.order).toMatchObject({ id: order.id });

    // orders:read of the organization: the order with its buyer, tickets without barcodes.
    const listed = await api.query(PARTNER_ORDERS, { eventId }, readerA);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.partnerOrders.totalCount).toBe(1);
    expect(listed.data!.partnerOrders.edges[0].node).toMatchObject({
      id: order.id,
      status: "CONFIRMED",
      event: { id: eventId },
      buyer: { id: fan.id, email: "buyer@example.test", name: "Bea Buyer" },
      ticketCount: 2,
    });
    expect(JSON.stringify(listed)).not.toMatch(/barcode|password/i);
    expect((await api.query(ORDER, { id: order.id }, readerA)).data!.order).toMatchObject({ id: order.id, status: "CONFIRMED" });
    const barcodes = await api.query(ORDER_BARCODES, { id: order.id }, readerA);
    expect(barcodes.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(JSON.stringify(barcodes)).not.toContain(order.tickets[0]!.barcode.slice(0, 40));

    // Another organization's key sees nothing of it.
    const other = await api.query(PARTNER_ORDERS, { eventId }, readerB);
    expect(other.data!.partnerOrders).toMatchObject({ totalCount: 0, edges: [] });
    expect((await api.query(ORDER, { id: order.id }, readerB)).data!.order).toBeNull();
    // Neither does a holds:write key acting for another of its fans.
    const stranger = `stranger-${randomUUID()}`;
    expectOk(await upsertFan(holdsOnly, { externalId: stranger, email: "stranger@example.test", name: "S" }));
    expect((await api.query(ORDER, { id: order.id }, holdsOnly, as(stranger))).data!.order).toBeNull();
  });

  it("partnerOrders pages by last change with a cursor; a page must be 1 to 100 orders, refused before it is charged", async () => {
    const externalId = `pager-${randomUUID()}`;
    expectOk(await upsertFan(partner, { externalId, email: "pager@example.test", name: "Pager" }));
    const eventId = await onSaleEvent();
    const first = await buy(partner, externalId, eventId);
    const second = await buy(partner, externalId, await onSaleEvent());
    const third = await buy(partner, externalId, eventId);
    // Cancelling the first order changes it last: it comes after the others.
    const cancelled = await api.query(`mutation($id: ID!) { cancelOrder(orderId: $id) { order { status } errors { code } } }`, { id: first.id }, partner, as(externalId));
    expectOk(cancelled.data!.cancelOrder);
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { data?: any } = await api.query(PARTNER_ORDERS, { first: 1, after }, readerA);
      ids.push(...page.data.partnerOrders.edges.map((edge: { node: { id: string } }) => edge.node.id));
      if (!page.data.partnerOrders.pageInfo.hasNextPage) break;
      after = page.data.partnerOrders.pageInfo.endCursor;
    }
    expect(ids.filter((id) => [first.id, second.id, third.id].includes(id))).toEqual([second.id, third.id, first.id]);

    for (const first of [0, 101, -1]) {
      const refused = await api.query(PARTNER_ORDERS, { first }, readerA);
      expectGraphQLError(refused, "VALIDATION");
      expect(refused.errors![0]!.extensions).toMatchObject({ reason: "PAGE_SIZE", field: "partnerOrders.first", maxFirst: 100 });
      expect(refused).not.toHaveProperty("extensions"); // nothing charged, nothing to report
    }
    const search = await api.query(`{ searchEvents(input: { text: "x", first: 500 }) { totalCount } }`, {}, noHolds);
    expect(search.errors![0]!.extensions).toMatchObject({ code: "VALIDATION", reason: "PAGE_SIZE", field: "searchEvents.input.first" });
    // Nested pages count too.
    const nested = await api.query(`query($id: ID!) { event(id: $id) { sections { priceHistory(first: 1000) { totalCount } } } }`, { id: eventId }, noHolds);
    expect(nested.errors![0]!.extensions).toMatchObject({ code: "VALIDATION", reason: "PAGE_SIZE", field: "priceHistory.first" });
    // Anonymous traffic is answered as before (the resolver's own check).
    expectGraphQLError(await api.query(`{ events(first: 0) { totalCount } }`), "VALIDATION");
  });

  it("per-fan limits apply to each fan on its own", async () => {
    const eventId = await onSaleEvent({ maxSeatsPerUser: 2 });
    const one = `limit-1-${randomUUID()}`;
    const two = `limit-2-${randomUUID()}`;
    expectOk(await upsertFan(partner, { externalId: one, email: "one@example.test", name: "One" }));
    expectOk(await upsertFan(partner, { externalId: two, email: "two@example.test", name: "Two" }));
    await buy(partner, one, eventId, 2);
    await buy(partner, two, eventId, 2);
    const third = await api.query(HOLD, { input: { eventId, sectionId: venue.sections[1]!.id, quantity: 1, requestKey: randomUUID() } }, partner, as(one));
    expectError(third.data!.holdSeats as { errors: { code: string }[] }, "LIMIT_EXCEEDED");
  });
});

describe("who may act for a fan", () => {
  it("only a key with holds:write, only for its organization's known fans, on both HTTP paths and over graphql-ws; refusals run nothing", async () => {
    const externalId = `guarded-${randomUUID()}`;
    const fan = expectOk(await upsertFan(partner, { externalId, email: "guarded@example.test", name: "G" })).fan!;
    const eventId = await onSaleEvent();
    const input = { eventId, sectionId: venue.sections[1]!.id, quantity: 1, requestKey: randomUUID() };
    const holds = () => count(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1`, [eventId]);

    const noScope = await api.query(HOLD, { input }, noHolds, as(externalId));
    expectGraphQLError(noScope, "FORBIDDEN");
    expect(noScope.errors![0]!.extensions).toMatchObject({ requiredScope: "holds:write" });
    expectGraphQLError(await api.query(HOLD, { input }, partner, as("nobody-by-this-id")), "UNAUTHENTICATED");
    expectGraphQLError(await api.query(HOLD, { input }, readerB, as(externalId)), "UNAUTHENTICATED"); // another organization's key
    expectGraphQLError(await api.query(HOLD, { input }, partner), "UNAUTHENTICATED"); // no fan named
    const signedIn = await createUser(api);
    expectGraphQLError(await api.query(HOLD, { input }, signedIn.token, as(externalId)), "FORBIDDEN"); // a person's token cannot
    expect(await holds()).toBe(0);

    // Apollo's path (GET) resolves the fan the same way.
    const viaApollo = async (key: string, fanId: string) => {
      const response = await fetch(`${api.url}?query=${encodeURIComponent("{ viewer { id } }")}`, {
        headers: { authorization: `Bearer ${key}`, "boxoffice-fan": fanId, "apollo-require-preflight": "true" },
      });
      return { status: response.status, body: (await response.json()) as { data?: { viewer: { id: string } }; errors?: { extensions: { code: string } }[] } };
    };
    expect((await viaApollo(partner, externalId)).body.data!.viewer.id).toBe(fan.id);
    expect(await viaApollo(noHolds, externalId)).toMatchObject({ status: 403, body: { errors: [{ extensions: { code: "FORBIDDEN" } }] } });
    expect(await viaApollo(partner, "nobody-by-this-id")).toMatchObject({ status: 401, body: { errors: [{ extensions: { code: "UNAUTHENTICATED" } }] } });

    // graphql-ws: connectionParams boxoffice-fan; an unknown fan is refused at the connection.
    const query = `subscription($eventId: ID!) { seatStatusChanged(eventId: $eventId) { eventId } }`;
    const reader = await makeKey(promoterA.token, ["holds:write", "catalogue:read"]);
    const refused = api.wsClient(reader, undefined, as("nobody-by-this-id"));
    await expect(
      new Promise((resolve, reject) => refused.subscribe({ query, variables: { eventId } }, { next: resolve, error: reject, complete: () => resolve("complete") })),
    ).rejects.toBeTruthy();
    const accepted = api.wsClient(reader, undefined, as(externalId));
    const opened = await new Promise<string>((resolve, reject) => {
      const stop = accepted.subscribe({ query, variables: { eventId } }, { next: () => resolve("next"), error: reject, complete: () => resolve("complete") });
      setTimeout(() => {
        stop();
        resolve("open");
      }, 400);
    });
    expect(opened).toBe("open");
  });
});

describe("an admin and a partner's fan", () => {
  it("an admin cannot make it a promoter (VALIDATION, nothing changed) but can disable it: the key then cannot act for it", async () => {
    const admin = await createUser(api, { role: "ADMIN" });
    const externalId = `managed-${randomUUID()}`;
    const fan = expectOk(await upsertFan(partner, { externalId, email: "managed@example.test", name: "Managed" })).fan!;
    const update = `mutation($input: UpdateUserAccountInput!) { updateUserAccount(input: $input) { errors { code field } } }`;
    const before = (await pool.query(`SELECT * FROM users WHERE id = $1`, [fan.id])).rows;
    const promoted = await api.query(update, { input: { id: fan.id, role: "PROMOTER", organizationId: orgA } }, admin.token);
    expectError(promoted.data!.updateUserAccount as { errors: { code: string }[] }, "VALIDATION");
    expect((await pool.query(`SELECT * FROM users WHERE id = $1`, [fan.id])).rows).toEqual(before);

    expect((await api.query(`{ viewer { id } }`, {}, partner, as(externalId))).data!.viewer.id).toBe(fan.id);
    expectOk((await api.query(update, { input: { id: fan.id, disabled: true } }, admin.token)).data!.updateUserAccount as { errors: { code: string }[] });
    // Each process remembers a found fan for PARTNER_KEY_CACHE_MS (0.8 s by default).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expectGraphQLError(await api.query(`{ viewer { id } }`, {}, partner, as(externalId)), "UNAUTHENTICATED");
  });
});

describe("a partner's fan and a direct account with the same email", () => {
  it("are two accounts: neither sees the other's orders, the direct one signs in, the partner's cannot", async () => {
    const email = `twin-${randomUUID().slice(0, 8)}@example.test`;
    const externalId = `twin-${randomUUID()}`;
    const partnerFan = expectOk(await upsertFan(partner, { externalId, email, name: "Partner Twin" })).fan!;
    // Registering the email is not EMAIL_TAKEN: the partner's fan does not own it.
    const registered = expectOk((await api.query(REGISTER, { input: { email, password: "direct-password-1", name: "Direct Twin" } })).data!.register as {
      token: string;
      user: { id: string };
      errors: { code: string }[];
    });
    expect(registered.user.id).not.toBe(partnerFan.id);
    // A second direct registration of it still is.
    expectError((await api.query(REGISTER, { input: { email, password: "direct-password-2", name: "Again" } })).data!.register as { errors: { code: string }[] }, "EMAIL_TAKEN");

    const eventId = await onSaleEvent();
    const partnerOrder = await buy(partner, externalId, eventId);
    const held = await api.query(HOLD, { input: { eventId, sectionId: venue.sections[1]!.id, quantity: 1, requestKey: randomUUID() } }, registered.token);
    const holdId = expectOk(held.data!.holdSeats as { errors: { code: string }[]; hold: { id: string } }).hold.id;
    const directPaid = await api.query(CHECKOUT, { input: { holdId, idempotencyKey: randomUUID(), paymentToken: "tok_visa" } }, registered.token);
    const directOrder = expectOk(directPaid.data!.checkout as { errors: { code: string }[]; order: { id: string } }).order;

    const ids = (response: { data?: any }) => response.data!.myOrders.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(ids(await api.query(MY_ORDERS, {}, registered.token))).toEqual([directOrder.id]);
    expect(ids(await api.query(MY_ORDERS, {}, holdsOnly, as(externalId)))).toEqual([partnerOrder.id]);
    expect((await api.query(ORDER, { id: partnerOrder.id }, registered.token)).data!.order).toBeNull();
    expect((await api.query(ORDER, { id: directOrder.id }, holdsOnly, as(externalId))).data!.order).toBeNull();

    // Sign-in finds the direct account only; the partner's fan has no password at all.
    const login = (await api.query(LOGIN, { input: { email, password: "direct-password-1" } })).data!.login as { user: { id: string } | null; errors: { code: string }[] };
    expect(login.user!.id).toBe(registered.user.id);
    const partnerOnly = `solo-${randomUUID().slice(0, 8)}@example.test`;
    expectOk(await upsertFan(partner, { externalId: `solo-${randomUUID()}`, email: partnerOnly, name: "Solo" }));
    for (const password of ["!", "", "x".repeat(8)]) {
      expectError((await api.query(LOGIN, { input: { email: partnerOnly, password } })).data!.login as { errors: { code: string }[] }, "INVALID_CREDENTIALS");
    }
  });
});
