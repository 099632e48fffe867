/**
 * The change feed (`changes`): partner events of real changes reach the right organization and
 * scopes, and a poller following endCursor while many transactions commit out of order receives every
 * committed change exactly once, never one that rolled back.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANCEL, checkout, hold, sale, type Sale } from "../checkout/checkout-helpers.js";
import { createEvent, createOrganization, createUser, createVenue, setSeatStatus } from "../support/factories.js";
import { expectOk, startTestApi, type GraphQLResponse, type TestApi } from "../support/test-api.js";

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key errors { code } } }`;
const CHANGES = `query($since: String, $types: [String!], $first: Int!) {
  changes(since: $since, types: $types, first: $first) { edges { cursor node { id type subjectId occurredAt data } } pageInfo { endCursor hasNextPage } }
}`;

interface ChangeNode {
  id: string;
  type: string;
  subjectId: string;
  data: Record<string, unknown>;
}

let api: TestApi;
let pool: pg.Pool;

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0", PARTNER_BUDGET_POINTS: "1000000", PARTNER_ANNOUNCE_INTERVAL_MS: "0" } });
  pool = api.app.db.pool;
});
afterAll(async () => {
  await api.stop();
});

async function makeKey(promoterToken: string, scopes: string[]): Promise<string> {
  return expectOk((await api.query(CREATE_KEY, { input: { name: "Feed test", scopes } }, promoterToken)).data!.createApiKey).key;
}

/** Reads the feed from `since` until no change is ready, following endCursor. */
async function drain(token: string, since: string | null, types?: string[]): Promise<{ nodes: ChangeNode[]; cursor: string }> {
  const nodes: ChangeNode[] = [];
  let cursor = since;
  for (;;) {
    const response = await api.query(CHANGES, { since: cursor, types, first: 100 }, token);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const page = response.data!.changes;
    nodes.push(...page.edges.map((edge: { node: ChangeNode }) => edge.node));
    expect(page.pageInfo.endCursor).toBeTruthy();
    cursor = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage) return { nodes, cursor: cursor! };
  }
}

/**
 * Reads from `since` until `count` changes arrived. The feed waits for every transaction older than
 * its newest rows, and transaction ids are cluster-wide: other test files' transactions (in their own
 * databases) can hold it back for a moment, as any long transaction would in production.
 */
async function drainAtLeast(token: string, since: string | null, count: number): Promise<{ nodes: ChangeNode[]; cursor: string }> {
  const deadline = Date.now() + 30_000;
  const nodes: ChangeNode[] = [];
  let cursor = since;
  for (;;) {
    const page = await drain(token, cursor);
    nodes.push(...page.nodes);
    cursor = page.cursor;
    if (nodes.length >= count || Date.now() > deadline) return { nodes, cursor };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("changes of real sales", () => {
  let shop: Sale;
  let ordersKey: string;
  let catalogueKey: string;

  beforeAll(async () => {
    shop = await sale(api);
    ordersKey = await makeKey(shop.promoter.token, ["orders:read"]);
    catalogueKey = await makeKey(shop.promoter.token, ["catalogue:read"]);
  });

  it("lists an order confirmed and refunded, its tickets voided, to an orders:read key, and event changes to a catalogue:read key", async () => {
    const start = await drain(ordersKey, null);
    const fan = await createUser(api);
    const held = await hold(api, fan.token, { eventId: shop.eventId, seatIds: shop.seatIds.slice(0, 2) });
    const order = (await checkout(api, fan.token, { holdId: held.id })).order;
    expect(order.status).toBe("CONFIRMED");
    expectOk((await api.query(CANCEL, { orderId: order.id }, fan.token)).data!.cancelOrder);

    const orders = await drainAtLeast(ordersKey, start.cursor, 4);
    // The refund voids the tickets first, then marks the order, in one transaction: the feed keeps that order.
    expect(orders.nodes.map((node) => node.type)).toEqual(["order.confirmed", "ticket.voided", "ticket.voided", "order.refunded"]);
    expect(orders.nodes[0]).toMatchObject({ subjectId: order.id, data: { orderId: order.id, eventId: shop.eventId, status: "CONFIRMED", totalMinor: order.total.amount } });
    expect(orders.nodes.slice(1, 3).map((node) => node.data.orderId)).toEqual([order.id, order.id]);
    expect(orders.nodes[3]).toMatchObject({ subjectId: order.id, data: { status: "CANCELLED" } });

    await pool.query("UPDATE events SET name = 'Renamed for the feed' WHERE id = $1", [shop.eventId]);
    const events = await drainAtLeast(catalogueKey, null, 1);
    expect(events.nodes.map((node) => node.type)).toEqual(["event.updated"]);
    expect(events.nodes[0]!.data).toMatchObject({ eventId: shop.eventId, changed: ["name"] });
    // The orders:read key does not see catalogue types; asking for them is refused and reads nothing.
    expect((await drain(ordersKey, orders.cursor)).nodes).toEqual([]);
    const refused = await api.query(CHANGES, { types: ["event.updated"], first: 10 }, ordersKey);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("never shows one organization's changes to another's key or promoter", async () => {
    const otherOrganization = await createOrganization(pool);
    const otherPromoter = await createUser(api, { role: "PROMOTER", organizationId: otherOrganization });
    const otherKey = await makeKey(otherPromoter.token, ["orders:read", "catalogue:read"]);
    expect((await drain(otherKey, null)).nodes).toEqual([]);
    expect((await drain(otherPromoter.token, null)).nodes).toEqual([]);
    const own = await drainAtLeast(shop.promoter.token, null, 5);
    expect(own.nodes.length).toBe(5);
  });

  it("refuses bad arguments with typed errors", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ first: 0 }, "VALIDATION"],
      [{ first: 101 }, "VALIDATION"],
      [{ first: 10, types: ["order.exploded"] }, "VALIDATION"],
      [{ first: 10, since: "not-a-cursor" }, "VALIDATION"],
      [{ first: 10, since: Buffer.from('["1","x"]').toString("base64url") }, "VALIDATION"],
    ];
    for (const [variables, code] of cases) {
      const response = await api.query(CHANGES, variables, ordersKey);
      expect(response.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe(code);
    }
    const fan = await createUser(api);
    expect((await api.query(CHANGES, { first: 10 }, fan.token)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await api.query(CHANGES, { first: 10 })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("sale announcements", () => {
  it("announces an on-sale that starts at its time, a sale that runs out, and one that comes back after a refund, each once", async () => {
    const shop = await sale(api);
    const key = await makeKey(shop.promoter.token, ["catalogue:read"]);
    const venue = await createVenue(pool, { seated: [{ rows: 1, seatsPerRow: 2 }] });
    const scheduled = await createEvent(pool, venue, { organizationId: shop.organizationId, status: "SCHEDULED", onSaleAt: new Date(Date.now() - 1000) });
    const later = await createEvent(pool, venue, { organizationId: shop.organizationId, status: "SCHEDULED", onSaleAt: new Date(Date.now() + 3_600_000) });
    const sales = (nodes: ChangeNode[]) => nodes.filter((node) => node.type !== "event.updated").map((node) => `${node.type} ${node.subjectId}`);

    await api.app.partnerSales.run();
    await api.app.partnerSales.run();
    let feed = await drainAtLeast(key, null, 1);
    expect(sales(feed.nodes)).toEqual([`event.on_sale ${scheduled}`]);
    expect(sales(feed.nodes)).not.toContain(`event.on_sale ${later}`);

    // Sell the last seat through the API after everything else is gone: the event is sold out.
    const fan = await createUser(api);
    await setSeatStatus(pool, shop.eventId, shop.seatIds.slice(1), "SOLD");
    await pool.query("UPDATE event_sections SET ga_sold = capacity WHERE event_id = $1 AND section_id = $2", [shop.eventId, shop.gaSectionId]);
    const held = await hold(api, fan.token, { eventId: shop.eventId, seatIds: [shop.seatIds[0]] });
    const order = (await checkout(api, fan.token, { holdId: held.id })).order;
    await api.app.partnerSales.run();
    await api.app.partnerSales.run();
    feed = await drainAtLeast(key, feed.cursor, 1);
    expect(sales(feed.nodes)).toEqual([`event.sold_out ${shop.eventId}`]);

    // The refund frees the seat: the sale is announced again.
    expectOk((await api.query(CANCEL, { orderId: order.id }, fan.token)).data!.cancelOrder);
    await api.app.partnerSales.run();
    await api.app.partnerSales.run();
    feed = await drainAtLeast(key, feed.cursor, 1);
    expect(sales(feed.nodes)).toEqual([`event.on_sale ${shop.eventId}`]);
  });
});

describe("a poller among transactions that commit out of order", () => {
  it("pages through one transaction's changes in id order where the ids gain a digit", async () => {
    const organizationId = await createOrganization(pool);
    const promoter = await createUser(api, { role: "PROMOTER", organizationId });
    const key = await makeKey(promoter.token, ["catalogue:read"]);
    // The next ids cross a power of ten (…98, …99, 1…00, …): sorted as text, 100 would come before 98.
    const { rows } = await pool.query<{ last: string }>("SELECT last_value::text AS last FROM partner_events_id_seq");
    const next = 10 ** (rows[0]!.last.length + 1) - 3;
    await pool.query("SELECT setval('partner_events_id_seq', $1, false)", [next]);
    const client = await pool.connect();
    const written: string[] = [];
    try {
      await client.query("BEGIN");
      for (let index = 0; index < 8; index++) {
        const { rows: ids } = await client.query<{ id: string }>("SELECT emit_partner_event($1, 'event.updated', 'digits', '{}'::jsonb)::text AS id", [organizationId]);
        written.push(ids[0]!.id);
      }
      await client.query("COMMIT");
    } finally {
      client.release();
    }

    // Pages of 3: each page's last cursor must lead to the next ids, never back to one already read.
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10 && seen.length < written.length; page++) {
      type Page = { changes: { edges: { node: ChangeNode }[]; pageInfo: { endCursor: string } } };
      const response: GraphQLResponse<Page> = await api.query<Page>(CHANGES, { since: cursor, first: 3 }, key);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      seen.push(...response.data!.changes.edges.map((edge) => edge.node.id));
      cursor = response.data!.changes.pageInfo.endCursor;
    }
    expect(seen).toEqual(written);
  });

  it("receives every committed change once, in a final order, and none that rolled back", { timeout: 90_000 }, async () => {
    const organizationId = await createOrganization(pool);
    const promoter = await createUser(api, { role: "PROMOTER", organizationId });
    const key = await makeKey(promoter.token, ["catalogue:read"]);
    const WRITERS = 6;
    // Their own connections: the API's pool must stay free for the poller's requests.
    const writers = new pg.Pool({ connectionString: api.database.url, max: WRITERS });
    const TRANSACTIONS = 25;
    const committed = new Set<string>();
    let writing = true;

    // Each writer draws ids, then waits a random while before committing (or, one time in five,
    // rolling back): later ids regularly commit before earlier ones, which a plain "id > last seen"
    // cursor would skip for good.
    const writer = async (writerIndex: number) => {
      const client = await writers.connect();
      try {
        for (let transaction = 0; transaction < TRANSACTIONS; transaction++) {
          await client.query("BEGIN");
          const ids: string[] = [];
          for (let row = 0; row < 1 + (transaction % 3); row++) {
            const { rows } = await client.query<{ id: string }>("SELECT emit_partner_event($1, 'event.updated', $2, '{}'::jsonb)::text AS id", [organizationId, `w${writerIndex}`]);
            ids.push(rows[0]!.id);
          }
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 25));
          if (Math.random() < 0.2) {
            await client.query("ROLLBACK");
          } else {
            await client.query("COMMIT");
            for (const id of ids) committed.add(id);
          }
        }
      } finally {
        client.release();
      }
    };

    const seen: string[] = [];
    let cursor: string | null = null;
    const poller = async () => {
      while (writing) {
        const page = await drain(key, cursor);
        seen.push(...page.nodes.map((node) => node.id));
        cursor = page.cursor;
      }
      seen.push(...(await drainAtLeast(key, cursor, committed.size - seen.length)).nodes.map((node) => node.id));
    };

    const polling = poller();
    await Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(index)));
    writing = false;
    await polling;
    await writers.end();

    expect(committed.size).toBeGreaterThan(WRITERS * TRANSACTIONS);
    expect(seen.length - new Set(seen).size, "changes seen twice").toBe(0);
    const missing = [...committed].filter((id) => !seen.includes(id));
    const extra = seen.filter((id) => !committed.has(id));
    // Names what went wrong if it fails: a missing id would be a gap, an extra one a rolled-back change.
    expect({ missing, extra }).toEqual({ missing: [], extra: [] }); // every committed change, nothing rolled back
  });
});
