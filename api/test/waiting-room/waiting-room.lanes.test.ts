/**
 * The waiting room's fast lanes give the answers of the general path:
 * - a join of an ungated event is one script (ENTER); a gated event's join (presale on, no code)
 *   goes step by step (GATE, then JOIN and VIEWS): the same scenario on both gives the same answers;
 * - ENTER counts the join limits on rate-limiter-flexible's own keys, as the limiters would;
 * - queuePositionChanged through the fan-out: each subscriber its own position (the one queueStatus
 *   gives), the general path's typed error for a ticket that does not exist, one rendering per
 *   distinct payload, and documents the lane does not take still answered by graphql-js.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUser, createUsers, createVenue } from "../support/factories.js";
import { collect, startTestApi, subscribed, type TestApi } from "../support/test-api.js";
import * as room from "../../src/waiting-room/waiting-room.service.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { WAITING_ROOM_TICK_MS: "0", RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: "1000" } });
});
afterAll(async () => {
  await api.stop();
});

async function roomEvent(options: { presale?: boolean; maxActive?: number } = {}) {
  const pool = api.app.db.pool;
  const organizationId = await createOrganization(pool);
  const venue = await createVenue(pool, { seated: [], generalAdmission: [1_000] });
  const eventId = await createEvent(pool, venue, { organizationId, onSaleAt: new Date(Date.now() - 60_000), allowSingleSeatGaps: true });
  await pool.query(
    `UPDATE events SET waiting_room_enabled = true, waiting_room_max_active_shoppers = $2, waiting_room_admission_interval_seconds = 1, presale_enabled = $3 WHERE id = $1`,
    [eventId, options.maxActive ?? 2, options.presale ?? false],
  );
  return eventId;
}

const JOIN = `mutation($eventId: ID!, $accessCode: String) {
  joinWaitingRoom(eventId: $eventId, accessCode: $accessCode) {
    ticket { queueToken status phase position estimatedWaitSeconds admissionToken admissionExpiresAt outlook presale }
    errors { code message field retryAfterSeconds }
  }
}`;
const STATUS = `query($eventId: ID!, $queueToken: String!) { queueStatus(eventId: $eventId, queueToken: $queueToken) {
  queueToken status phase position estimatedWaitSeconds admissionToken outlook presale } }`;
const POSITION = `subscription($eventId: ID!, $queueToken: String!) { queuePositionChanged(eventId: $eventId, queueToken: $queueToken) {
  queueToken status phase position estimatedWaitSeconds admissionToken outlook presale } }`;

/** What a join answered, with what differs between two rooms by design (tokens, signed admissions) reduced to its shape. */
function comparable(payload: { ticket: Record<string, unknown> | null; errors: { retryAfterSeconds: number | null; message: string }[] }) {
  const ticket = payload.ticket && {
    ...payload.ticket,
    queueToken: typeof payload.ticket.queueToken,
    admissionToken: typeof payload.ticket.admissionToken,
    admissionExpiresAt: typeof payload.ticket.admissionExpiresAt,
  };
  // The seconds left in a limit's window depend on when each room's scenario ran: kept as their range.
  const errors = payload.errors.map((error) => ({
    ...error,
    message: error.message.replace(/\d+ s$/, "N s"),
    retryAfterSeconds: error.retryAfterSeconds === null ? null : error.retryAfterSeconds >= 1 && error.retryAfterSeconds <= 60,
  }));
  return { ticket, errors };
}

/** One scenario: three fans join, one joins again, one leaves and joins again, two are admitted and one of them joins again; a fan spends the account limit. */
async function scenario(eventId: string) {
  const fans = await createUsers(api, 4);
  const answers: unknown[] = [];
  const join = async (fan: { token: string }) => (await api.query(JOIN, { eventId }, fan.token)).data!.joinWaitingRoom;
  const first = await join(fans[0]!);
  answers.push(comparable(first), comparable(await join(fans[1]!)), comparable(await join(fans[2]!)));
  answers.push(comparable(await join(fans[1]!)));
  const LEAVE = `mutation($eventId: ID!, $queueToken: String!) { leaveWaitingRoom(eventId: $eventId, queueToken: $queueToken) { ok } }`;
  await api.query(LEAVE, { eventId, queueToken: first.ticket.queueToken }, fans[0]!.token);
  answers.push(comparable(await join(fans[0]!)));
  await api.app.scheduler.admit(eventId);
  answers.push(comparable(await join(fans[1]!)));
  // The account limit (10 a minute): fans[3] joins until refused.
  for (let attempt = 0; attempt < 11; attempt++) answers.push(comparable(await join(fans[3]!)));
  return answers;
}

describe("join lane", () => {
  it("an ungated join (one script) answers exactly as the step-by-step join of a gated event", { timeout: 60_000 }, async () => {
    const fast = await roomEvent();
    const stepwise = await roomEvent({ presale: true });
    const [fastAnswers, stepwiseAnswers] = [await scenario(fast), await scenario(stepwise)];
    expect(fastAnswers).toEqual(stepwiseAnswers);
    // And the answers are the expected ones: positions in join order, the same ticket again, a refusal with its retry.
    expect(fastAnswers.slice(0, 3).map((answer) => (answer as { ticket: { position: number } }).ticket.position)).toEqual([1, 2, 3]);
    expect((fastAnswers[5] as { ticket: { status: string; admissionToken: string } }).ticket).toMatchObject({ status: "ADMITTED", admissionToken: "string" });
    const refused = fastAnswers.at(-1) as { ticket: null; errors: { code: string; retryAfterSeconds: boolean }[] };
    expect(refused.ticket).toBeNull();
    expect(refused.errors.map((error) => error.code)).toEqual(["RATE_LIMITED"]);
    expect(refused.errors[0]!.retryAfterSeconds).toBe(true);
  });

  it("gives the same typed errors for bad input as before the lane", async () => {
    const eventId = await roomEvent();
    const fan = await createUser(api);
    const join = async (variables: Record<string, unknown>) => (await api.query(JOIN, variables, fan.token)).data!.joinWaitingRoom;
    expect((await join({ eventId: "not-an-id" })).errors).toEqual([{ code: "VALIDATION", message: "eventId is not a valid id", field: "eventId", retryAfterSeconds: null }]);
    expect((await join({ eventId, accessCode: " " })).errors).toEqual([
      { code: "VALIDATION", message: "accessCode must be 1 to 100 characters", field: "accessCode", retryAfterSeconds: null },
    ]);
    expect((await join({ eventId: "00000000-0000-4000-8000-000000000000" })).errors).toEqual([
      { code: "NOT_FOUND", message: "no such event", field: "eventId", retryAfterSeconds: null },
    ]);
    const anonymous = await api.query(JOIN, { eventId });
    expect(anonymous.errors?.map((error) => error.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(await api.app.redis.zcard(api.app.keys.waitingRoom(eventId).queue)).toBe(0);
  });

  it("counts each join on the rate limiters' own keys, as rate-limiter-flexible would", async () => {
    const eventId = await roomEvent();
    const fan = await createUser(api);
    for (let attempt = 0; attempt < 3; attempt++) await room.join(api.app.waitingRoom, { eventId, userId: fan.id, ip: "198.51.100.7" });
    const { perIp, perAccount } = api.app.waitingRoom.limits;
    const [address, account] = [await perIp.get("198.51.100.7"), await perAccount.get(fan.id)];
    expect([address?.consumedPoints, account?.consumedPoints]).toEqual([3, 3]);
    expect(account!.msBeforeNext).toBeGreaterThan(50_000);
    expect(account!.msBeforeNext).toBeLessThanOrEqual(60_000);
  });

  it("one fan joining 20 times at once gets one ticket", async () => {
    const eventId = await roomEvent();
    const fan = await createUser(api);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => room.join(api.app.waitingRoom, { eventId, userId: fan.id, ip: `198.51.100.${index}` })));
    const ok = answers.filter((answer) => answer.ok);
    // 10 a minute per account: the other ten are refused, none gets a second ticket.
    expect(ok).toHaveLength(10);
    expect(new Set(ok.map((answer) => answer.ok && answer.value.queueToken)).size).toBe(1);
    expect(answers.filter((answer) => !answer.ok).map((answer) => !answer.ok && answer.error.code)).toEqual(Array(10).fill("RATE_LIMITED"));
    const keys = api.app.keys.waitingRoom(eventId);
    expect([await api.app.redis.zcard(keys.queue), await api.app.redis.hlen(keys.tickets), await api.app.redis.hlen(keys.users)]).toEqual([1, 1, 1]);
  });
});

describe("queuePositionChanged fan-out", () => {
  it("delivers each of 60 subscribers its own position, the one queueStatus gives, rendering each distinct payload once", { timeout: 60_000 }, async () => {
    const eventId = await roomEvent({ maxActive: 5 });
    const fans = await createUsers(api, 60);
    const tokens: string[] = [];
    for (const [index, fan] of fans.entries()) {
      const joined = await room.join(api.app.waitingRoom, { eventId, userId: fan.id, ip: `203.0.113.${index}` });
      if (!joined.ok) throw new Error(JSON.stringify(joined.error));
      tokens.push(joined.value.queueToken);
    }
    // Two documents: the full ticket, and status + outlook only (every waiting fan's payload is the same there).
    const SHORT = `subscription($eventId: ID!, $queueToken: String!) { queuePositionChanged(eventId: $eventId, queueToken: $queueToken) { status outlook } }`;
    const client = api.wsClient(fans[0]!.token);
    const full = tokens.slice(0, 40).map((queueToken) => collect<{ queuePositionChanged: Record<string, unknown> }>(client, POSITION, { eventId, queueToken }, 1, 10_000));
    const short = tokens.slice(40).map((queueToken) => collect<{ queuePositionChanged: Record<string, unknown> }>(client, SHORT, { eventId, queueToken }, 1, 10_000));
    await subscribed(api, api.app.keys.queueChannel(eventId));
    for (let attempt = 0; attempt < 100 && api.app.queueFanOut.subscribers(eventId) < 60; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.app.queueFanOut.subscribers(eventId)).toBe(60);

    const before = api.app.queueFanOut.counts();
    expect((await api.app.scheduler.admit(eventId)).admitted).toEqual(tokens.slice(0, 5));
    const fullUpdates = (await Promise.all(full.map((updates) => updates.done))).map((updates) => updates[0]!.queuePositionChanged);
    const shortUpdates = (await Promise.all(short.map((updates) => updates.done))).map((updates) => updates[0]!.queuePositionChanged);

    // Each subscriber its own ticket: the general path (queueStatus) answers the same now.
    const statuses = await Promise.all(tokens.map(async (queueToken) => (await api.query(STATUS, { eventId, queueToken })).data!.queueStatus));
    expect(fullUpdates).toEqual(statuses.slice(0, 40));
    expect(fullUpdates.map((update) => update.position)).toEqual([...Array(5).fill(null), ...Array.from({ length: 35 }, (_, index) => index + 1)]);
    expect(shortUpdates).toEqual(statuses.slice(40).map(({ status, outlook }) => ({ status, outlook })));
    // 40 distinct full payloads (tokens differ), and one for the 20 identical short ones.
    const after = api.app.queueFanOut.counts();
    expect(after.messages - before.messages).toBe(1);
    expect(after.renderings - before.renderings).toBe(41);
  });

  it("answers a ticket that does not exist with the general path's typed error, and leaves other documents to graphql-js", { timeout: 30_000 }, async () => {
    const eventId = await roomEvent({ maxActive: 5 });
    const fan = await createUser(api);
    const joined = await room.join(api.app.waitingRoom, { eventId, userId: fan.id, ip: "203.0.113.200" });
    if (!joined.ok) throw new Error(JSON.stringify(joined.error));
    const client = api.wsClient(fan.token);
    const errors: unknown[] = [];
    const missing = new Promise<void>((resolve) => {
      client.subscribe(
        { query: POSITION, variables: { eventId, queueToken: "no-such-ticket" } },
        { next: (message) => (errors.push(message.errors), resolve()), error: (error) => (errors.push(error), resolve()), complete: () => undefined },
      );
    });
    // A directive: not the lane's (graphql-js runs it), same data.
    const DIRECTIVE = `subscription($eventId: ID!, $queueToken: String!, $withPosition: Boolean!) {
      queuePositionChanged(eventId: $eventId, queueToken: $queueToken) { status position @include(if: $withPosition) } }`;
    const general = collect<{ queuePositionChanged: Record<string, unknown> }>(client, DIRECTIVE, { eventId, queueToken: joined.value.queueToken, withPosition: true }, 1, 10_000);
    await subscribed(api, api.app.keys.queueChannel(eventId));
    for (let attempt = 0; attempt < 100 && api.app.queueFanOut.subscribers(eventId) < 1; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    room.publish(api.app.waitingRoom, eventId, "LEFT", 0);
    await missing;
    const status = await api.query(STATUS, { eventId, queueToken: "no-such-ticket" });
    expect(status.errors?.map(({ message, extensions }) => ({ message, extensions }))).toEqual([
      { message: "no such queue ticket", extensions: { code: "NOT_FOUND", field: "queueToken" } },
    ]);
    expect((errors[0] as { message: string; extensions: unknown }[]).map(({ message, extensions }) => ({ message, extensions }))).toEqual([
      { message: "no such queue ticket", extensions: { code: "NOT_FOUND", field: "queueToken" } },
    ]);
    expect((await general.done)[0]!.queuePositionChanged).toEqual({ status: "WAITING", position: 1 });
  });
});
