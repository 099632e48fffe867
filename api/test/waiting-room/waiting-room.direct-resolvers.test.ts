/**
 * joinWaitingRoom and queueStatus resolve through plain functions (waiting-room.resolver.ts,
 * `waitingRoomDirectResolvers`) instead of type-graphql's generated resolvers. The same documents,
 * sent over HTTP (the direct lane, with the direct resolvers) and executed by graphql-js on the schema
 * without them (type-graphql's resolvers, the answers formatted as every transport formats them),
 * answer the same JSON: tickets, typed errors, the refusal of a join without a viewer.
 */
import { execute, parse, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUsers, createVenue } from "../support/factories.js";
import { startTestApi, type TestApi } from "../support/test-api.js";
import { createContext } from "../../src/request-context.js";
import { createSchema } from "../../src/schema.js";
import { formatError } from "../../src/server.js";

let api: TestApi;
let general: GraphQLSchema;
beforeAll(async () => {
  api = await startTestApi({ env: { WAITING_ROOM_TICK_MS: "0", RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: "1000" } });
  general = await createSchema(api.app.pubsub, { direct: false });
});
afterAll(async () => {
  await api.stop();
});

const JOIN = `mutation($eventId: ID!, $accessCode: String) {
  joinWaitingRoom(eventId: $eventId, accessCode: $accessCode) {
    __typename
    ticket { __typename queueToken status phase position estimatedWaitSeconds admissionToken admissionExpiresAt outlook presale }
    errors { __typename code message field retryAfterSeconds }
  }
}`;
const STATUS = `query($eventId: ID!, $queueToken: String!) { queueStatus(eventId: $eventId, queueToken: $queueToken) {
  queueToken status phase position estimatedWaitSeconds admissionToken admissionExpiresAt outlook presale } }`;

/** The general path's answer: graphql-js on type-graphql's resolvers, errors formatted as the server formats them. */
async function viaGeneral(query: string, variables: Record<string, unknown>, token?: string) {
  const contextValue = await createContext(api.app, token ? `Bearer ${token}` : undefined, "127.0.0.1");
  const result = await execute({ schema: general, document: parse(query), variableValues: variables, contextValue });
  const format = formatError(api.app);
  return JSON.parse(JSON.stringify({ ...(result.errors ? { errors: result.errors.map((error) => format(error.toJSON(), error)) } : {}), data: result.data }));
}

async function roomEvent() {
  const pool = api.app.db.pool;
  const organizationId = await createOrganization(pool);
  const venue = await createVenue(pool, { seated: [], generalAdmission: [1_000] });
  const eventId = await createEvent(pool, venue, { organizationId, onSaleAt: new Date(Date.now() - 60_000), allowSingleSeatGaps: true });
  await pool.query(`UPDATE events SET waiting_room_enabled = true, waiting_room_max_active_shoppers = 1 WHERE id = $1`, [eventId]);
  return eventId;
}

describe("direct resolvers of the waiting room", () => {
  it("answer joins and statuses exactly as type-graphql's resolvers do", { timeout: 30_000 }, async () => {
    const eventId = await roomEvent();
    const [first, second] = await createUsers(api, 2);
    // A new ticket through each path: the same answer but for the token and the place.
    const generalJoin = await viaGeneral(JOIN, { eventId }, first!.token);
    const directJoin = await api.query(JOIN, { eventId }, second!.token);
    const ticketOf = (answer: { data?: Record<string, { ticket: Record<string, unknown> }> | null }) => answer.data!.joinWaitingRoom!.ticket;
    const place = { queueToken: "", position: 0, estimatedWaitSeconds: 0 };
    expect({ ...ticketOf(directJoin), ...place }).toEqual({ ...ticketOf(generalJoin), ...place });
    expect([ticketOf(generalJoin).position, ticketOf(directJoin).position]).toEqual([1, 2]);
    expect(ticketOf(directJoin).queueToken).toMatch(/^[\w-]{24}$/);
    // The same fan joining again gets its live ticket: identical answers.
    expect(await api.query(JOIN, { eventId }, first!.token)).toEqual(await viaGeneral(JOIN, { eventId }, first!.token));
    // Admitted: the ticket carries an admission token and its expiry (signed per answer: compared by shape).
    await api.app.scheduler.admit(eventId);
    const admitted = await api.query(STATUS, { eventId, queueToken: ticketOf(generalJoin).queueToken });
    const admittedGeneral = await viaGeneral(STATUS, { eventId, queueToken: ticketOf(generalJoin).queueToken });
    expect(admitted.data!.queueStatus).toMatchObject({ status: "ADMITTED", admissionToken: expect.any(String), admissionExpiresAt: expect.any(String) });
    expect(admitted.data!.queueStatus.admissionExpiresAt).toBe(admittedGeneral.data.queueStatus.admissionExpiresAt);
    expect({ ...admitted.data!.queueStatus, admissionToken: "" }).toEqual({ ...admittedGeneral.data.queueStatus, admissionToken: "" });
    // A waiting ticket: identical.
    const waiting = { eventId, queueToken: ticketOf(directJoin).queueToken };
    expect(await api.query(STATUS, waiting)).toEqual(await viaGeneral(STATUS, waiting));
    expect((await api.query(STATUS, waiting)).data!.queueStatus).toMatchObject({ status: "WAITING", position: 1 });
  });

  it("give the same typed errors, and the same refusal of a join without a viewer", { timeout: 30_000 }, async () => {
    const eventId = await roomEvent();
    const [fan] = await createUsers(api, 1);
    const cases: [string, Record<string, unknown>, string | undefined][] = [
      [JOIN, { eventId: "not-an-id" }, fan!.token],
      [JOIN, { eventId, accessCode: " " }, fan!.token],
      [JOIN, { eventId: "00000000-0000-4000-8000-000000000000" }, fan!.token],
      [JOIN, { eventId }, undefined],
      [STATUS, { eventId: "not-an-id", queueToken: "x" }, undefined],
      [STATUS, { eventId, queueToken: "" }, undefined],
      [STATUS, { eventId, queueToken: "no-such-ticket" }, fan!.token],
      [STATUS, { eventId: "00000000-0000-4000-8000-000000000000", queueToken: "no-such-ticket" }, undefined],
    ];
    const answers = [];
    for (const [query, variables, token] of cases) {
      const direct = await api.query(query, variables, token);
      expect(direct).toEqual(await viaGeneral(query, variables, token));
      answers.push(direct.errors?.map((error) => error.extensions?.code) ?? direct.data!.joinWaitingRoom.errors.map((error: { code: string }) => error.code));
    }
    expect(answers).toEqual([["VALIDATION"], ["VALIDATION"], ["NOT_FOUND"], ["UNAUTHENTICATED"], ["VALIDATION"], ["VALIDATION"], ["NOT_FOUND"], ["NOT_FOUND"]]);
    // Nothing joined.
    expect(await api.app.redis.zcard(api.app.keys.waitingRoom(eventId).queue)).toBe(0);
  });
});
