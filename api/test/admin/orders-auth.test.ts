/**
 * The authorization matrix of every admin order operation: the promoter of the event's organization
 * and an admin succeed (a mutation writes one audit row); the promoter of another organization gets
 * FORBIDDEN (a mutation) or sees nothing (a query), a fan FORBIDDEN, anonymous UNAUTHENTICATED, with
 * nothing changed: the order, its tickets, seats, refunds, payments, the outbox, the gateway's books
 * and the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkout, hold } from "../checkout/checkout-helpers.js";
import { createOrganization, createUser } from "../support/factories.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import { auditRows } from "./events-helpers.js";
import { ADMIN_ORDER, ADMIN_ORDERS, EXPORT_LINK, orderState, REFUND, RESEND, soldEvent, type SoldEvent, type User } from "./orders-helpers.js";

let api: TestApi;
let people: { promoter: User; admin: User; otherPromoter: User; fan: User };
let sold: SoldEvent;

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0" } });
  sold = await soldEvent(api);
  people = {
    promoter: sold.promoter,
    admin: await createUser(api, { role: "ADMIN" }),
    otherPromoter: await createUser(api, { role: "PROMOTER", organizationId: await createOrganization(api.app.db.pool) }),
    fan: await createUser(api),
  };
});
afterAll(async () => {
  await api.stop();
});

interface Mutation {
  name: string;
  document: string;
  action: string;
  /** The record the audit row names. */
  entity: (orderId: string) => string;
  variables: (orderId: string) => Record<string, unknown>;
}

const MUTATIONS: Mutation[] = [
  { name: "adminRefundOrder", document: REFUND, action: "order.refund", entity: (id) => id, variables: (id) => ({ input: { id, reason: "Matrix" } }) },
  { name: "resendOrderConfirmation", document: RESEND, action: "order.resend_confirmation", entity: (id) => id, variables: (id) => ({ id }) },
  {
    name: "createEventExportLink",
    document: EXPORT_LINK,
    action: "event.export_link",
    entity: () => sold.eventId,
    variables: () => ({ input: { eventId: sold.eventId, kind: "ATTENDEES" } }),
  },
];

describe.each(MUTATIONS)("$name", (mutation) => {
  /** A fresh paid order of the organization's event for each attempt, so a success cannot hide a refusal. */
  async function attempt(user: User | null) {
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId: sold.eventId, sectionId: sold.gaSectionId, quantity: 1 });
    const orderId = expectOk(await checkout(api, fan.token, { holdId: held.id })).order.id as string;
    await api.app.emails.run();
    const before = await orderState(api.app.db.pool, orderId);
    const audit = (await auditRows(api.app.db.pool, mutation.entity(orderId))).length;
    const response = await api.query(mutation.document, mutation.variables(orderId), user?.token);
    return { orderId, before, audit, response };
  }

  async function expectNothingChanged(outcome: Awaited<ReturnType<typeof attempt>>) {
    expect(await orderState(api.app.db.pool, outcome.orderId)).toEqual(outcome.before);
    expect(await auditRows(api.app.db.pool, mutation.entity(outcome.orderId))).toHaveLength(outcome.audit);
  }

  it.each(["promoter", "admin"] as const)("succeeds for the %s and writes one audit row", async (who) => {
    const user = people[who];
    const outcome = await attempt(user);
    expect(outcome.response.errors).toBeUndefined();
    expectOk(outcome.response.data![mutation.name]);
    const rows = await auditRows(api.app.db.pool, mutation.entity(outcome.orderId));
    expect(rows.slice(outcome.audit).map((row) => [row.action, row.actorUserId, row.organizationId])).toEqual([[mutation.action, user.id, sold.organizationId]]);
  });

  it("is FORBIDDEN for the promoter of another organization, and nothing changes", async () => {
    const outcome = await attempt(people.otherPromoter);
    expect(outcome.response.errors).toBeUndefined();
    expectError(outcome.response.data![mutation.name], "FORBIDDEN");
    await expectNothingChanged(outcome);
  });

  it("is FORBIDDEN for a fan, and nothing changes", async () => {
    const outcome = await attempt(people.fan);
    expectGraphQLError(outcome.response, "FORBIDDEN");
    await expectNothingChanged(outcome);
  });

  it("is UNAUTHENTICATED without a token, and nothing changes", async () => {
    const outcome = await attempt(null);
    expectGraphQLError(outcome.response, "UNAUTHENTICATED");
    await expectNothingChanged(outcome);
  });
});

describe("admin order queries", () => {
  it("adminOrders lists the organization's orders for its promoter and an admin, none for another promoter", async () => {
    const filter = { eventId: sold.eventId };
    const mine = (await api.query(ADMIN_ORDERS, { filter }, people.promoter.token)).data!.adminOrders;
    expect(mine.total).toBeGreaterThanOrEqual(3);
    expect(mine.items.map((item: { id: string }) => item.id)).toEqual(expect.arrayContaining(sold.orders.map((order) => order.id)));
    expect((await api.query(ADMIN_ORDERS, { filter }, people.admin.token)).data!.adminOrders.total).toBe(mine.total);
    expect((await api.query(ADMIN_ORDERS, { filter }, people.otherPromoter.token)).data!.adminOrders).toEqual({ items: [], total: 0 });
    expect((await api.query(ADMIN_ORDERS, {}, people.otherPromoter.token)).data!.adminOrders).toEqual({ items: [], total: 0 });
  });

  it("adminOrder shows the order to its promoter and an admin, null to another promoter", async () => {
    const id = sold.orders[0]!.id;
    expect((await api.query(ADMIN_ORDER, { id }, people.promoter.token)).data!.adminOrder.id).toBe(id);
    expect((await api.query(ADMIN_ORDER, { id }, people.admin.token)).data!.adminOrder.id).toBe(id);
    expect((await api.query(ADMIN_ORDER, { id }, people.otherPromoter.token)).data!.adminOrder).toBeNull();
  });

  it.each([
    ["adminOrders", ADMIN_ORDERS, {}],
    ["adminOrder", ADMIN_ORDER, { id: "00000000-0000-4000-8000-000000000000" }],
  ] as const)("%s is FORBIDDEN for a fan and UNAUTHENTICATED without a token", async (_name, document, variables) => {
    // The buyer of an order cannot read it through the console's queries either.
    const buyer = sold.orders[0]!.fan;
    expectGraphQLError(await api.query(document, variables, people.fan.token), "FORBIDDEN");
    expectGraphQLError(await api.query(document, { ...variables, ...("id" in variables ? { id: sold.orders[0]!.id } : {}) }, buyer.token), "FORBIDDEN");
    expectGraphQLError(await api.query(document, variables), "UNAUTHENTICATED");
  });
});
