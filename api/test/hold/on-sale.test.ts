/**
 * "On sale" has one definition in SQL (event_on_sale, used by hold_seats, hold_seats_set and the
 * restart watch) and one early check in the API (isOnSale, which turns requests away before a
 * round trip). They must agree on every combination of status, on-sale time and start time.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";
import { isOnSale } from "../../src/hold/hold.service.js";

const STATUSES = ["DRAFT", "SCHEDULED", "ON_SALE", "SOLD_OUT", "CANCELLED", "ENDED"] as const;
const HOUR = 3_600_000;

let database: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 1 });
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe("on sale", () => {
  it("the API's early check and SQL's event_on_sale agree on every status, on-sale time and start time", async () => {
    const { rows } = await pool.query<{ now: Date }>("SELECT now() AS now");
    const now = rows[0]!.now.getTime();
    const cases = STATUSES.flatMap((status) =>
      [-HOUR, HOUR].flatMap((onSale) => [-HOUR, HOUR].map((start) => ({ status, onSaleAt: new Date(now + onSale), startsAt: new Date(now + start) }))),
    );
    const answers: string[] = [];
    for (const event of cases) {
      const { rows: sql } = await pool.query<{ onSale: boolean }>(`SELECT event_on_sale($1::"EventStatus", $2, $3) AS "onSale"`, [event.status, event.onSaleAt, event.startsAt]);
      const api = isOnSale(event, now);
      expect(api, `${event.status}, on sale ${event.onSaleAt.toISOString()}, starts ${event.startsAt.toISOString()}`).toBe(sql[0]!.onSale);
      if (api) answers.push(event.status);
    }
    // Not vacuous: exactly the two sellable statuses, with the on-sale time passed and the start ahead.
    expect(answers.sort()).toEqual(["ON_SALE", "SCHEDULED"]);
  });
});
