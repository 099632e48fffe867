/**
 * holdSeats and releaseHold resolve through plain functions (hold.resolver.ts, `holdDirectResolvers`)
 * instead of type-graphql's generated resolvers, and the hold answer types read plain properties
 * (`simpleResolvers`). The same documents, sent over HTTP (the direct lane, with the direct resolvers)
 * and executed by graphql-js on the schema without them (type-graphql's resolvers, the answers
 * formatted as every transport formats them), answer the same JSON: holds with every field, releases,
 * typed errors, and the refusal of a request without a viewer.
 */
import { randomUUID } from "node:crypto";
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
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0" } });
  general = await createSchema(api.app.pubsub, { direct: false });
});
afterAll(async () => {
  await api.stop();
});

const HOLD = `mutation($input: HoldSeatsInput!) {
  holdSeats(input: $input) {
    __typename
    hold {
      __typename id status expiresAt
      subtotal { __typename amount currency }
      fees { kind amount { amount currency } }
      total { amount currency }
      event { id name }
      lines { __typename section { __typename id name kind capacity } seat { __typename id row number x y status } price { amount currency } }
    }
    errors { __typename code message field }
  }
}`;
const RELEASE = `mutation($holdId: ID!) { releaseHold(holdId: $holdId) { __typename ok errors { __typename code message field } } }`;

/** The general path's answer: graphql-js on type-graphql's resolvers, errors formatted as the server formats them. */
async function viaGeneral(query: string, variables: Record<string, unknown>, token?: string) {
  const contextValue = await createContext(api.app, token ? `Bearer ${token}` : undefined, "127.0.0.1");
  const result = await execute({ schema: general, document: parse(query), variableValues: variables, contextValue });
  const format = formatError(api.app);
  return JSON.parse(JSON.stringify({ ...(result.errors ? { errors: result.errors.map((error) => format(error.toJSON(), error)) } : {}), data: result.data }));
}

async function onSale() {
  const pool = api.app.db.pool;
  const organizationId = await createOrganization(pool);
  const venue = await createVenue(pool, { seated: [{ rows: 2, seatsPerRow: 5 }], generalAdmission: [50] });
  const eventId = await createEvent(pool, venue, { organizationId, allowSingleSeatGaps: true, maxSeatsPerUser: 4 });
  return { eventId, seats: venue.sections[0]!.seatIds, section: venue.sections[0]!, standing: venue.sections[1]! };
}

type Answer = { data?: { holdSeats?: { hold: Record<string, unknown> | null; errors: unknown[] } } | null };
/** A placed hold's answer without what differs between two holds of the same seats: its id and expiry. */
const masked = (answer: Answer) => ({ ...answer, data: { holdSeats: { ...answer.data!.holdSeats!, hold: { ...answer.data!.holdSeats!.hold!, id: "", expiresAt: "" } } } });
const holdId = (answer: Answer) => answer.data!.holdSeats!.hold!.id as string;

describe("direct resolvers of holdSeats and releaseHold", () => {
  it("place and release holds exactly as type-graphql's resolvers do", { timeout: 30_000 }, async () => {
    const { eventId, seats, section, standing } = await onSale();
    const [first, second] = await createUsers(api, 2);
    const inputs = [
      { eventId, seatIds: [seats[1], seats[0]] },
      { eventId, seats: [{ sectionId: section.id, row: "A", number: 3 }] },
      { eventId, sectionId: section.id, quantity: 2 },
      { eventId, sectionId: standing.id, quantity: 3, requestKey: "standing" },
    ];
    for (const input of inputs) {
      // The same seats through each path in turn: the general one holds and releases, then the direct one.
      const generalHold = await viaGeneral(HOLD, { input }, first!.token);
      expect(generalHold.data.holdSeats.errors).toEqual([]);
      const generalRelease = await viaGeneral(RELEASE, { holdId: holdId(generalHold) }, first!.token);
      const directHold = await api.query(HOLD, { input }, second!.token);
      expect(masked(directHold)).toEqual(masked(generalHold));
      expect(holdId(directHold)).not.toBe(holdId(generalHold));
      const directRelease = await api.query(RELEASE, { holdId: holdId(directHold) }, second!.token);
      expect(directRelease).toEqual(generalRelease);
      expect(directRelease.data!.releaseHold).toEqual({ __typename: "ReleaseHoldPayload", ok: true, errors: [] });
    }
    // Every seat is back on sale, no hold is live.
    const { rows } = await api.app.db.pool.query<{ live: number; held: number }>(
      `SELECT (SELECT count(*)::int FROM holds WHERE event_id = $1 AND status = 'ACTIVE') AS live,
              (SELECT count(*)::int FROM event_seats WHERE event_id = $1 AND status <> 'AVAILABLE') AS held`,
      [eventId],
    );
    expect(rows[0]).toEqual({ live: 0, held: 0 });
  });

  it("give the same typed errors, and the same refusal without a viewer", { timeout: 30_000 }, async () => {
    const { eventId, seats, section } = await onSale();
    const [holder, other, stranger, leaver] = await createUsers(api, 4);
    const held = await api.query(HOLD, { input: { eventId, seatIds: [seats[5]] } }, holder!.token);
    const released = await api.query(HOLD, { input: { eventId, seatIds: [seats[6]] } }, leaver!.token);
    await api.query(RELEASE, { holdId: holdId(released) }, leaver!.token);
    const cases: [string, Record<string, unknown>, string | undefined][] = [
      [HOLD, { input: { eventId: "not-an-id", seatIds: [seats[0]] } }, other!.token],
      [HOLD, { input: { eventId: randomUUID(), seatIds: [seats[0]] } }, other!.token],
      [HOLD, { input: { eventId, seatIds: [seats[0]], quantity: 1 } }, other!.token],
      [HOLD, { input: { eventId, seatIds: [seats[0], seats[0]] } }, other!.token],
      [HOLD, { input: { eventId, seatIds: [randomUUID()] } }, other!.token],
      [HOLD, { input: { eventId, seats: [{ sectionId: section.id, row: "Z", number: 99 }] } }, other!.token],
      [HOLD, { input: { eventId, seatIds: seats.slice(0, 5) } }, other!.token],
      [HOLD, { input: { eventId, seatIds: [seats[5]] } }, other!.token],
      [HOLD, { input: { eventId, seatIds: [seats[0]] } }, undefined],
      [RELEASE, { holdId: "not-an-id" }, other!.token],
      [RELEASE, { holdId: randomUUID() }, other!.token],
      [RELEASE, { holdId: holdId(held) }, stranger!.token],
      [RELEASE, { holdId: holdId(released) }, leaver!.token],
      [RELEASE, { holdId: holdId(held) }, undefined],
    ];
    const codes = [];
    for (const [query, variables, token] of cases) {
      const direct = await api.query(query, variables, token);
      expect(direct).toEqual(await viaGeneral(query, variables, token));
      const payload = direct.data?.holdSeats ?? direct.data?.releaseHold;
      codes.push(direct.errors?.map((error) => error.extensions?.code) ?? payload.errors.map((error: { code: string }) => error.code));
    }
    expect(codes).toEqual([
      ["VALIDATION"],
      ["NOT_FOUND"],
      ["VALIDATION"],
      ["VALIDATION"],
      ["VALIDATION"],
      ["VALIDATION"],
      ["LIMIT_EXCEEDED"],
      ["SEAT_UNAVAILABLE"],
      ["UNAUTHENTICATED"],
      ["VALIDATION"],
      ["NOT_FOUND"],
      ["NOT_FOUND"],
      ["HOLD_EXPIRED"],
      ["UNAUTHENTICATED"],
    ]);
    // None of it changed anything: the holder's hold is the only live one, on its one seat.
    const { rows } = await api.app.db.pool.query<{ seat_id: string; hold_id: string }>(`SELECT seat_id, hold_id FROM event_seats WHERE event_id = $1 AND status <> 'AVAILABLE'`, [eventId]);
    expect(rows).toEqual([{ seat_id: seats[5], hold_id: holdId(held) }]);
  });
});
