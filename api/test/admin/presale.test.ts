/**
 * The promoter's presale tools: access codes made in the console let a fan into the presale lane of the
 * waiting room (typed in any case, used up after their uses), and a verified-fan CSV puts fans with an
 * account on the list. Who may: the event's organization (an admin: any); another organization's
 * promoter is told the event does not exist; a fan is FORBIDDEN. Refusals change and record nothing.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent, createOrganization, createUser, createVenue } from "../support/factories.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";
import { auditSince, lastAuditId } from "./venues-helpers.js";

const SUMMARY = "presaleEnabled codes codeUses codeUsesLeft verifiedFans verifiedFansJoined";
const PRESALE = `query($eventId: ID!) { adminPresale(eventId: $eventId) { ${SUMMARY} } }`;
const CREATE_CODES = `mutation($input: CreatePresaleCodesInput!) { createPresaleCodes(input: $input) { codes presale { ${SUMMARY} } errors { code message field } } }`;
const IMPORT = `mutation($input: ImportVerifiedFansInput!) {
  importVerifiedFans(input: $input) { result { rows added alreadyListed unknownEmails unknownCount invalidLines invalidCount repeatedCount } presale { ${SUMMARY} } errors { code message field } }
}`;
const JOIN = `mutation($eventId: ID!, $accessCode: String) { joinWaitingRoom(eventId: $eventId, accessCode: $accessCode) { ticket { presale } errors { code message } } }`;

let api: TestApi;
let pool: pg.Pool;
let eventId: string;
let promoter: { token: string };
let otherPromoter: { token: string };
let fan: { token: string };

beforeAll(async () => {
  api = await startTestApi({ env: { HOLD_SWEEP_INTERVAL_MS: "0", RECONCILE_INTERVAL_MS: "0" } });
  pool = api.app.db.pool;
  const organizationId = await createOrganization(pool);
  const venue = await createVenue(pool, { seated: [], generalAdmission: [5_000] });
  eventId = await createEvent(pool, venue, { organizationId, onSaleAt: new Date(Date.now() + 3_600_000), allowSingleSeatGaps: true });
  await pool.query(`UPDATE events SET waiting_room_enabled = true, presale_enabled = true, waiting_room_admission_interval_seconds = 1 WHERE id = $1`, [eventId]);
  promoter = await createUser(api, { role: "PROMOTER", organizationId });
  otherPromoter = await createUser(api, { role: "PROMOTER", organizationId: await createOrganization(pool) });
  fan = await createUser(api);
});
afterAll(async () => {
  await api.stop();
});

async function presaleRows() {
  return (await pool.query(`SELECT kind, code_hash, user_id, max_uses, used_count FROM presale_access WHERE event_id = $1 ORDER BY id`, [eventId])).rows;
}

describe("who may", () => {
  const operations = [
    { name: "adminPresale", run: (token?: string) => api.query(PRESALE, { eventId }, token), refusedFor: "null" },
    { name: "createPresaleCodes", run: (token?: string) => api.query(CREATE_CODES, { input: { eventId, count: 2 } }, token), refusedFor: "NOT_FOUND" },
    { name: "importVerifiedFans", run: (token?: string) => api.query(IMPORT, { input: { eventId, csv: "email\nsomeone@example.test\n" } }, token), refusedFor: "NOT_FOUND" },
  ];
  for (const operation of operations) {
    it(`${operation.name}: another organization's promoter finds no event, a fan is FORBIDDEN, anonymous UNAUTHENTICATED; nothing changes`, async () => {
      const before = await presaleRows();
      const audit = await lastAuditId(pool);
      const other = await operation.run(otherPromoter.token);
      const field = Object.keys(other.data!)[0]!;
      if (operation.refusedFor === "null") expect(other.data![field]).toBeNull();
      else expectError(other.data![field], "NOT_FOUND");
      expectGraphQLError(await operation.run(fan.token), "FORBIDDEN");
      expectGraphQLError(await operation.run(), "UNAUTHENTICATED");
      expect(await presaleRows()).toEqual(before);
      expect(await auditSince(pool, audit)).toEqual([]);
    });
  }
});

describe("access codes", () => {
  it("are answered once in clear, stored only hashed, and admit a fan to the presale lane in any case until used up", async () => {
    const audit = await lastAuditId(pool);
    const payload = expectOk((await api.query(CREATE_CODES, { input: { eventId, count: 3, maxUses: 1 } }, promoter.token)).data!.createPresaleCodes);
    expect(payload.codes).toHaveLength(3);
    for (const code of payload.codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(new Set(payload.codes).size).toBe(3);
    expect(payload.presale).toMatchObject({ presaleEnabled: true, codes: 3, codeUses: 0, codeUsesLeft: 3 });
    const stored = JSON.stringify(await presaleRows());
    for (const code of payload.codes) expect(stored).not.toContain(code);
    const [entry] = await auditSince(pool, audit);
    expect(entry).toMatchObject({ action: "presale.codes_create", entityId: eventId, after: { codes: 3, maxUses: 1 } });
    expect(JSON.stringify(entry)).not.toContain(payload.codes[0]);

    const first = await createUser(api);
    const joined = (await api.query(JOIN, { eventId, accessCode: ` ${payload.codes[0].toLowerCase()} ` }, first.token)).data!.joinWaitingRoom;
    expect(joined.ticket.presale).toBe(true);
    const second = await createUser(api);
    expectError((await api.query(JOIN, { eventId, accessCode: payload.codes[0] }, second.token)).data!.joinWaitingRoom, "VALIDATION");
    expect((await api.query(PRESALE, { eventId }, promoter.token)).data!.adminPresale).toMatchObject({ codes: 3, codeUses: 1, codeUsesLeft: 2 });
  });

  it("bad counts are refused with the field named", async () => {
    const before = await presaleRows();
    expect((await api.query(CREATE_CODES, { input: { eventId, count: 0 } }, promoter.token)).data!.createPresaleCodes.errors[0]).toMatchObject({ code: "VALIDATION", field: "count" });
    expect((await api.query(CREATE_CODES, { input: { eventId, count: 5_001 } }, promoter.token)).data!.createPresaleCodes.errors[0]).toMatchObject({ code: "VALIDATION", field: "count" });
    expect((await api.query(CREATE_CODES, { input: { eventId, count: 1, maxUses: 0 } }, promoter.token)).data!.createPresaleCodes.errors[0]).toMatchObject({ code: "VALIDATION", field: "maxUses" });
    expect(await presaleRows()).toEqual(before);
  });
});

describe("verified fans", () => {
  it("a CSV adds the fans with an account, reports unknown emails and bad lines, and a re-upload adds nobody twice", async () => {
    const listed = await createUser(api);
    const alsoListed = await createUser(api);
    const csv = [
      "Name,Email,Tier",
      `Listed Fan,${listed.email.toUpperCase()},gold`,
      `"Also, Listed",${alsoListed.email},silver`,
      "Nobody,nobody-here@example.test,gold",
      "Broken,not an email,gold",
      `Twice,${listed.email},gold`,
      "",
    ].join("\r\n");
    const audit = await lastAuditId(pool);
    const first = expectOk((await api.query(IMPORT, { input: { eventId, csv } }, promoter.token)).data!.importVerifiedFans);
    // Every row accounted for: 2 added + 1 unknown + 1 invalid + 1 repeating an email given above.
    expect(first.result).toEqual({ rows: 5, added: 2, alreadyListed: 0, unknownEmails: ["nobody-here@example.test"], unknownCount: 1, invalidLines: [5], invalidCount: 1, repeatedCount: 1 });
    expect(first.presale).toMatchObject({ verifiedFans: 2, verifiedFansJoined: 0 });
    expect((await auditSince(pool, audit)).map((row) => row.action)).toEqual(["presale.verified_fans_import"]);

    // The second piece of a larger file: its line numbers continue from where the piece starts.
    const again = expectOk((await api.query(IMPORT, { input: { eventId, csv: `email\n${listed.email}\n@@\n`, firstLine: 200 } }, promoter.token)).data!.importVerifiedFans);
    expect(again.result).toMatchObject({ rows: 2, added: 0, alreadyListed: 1, invalidLines: [202] });

    // The listed fan joins the presale lane without a code.
    const joined = (await api.query(JOIN, { eventId }, listed.token)).data!.joinWaitingRoom;
    expect(joined.ticket.presale).toBe(true);
    expect((await api.query(PRESALE, { eventId }, promoter.token)).data!.adminPresale).toMatchObject({ verifiedFans: 2, verifiedFansJoined: 1 });
  });

  it("a file without a header whose first line is a mistyped address reports that line, and a worded first line is a header", async () => {
    const fan = await createUser(api);
    const headerless = expectOk((await api.query(IMPORT, { input: { eventId, csv: `bob-at-example.com\n${fan.email}\n` } }, promoter.token)).data!.importVerifiedFans);
    expect(headerless.result).toMatchObject({ rows: 2, invalidLines: [1], invalidCount: 1 });
    const worded = expectOk((await api.query(IMPORT, { input: { eventId, csv: `Fan e-mail address\n${fan.email}\n` } }, promoter.token)).data!.importVerifiedFans);
    expect(worded.result).toMatchObject({ rows: 1, invalidCount: 0, repeatedCount: 0 });
  });

  it("a file that is not CSV, or is empty, is refused and changes nothing", async () => {
    const before = await presaleRows();
    const broken = (await api.query(IMPORT, { input: { eventId, csv: 'email\n"unterminated@example.test\n' } }, promoter.token)).data!.importVerifiedFans;
    expect(broken.errors[0]).toMatchObject({ code: "VALIDATION", field: "csv" });
    expect(broken.errors[0].message).toMatch(/not valid CSV/);
    expect((await api.query(IMPORT, { input: { eventId, csv: "\n\n" } }, promoter.token)).data!.importVerifiedFans.errors[0]).toMatchObject({ code: "VALIDATION", field: "csv" });
    expect(await presaleRows()).toEqual(before);
  });
});
