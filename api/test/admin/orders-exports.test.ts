/**
 * The CSV exports over HTTP: 100,000 orders and 100,000 attendees streamed through the real endpoint
 * with every row checked (count, order and content, by a running digest compared with PostgreSQL's)
 * while the API process's heap and RSS stay bounded; spreadsheet formulas neutralised; download links
 * refused when expired, forged, meant for another export or held by a user who may no longer export.
 * Also: the console's order searches use indexes on a table of 100,000 orders (EXPLAIN).
 */
import { createHash } from "node:crypto";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createSigner } from "fast-jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATTENDEES_EXPORT_SQL, listOrdersStatement, ORDER_SORT_COLUMNS, type AdminOrderQuery } from "../../src/admin/admin.orders.db.js";
import { exportTokensOf } from "../../src/admin/admin.orders.exports.js";
import { createOrganization, createUser } from "../support/factories.js";
import { expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import { EXPORT_LINK, soldEvent, type SoldEvent } from "./orders-helpers.js";

const ROWS = 100_000;
/** Buyers whose names and emails a spreadsheet would run as formulas. */
const HOSTILE_NAMES = ["=HYPERLINK(\"http://evil.test\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\tTabbed", "\rReturn", "Plain Name"];

let api: TestApi;
let origin: string;
let event: SoldEvent;
let bulkEventId: string;
let promoter: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  api = await startTestApi({ env: { RECONCILE_INTERVAL_MS: "0", HOLD_SWEEP_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0" } });
  origin = new URL(api.url).origin;
  event = await soldEvent(api);
  // A second event of the same organization with 100,000 orders of one GA ticket each, written
  // straight to the database (the purchase path is tested elsewhere; this tests the export).
  const pool = api.app.db.pool;
  const started = Date.now();
  promoter = event.promoter;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO events (slug, name, artist, description, category, status, venue_id, organization_id, currency, starts_at, ends_at, on_sale_at)
     SELECT 'bulk-' || substr(md5(random()::text), 1, 8), 'Bulk Night', 'Many', '', category, 'ON_SALE', venue_id, organization_id, currency,
            starts_at, ends_at, on_sale_at
     FROM events WHERE id = $1 RETURNING id`,
    [event.eventId],
  );
  bulkEventId = rows[0]!.id;
  await pool.query(
    `INSERT INTO users (email, name, password_hash)
     SELECT 'bulk-' || n || '@example.test', CASE WHEN n <= $1 THEN ($2::text[])[n] ELSE 'Fan ' || n END, 'x'
     FROM generate_series(1, 1000) AS n`,
    [HOSTILE_NAMES.length, HOSTILE_NAMES],
  );
  await pool.query(
    `WITH buyers AS (SELECT id, row_number() OVER (ORDER BY email) AS k FROM users WHERE email LIKE 'bulk-%'),
     rows AS (
       SELECT n, gen_random_uuid() AS hold_id, gen_random_uuid() AS order_id, b.id AS user_id
       FROM generate_series(1, $2::int) AS n JOIN buyers b ON b.k = 1 + (n % 1000)
     ), holds AS (
       INSERT INTO holds (id, event_id, user_id, status, subtotal_minor, currency, expires_at)
       SELECT hold_id, $1, user_id, 'CONVERTED', 5000, 'USD', now() FROM rows
     ), orders AS (
       INSERT INTO orders (id, event_id, user_id, hold_id, status, idempotency_key, currency, subtotal_minor, fees_minor, total_minor, created_at)
       SELECT order_id, $1, user_id, hold_id, 'CONFIRMED', 'bulk-' || n, 'USD', 5000, 750, 5750, now() - make_interval(secs => n) FROM rows
     ), lines AS (
       INSERT INTO order_lines (order_id, section_id, price_minor, currency) SELECT order_id, $3, 5000, 'USD' FROM rows
     )
     INSERT INTO tickets (order_id, event_id, section_id, status, rotation_secret) SELECT order_id, $1, $3, 'VALID', md5(order_id::text) FROM rows`,
    [bulkEventId, ROWS, event.gaSectionId],
  );
  await pool.query("ANALYZE users; ANALYZE orders; ANALYZE tickets; ANALYZE events");
  process.stdout.write(`[orders-exports] ${ROWS} orders with their tickets written in ${Date.now() - started} ms\n`);
}, 180_000);

afterAll(async () => {
  await api.stop();
});

async function link(kind: "ORDERS" | "ATTENDEES", eventId = bulkEventId, token = promoter.token): Promise<string> {
  const payload = expectOk((await api.query(EXPORT_LINK, { input: { eventId, kind } }, token)).data!.createEventExportLink);
  expect(payload.url).toMatch(new RegExp(`^/admin/exports/events/${eventId}/${kind.toLowerCase()}\\.csv\\?token=`));
  expect(new Date(payload.expiresAt).getTime() - Date.now()).toBeGreaterThan(290_000);
  return payload.url as string;
}

/** A full garbage collection (the flag is set at run time; `gc` is then reachable from a fresh context). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

interface Download {
  status: number;
  headers: Headers;
  lines: number;
  bytes: number;
  header: string;
  /** md5 of the first column of every data row, joined by ",", in the order received. */
  digest: string;
  /** Data rows of the hostile buyers (by their email), as received. */
  hostile: string[];
  milliseconds: number;
  heapGrowthMb: number;
  /** Growth of V8's old space alone: what survived scavenges, i.e. what the process held on to rather than garbage not yet collected. */
  oldSpaceGrowthMb: number;
  rssGrowthMb: number;
}

const oldSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === "old_space")!.space_used_size;

/** Downloads through the real endpoint, keeping only running figures (never the body), and samples this process's memory meanwhile. */
async function download(path: string): Promise<Download> {
  collectGarbage();
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  const baselineOld = oldSpace();
  let peakOld = baselineOld;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
    peakOld = Math.max(peakOld, oldSpace());
  }, 10);
  const started = Date.now();
  try {
    const response = await fetch(origin + path);
    const hash = createHash("md5");
    const hostile: string[] = [];
    let lines = 0;
    let bytes = 0;
    let header = "";
    let pending = "";
    let first = true;
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    const take = (line: string) => {
      if (lines === 0) header = line;
      else {
        hash.update((lines > 1 ? "," : "") + line.slice(0, line.indexOf(",")));
        if (/bulk-[1-7]@example\.test/.test(line)) hostile.push(line);
      }
      lines++;
    };
    for await (const chunk of response.body!) {
      bytes += chunk.byteLength;
      let text = pending + decoder.decode(chunk, { stream: true });
      if (first) {
        expect(text.charCodeAt(0)).toBe(0xfeff);
        text = text.slice(1);
        first = false;
      }
      // Rows end in "\n"; a "\r" inside a quoted cell is not a row end, and no cell here holds a "\n".
      const parts = text.split("\n");
      pending = parts.pop()!;
      for (const line of parts) take(line);
    }
    if (pending) take(pending);
    return {
      status: response.status,
      headers: response.headers,
      lines,
      bytes,
      header,
      digest: hash.digest("hex"),
      hostile,
      milliseconds: Date.now() - started,
      heapGrowthMb: (peakHeap - baseline.heapUsed) / 2 ** 20,
      oldSpaceGrowthMb: (peakOld - baselineOld) / 2 ** 20,
      rssGrowthMb: (peakRss - baseline.rss) / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
  }
}

async function expectedDigest(sql: string): Promise<string> {
  const { rows } = await api.app.db.pool.query<{ ids: string }>(sql, [bulkEventId]);
  return createHash("md5").update(rows[0]!.ids).digest("hex");
}

/**
 * Growth allowed while 100,000 rows (15 MB of CSV) go through. The heap's peak includes young garbage
 * not yet scavenged (~20-25 MB measured); the old space holds what survives (~9 MB measured). Reading the
 * same rows at once grows the heap by ~60 MB, the old space by ~45 MB (asserted above both bounds).
 */
const HEAP_BOUND_MB = 48;
const OLD_SPACE_BOUND_MB = 16;
const RSS_BOUND_MB = 80;

describe("streamed CSV exports", () => {
  it("streams 100,000 attendees through the HTTP endpoint with bounded memory", async () => {
    const result = await download(await link("ATTENDEES"));
    process.stdout.write(
      `[orders-exports] attendees: ${result.lines - 1} rows, ${(result.bytes / 2 ** 20).toFixed(1)} MB in ${result.milliseconds} ms; ` +
        `heap growth ${result.heapGrowthMb.toFixed(1)} MB (old space ${result.oldSpaceGrowthMb.toFixed(1)} MB), RSS growth ${result.rssGrowthMb.toFixed(1)} MB\n`,
    );
    expect(result.status).toBe(200);
    expect(result.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(result.headers.get("content-disposition")).toMatch(/^attachment; filename="bulk-[0-9a-f]{8}-attendees\.csv"$/);
    expect(result.headers.get("cache-control")).toBe("no-store");
    // fetch asks for gzip (and decodes it): the rows above came through the compression stream
    // (platform/http-compression.ts), still streamed, within the same memory bounds.
    expect(result.headers.get("content-encoding")).toBe("gzip");
    expect(result.header).toBe("ticket_id,order_id,ticket_status,section,row,seat,price,currency,buyer_email,buyer_name,order_status,purchased_at,scanned_at");
    expect(result.lines).toBe(ROWS + 1);
    expect(result.digest).toBe(await expectedDigest(`SELECT string_agg(id::text, ',' ORDER BY id) AS ids FROM tickets WHERE event_id = $1`));
    expect(result.heapGrowthMb).toBeLessThan(HEAP_BOUND_MB);
    expect(result.oldSpaceGrowthMb).toBeLessThan(OLD_SPACE_BOUND_MB);
    expect(result.rssGrowthMb).toBeLessThan(RSS_BOUND_MB);

    // The bound means something: the same rows read at once (what a non-streamed export would hold) take far more.
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const beforeOld = oldSpace();
    const all = await api.app.db.pool.query(ATTENDEES_EXPORT_SQL, [bulkEventId]);
    const loadedMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    const loadedOldMb = (oldSpace() - beforeOld) / 2 ** 20;
    process.stdout.write(
      `[orders-exports] for comparison, the ${all.rowCount} attendee rows read at once: heap growth ${loadedMb.toFixed(1)} MB (old space ${loadedOldMb.toFixed(1)} MB)\n`,
    );
    expect(loadedMb).toBeGreaterThan(HEAP_BOUND_MB);
    expect(loadedOldMb).toBeGreaterThan(OLD_SPACE_BOUND_MB);
  }, 120_000);

  it("streams 100,000 orders oldest first, amounts in major units, formulas neutralised", async () => {
    const result = await download(await link("ORDERS"));
    process.stdout.write(
      `[orders-exports] orders: ${result.lines - 1} rows, ${(result.bytes / 2 ** 20).toFixed(1)} MB in ${result.milliseconds} ms; ` +
        `heap growth ${result.heapGrowthMb.toFixed(1)} MB (old space ${result.oldSpaceGrowthMb.toFixed(1)} MB), RSS growth ${result.rssGrowthMb.toFixed(1)} MB\n`,
    );
    expect(result.status).toBe(200);
    expect(result.header).toBe("order_id,created_at,status,buyer_email,buyer_name,tickets,subtotal,fees,total,currency,cancelled_at");
    expect(result.lines).toBe(ROWS + 1);
    expect(result.digest).toBe(await expectedDigest(`SELECT string_agg(id::text, ',' ORDER BY created_at, id) AS ids FROM orders WHERE event_id = $1`));
    expect(result.heapGrowthMb).toBeLessThan(HEAP_BOUND_MB);
    expect(result.oldSpaceGrowthMb).toBeLessThan(OLD_SPACE_BOUND_MB);
    expect(result.rssGrowthMb).toBeLessThan(RSS_BOUND_MB);

    // Each hostile buyer has 100 orders; every one of its rows starts the name with a quote.
    const names = new Map<string, string>();
    for (const line of result.hostile) {
      const email = /bulk-([1-7])@example\.test/.exec(line)![1]!;
      names.set(email, line.slice(line.indexOf("@example.test,") + "@example.test,".length, line.lastIndexOf(",1,50.00,")));
      expect(line).toMatch(/,CONFIRMED,bulk-[1-7]@example\.test,.*,1,50\.00,7\.50,57\.50,USD,$/s);
    }
    expect(result.hostile).toHaveLength(700);
    expect(Object.fromEntries(names)).toEqual({
      "1": `"'=HYPERLINK(""http://evil.test"",""click"")"`,
      "2": "'+1+1",
      "3": "'-2+3",
      "4": "'@SUM(A1)",
      "5": "'\tTabbed",
      "6": `"'\rReturn"`,
      "7": "Plain Name",
    });
  }, 120_000);

  it("refuses links that are missing, forged, expired, for another export, or whose holder may no longer export", async () => {
    const get = async (path: string) => {
      const response = await fetch(origin + path);
      return { status: response.status, body: await response.text() };
    };
    const base = `/admin/exports/events/${bulkEventId}/orders.csv`;
    const secret = api.app.config.authTokenSecret;
    const tokens = exportTokensOf(secret);

    expect((await get(base)).status).toBe(401);
    expect((await get(`${base}?token=garbage`)).status).toBe(401);
    // A bearer token is not a download token (another audience), even of the event's own promoter.
    expect((await get(`${base}?token=${promoter.token}`)).status).toBe(401);
    // Signed with another secret.
    const forged = exportTokensOf("another-secret-another-secret-another-secret").sign({ sub: promoter.id, evt: bulkEventId, kind: "ORDERS" });
    expect((await get(`${base}?token=${forged}`)).status).toBe(401);
    // Expired: the same claims, signed as if an hour ago.
    const expired = createSigner({ key: secret, algorithm: "HS256", iss: "boxoffice", aud: "boxoffice-export", expiresIn: 300_000, clockTimestamp: Date.now() - 3_600_000 })({
      sub: promoter.id,
      evt: bulkEventId,
      kind: "ORDERS",
    });
    expect((await get(`${base}?token=${expired}`)).status).toBe(401);

    // A link for the attendees does not download the orders, nor another event's.
    const attendees = (await link("ATTENDEES")).split("?")[1];
    expect((await get(`${base}?${attendees}`)).status).toBe(403);
    const otherEvent = (await link("ORDERS", event.eventId)).split("?")[1];
    expect((await get(`${base}?${otherEvent}`)).status).toBe(403);

    // A token naming a promoter of another organization (as if its link were made before a move) or a fan.
    const stranger = await createUser(api, { role: "PROMOTER", organizationId: await createOrganization(api.app.db.pool) });
    expect((await get(`${base}?token=${tokens.sign({ sub: stranger.id, evt: bulkEventId, kind: "ORDERS" })}`)).status).toBe(403);
    const fan = await createUser(api);
    expect((await get(`${base}?token=${tokens.sign({ sub: fan.id, evt: bulkEventId, kind: "ORDERS" })}`)).status).toBe(403);
    // A promoter moved to another organization after making the link.
    const moved = await createUser(api, { role: "PROMOTER", organizationId: promoter.organizationId });
    const movedLink = await link("ORDERS", bulkEventId, moved.token);
    await api.app.db.pool.query(`UPDATE users SET organization_id = $2 WHERE id = $1`, [moved.id, stranger.organizationId]);
    const refused = await get(movedLink);
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain("bulk-");
    // A promoter whose account an admin disabled after the link was made.
    const disabled = await createUser(api, { role: "PROMOTER", organizationId: promoter.organizationId });
    const disabledLink = await link("ORDERS", bulkEventId, disabled.token);
    await api.app.db.pool.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [disabled.id]);
    expect([401, 403]).toContain((await get(disabledLink)).status);

    expect((await get(`/admin/exports/events/${bulkEventId}/secrets.csv?token=x`)).status).toBe(404);
  });

  it("a download abandoned mid-way gives its connection back and does not count against the limit of concurrent exports", async () => {
    const pool = api.app.db.pool;
    for (let attempt = 0; attempt < 3; attempt++) {
      const abort = new AbortController();
      const response = await fetch(origin + (await link("ATTENDEES")), { signal: abort.signal });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read();
      abort.abort();
    }
    // The export's connection is closed (it may be mid-cursor), never handed back to the pool busy.
    await expect.poll(() => pool.totalCount - pool.idleCount, { timeout: 5_000 }).toBe(0);
    const result = await download(await link("ORDERS", event.eventId));
    expect(result.status).toBe(200);
    expect(result.lines).toBe(4);
  });

  it("runs a small export: the three orders bought through the API", async () => {
    const result = await download(await link("ORDERS", event.eventId));
    expect(result.lines).toBe(4);
    expect(result.digest).toBe(createHash("md5").update(event.orders.map((order) => order.id).join(",")).digest("hex"));
  });
});

describe("order searches on 100,000 orders", () => {
  /** Every index a plan reads, and whether it scans the orders table whole. */
  async function plan(query: Partial<AdminOrderQuery>): Promise<{ indexes: string[]; seqScans: string[] }> {
    const statement = listOrdersStatement({ organizationId: null, orderBy: ORDER_SORT_COLUMNS.createdAt!, descending: true, offset: 0, limit: 25, ...query });
    const { rows } = await api.app.db.pool.query(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
    const indexes: string[] = [];
    const seqScans: string[] = [];
    const walk = (node: Record<string, unknown>) => {
      if (typeof node["Index Name"] === "string") indexes.push(node["Index Name"]);
      if (node["Node Type"] === "Seq Scan") seqScans.push(String(node["Relation Name"]));
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk((rows[0]["QUERY PLAN"] as { Plan: Record<string, unknown> }[])[0]!.Plan);
    return { indexes, seqScans };
  }

  it("finds by buyer email, order id, ticket id, event and date range through indexes", async () => {
    const email = await plan({ email: "bulk-500@example.test" });
    expect(email.indexes).toContain("users_email_idx");
    // Then the buyer's orders through an index led by user_id ((user_id, created_at) or (user_id, idempotency_key)).
    expect(email.indexes.some((name) => name.startsWith("orders_user_id_"))).toBe(true);
    expect(email.seqScans).not.toContain("orders");

    const { rows } = await api.app.db.pool.query<{ id: string; order_id: string }>(`SELECT id, order_id FROM tickets WHERE event_id = $1 LIMIT 1`, [bulkEventId]);
    const order = await plan({ orderId: rows[0]!.order_id });
    expect(order.indexes).toContain("orders_pkey");
    expect(order.seqScans).not.toContain("orders");
    const ticket = await plan({ ticketId: rows[0]!.id });
    expect(ticket.indexes).toEqual(expect.arrayContaining(["tickets_pkey", "orders_pkey"]));
    expect(ticket.seqScans).not.toContain("orders");

    const byEvent = await plan({ eventId: event.eventId });
    expect(byEvent.indexes).toContain("orders_event_id_created_at_idx");
    expect(byEvent.seqScans).not.toContain("orders");

    const hour = await plan({ from: new Date(Date.now() - 7_200_000), to: new Date(Date.now() - 3_600_000) });
    expect(hour.indexes).toContain("orders_created_at_idx");
    expect(hour.seqScans).not.toContain("orders");

    // The first page of every order, newest first (an admin's default list), reads the date index, not the table.
    const newest = await plan({});
    expect(newest.indexes).toContain("orders_created_at_idx");
    expect(newest.seqScans).not.toContain("orders");
  });
});
