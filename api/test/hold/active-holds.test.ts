/**
 * `viewer.activeHolds`: the fan's live holds, readable from any tab or device (issue 27: a hold made
 * elsewhere used to surface only as raw error text with a timestamp and a hold id).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hold, sale } from "../checkout/checkout-helpers.js";
import { createUser } from "../support/factories.js";
import { expectGraphQLError, startTestApi, type TestApi } from "../support/test-api.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", HOLD_SWEEP_INTERVAL_MS: "0" } });
});
afterAll(async () => {
  await api.stop();
});

const ACTIVE = `query($eventId: ID) { viewer { id activeHolds(eventId: $eventId) {
  id status expiresAt event { id name } total { amount currency }
  lines { section { id name } seat { id row number } price { amount currency } } } } }`;

describe("viewer.activeHolds", () => {
  it("lists the fan's live holds with event, seats and expiry, soonest first, one event's on request; ended ones never", async () => {
    const [first, second] = [await sale(api), await sale(api)];
    const fan = await createUser(api);
    const list = async (eventId?: string) => {
      const response = await api.query(ACTIVE, { eventId: eventId ?? null }, fan.token);
      expect(response.errors).toBeUndefined();
      return response.data!.viewer.activeHolds as { id: string; status: string; expiresAt: string; event: { id: string }; lines: { seat: { id: string } | null }[] }[];
    };
    expect(await list()).toEqual([]);

    const seated = await hold(api, fan.token, { eventId: first.eventId, seatIds: first.seatIds.slice(0, 2) });
    const places = await hold(api, fan.token, { eventId: second.eventId, sectionId: second.gaSectionId, quantity: 3 });
    await first.pool.query(`UPDATE holds SET expires_at = now() + interval '5 minutes' WHERE id = $1`, [places.id]);

    const all = await list();
    expect(all.map((item) => item.id)).toEqual([places.id, seated.id]);
    const mine = all[1]!;
    expect(mine).toMatchObject({ status: "ACTIVE", event: { id: first.eventId }, total: seated.total });
    // The stored expiry (timestamp(3)) may round holdSeats' answer by a millisecond.
    expect(Math.abs(Date.parse(mine.expiresAt) - Date.parse(seated.expiresAt))).toBeLessThanOrEqual(1);
    expect(mine.lines.map((line) => line.seat!.id).sort()).toEqual(first.seatIds.slice(0, 2).sort());
    expect(all[0]!.lines).toHaveLength(3);
    expect(all[0]!.lines.every((line) => line.seat === null)).toBe(true);

    expect((await list(first.eventId)).map((item) => item.id)).toEqual([seated.id]);

    // Expired (not swept yet), released, paid: none is live.
    await first.pool.query(`UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = $1`, [places.id]);
    expect((await list()).map((item) => item.id)).toEqual([seated.id]);
    const released = await api.query(`mutation($id: ID!) { releaseHold(holdId: $id) { ok } }`, { id: seated.id }, fan.token);
    expect(released.data!.releaseHold.ok).toBe(true);
    expect(await list()).toEqual([]);

    // Another fan sees none of them.
    const other = await createUser(api);
    expect((await api.query(ACTIVE, { eventId: null }, other.token)).data!.viewer.activeHolds).toEqual([]);
  });

  it("is only the viewer's: on any other User (register's answer, read without the new token) FORBIDDEN; a bad event id is VALIDATION", async () => {
    const register = `mutation($input: RegisterInput!) { register(input: $input) { user { id activeHolds { id } } errors { code } } }`;
    const input = { email: `holds-${Date.now()}@example.test`, password: "a-good-password", name: "New Fan" };
    expectGraphQLError(await api.query(register, { input }), "FORBIDDEN");
    const fan = await createUser(api);
    expectGraphQLError(await api.query(ACTIVE, { eventId: "not-an-id" }, fan.token), "VALIDATION");
  });
});
