import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compactVerify, createLocalJWKSet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import QRCode from "qrcode";
import { CANCEL, checkout, hold, sale, SCAN } from "../checkout/checkout-helpers.js";
import { TICKET_QR_OPTIONS } from "../../src/outbox/outbox.email.js";
import { createUser } from "../support/factories.js";
import { expectError, expectGraphQLError, expectOk, startTestApi, type TestApi } from "../support/test-api.js";

let api: TestApi;
let mailDir: string;
const STOREFRONT = "https://tickets.example.test";
beforeAll(async () => {
  mailDir = mkdtempSync(join(tmpdir(), "boxoffice-mail-"));
  // A rotation window other than the default, so tests see the configured number reach fans.
  api = await startTestApi({
    env: { RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", MAIL_OUTBOX_DIR: mailDir, BARCODE_ROTATION_SECONDS: "20", STOREFRONT_URL: STOREFRONT },
  });
});
afterAll(async () => {
  await api.stop();
  rmSync(mailDir, { recursive: true, force: true });
});

async function paidOrder(seats = 2) {
  const context = await sale(api);
  const fan = await createUser(api);
  const held = await hold(api, fan.token, { eventId: context.eventId, seatIds: context.seatIds.slice(0, seats) });
  const order = expectOk(await checkout(api, fan.token, { holdId: held.id })).order;
  return { ...context, fan, order };
}

const scan = async (token: string, eventId: string, barcode: string) => (await api.query(SCAN, { input: { eventId, barcode, deviceId: "gate-1" } }, token)).data!.scanTicket;

describe("barcodes", () => {
  it("are Ed25519 JWS verifiable offline with the published JWKS, and rotate every window", async () => {
    const { order } = await paidOrder(1);
    const jwks = (await (await fetch(api.url.replace("/graphql", "/.well-known/jwks.json"))).json()) as { keys: { kty: string; crv: string }[] };
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
    const verified = await compactVerify(order.tickets[0].barcode, createLocalJWKSet(jwks as never));
    const claims = JSON.parse(new TextDecoder().decode(verified.payload));
    expect(claims).toMatchObject({ t: order.tickets[0].id, e: order.event.id, s: order.tickets[0].seat.id });
    expect(Date.parse(order.tickets[0].barcodeRefreshesAt)).toBeGreaterThan(Date.now());
    // The rotation window is the configured one, and the next barcode comes within it.
    expect(order.tickets[0].barcodeRotationSeconds).toBe(20);
    expect(Date.parse(order.tickets[0].barcodeRefreshesAt)).toBeLessThanOrEqual(Date.now() + 20_000);

    const ticket = { ticketId: order.tickets[0].id, eventId: order.event.id, sectionId: order.tickets[0].section.id, seatId: order.tickets[0].seat.id };
    const now = Date.now();
    expect(await api.app.tickets.barcodes.sign(ticket, now)).not.toBe(await api.app.tickets.barcodes.sign(ticket, now + 30_000));
  });
});

describe("scanning", () => {
  it("admits a ticket once; the second scan says ALREADY_SCANNED with the first scan's time", async () => {
    const { order, promoter, eventId } = await paidOrder(1);
    const first = await scan(promoter.token, eventId, order.tickets[0].barcode);
    expect(first).toMatchObject({ result: "ADMITTED", reason: null, ticket: { id: order.tickets[0].id, status: "SCANNED" }, errors: [] });
    const second = await scan(promoter.token, eventId, order.tickets[0].barcode);
    expect(second.result).toBe("ALREADY_SCANNED");
    expect(second.scannedAt).toBe(first.scannedAt);
  });

  it("ten doors scanning the same ticket at once admit it exactly once", async () => {
    const { order, promoter, eventId, pool } = await paidOrder(1);
    const results = await Promise.all(Array.from({ length: 10 }, () => scan(promoter.token, eventId, order.tickets[0].barcode)));
    expect(results.filter((result) => result.result === "ADMITTED")).toHaveLength(1);
    expect(results.filter((result) => result.result === "ALREADY_SCANNED")).toHaveLength(9);
    const { rows } = await pool.query("SELECT result, count(*)::int AS n FROM ticket_scans WHERE ticket_id = $1 GROUP BY result ORDER BY result", [order.tickets[0].id]);
    expect(rows).toEqual([{ result: "ADMITTED", n: 1 }, { result: "ALREADY_SCANNED", n: 9 }]);
  });

  it("rejects forged, altered, expired, voided and other-event barcodes, and malformed input", async () => {
    const { order, promoter, eventId, organizationId, pool, fan } = await paidOrder(2);
    const [ticket, other] = order.tickets;
    const [header, payload, signature] = ticket.barcode.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, t: other.id })).toString("base64url")}.${signature}`;
    expect(await scan(promoter.token, eventId, altered)).toMatchObject({ result: "REJECTED", reason: "BAD_SIGNATURE" });
    const forged = `${header}.${payload}.${Buffer.alloc(64, 7).toString("base64url")}`;
    expect(await scan(promoter.token, eventId, forged)).toMatchObject({ result: "REJECTED", reason: "BAD_SIGNATURE" });

    const screenshot = await api.app.tickets.barcodes.sign(
      { ticketId: ticket.id, eventId, sectionId: ticket.section.id, seatId: ticket.seat.id },
      Date.now() - 120_000,
    );
    expect(await scan(promoter.token, eventId, screenshot)).toMatchObject({ result: "REJECTED", reason: "EXPIRED" });

    const elsewhere = await sale(api, {});
    const otherStaff = await createUser(api, { role: "PROMOTER", organizationId });
    await pool.query("UPDATE events SET organization_id = $1 WHERE id = $2", [organizationId, elsewhere.eventId]);
    expect(await scan(otherStaff.token, elsewhere.eventId, ticket.barcode)).toMatchObject({ result: "REJECTED", reason: "WRONG_EVENT" });

    expectError(await scan(promoter.token, eventId, "not a barcode"), "VALIDATION");
    expectError(await scan(promoter.token, eventId, "a.b.c"), "VALIDATION");

    // Voided by a cancellation: rejected, and listed for offline scanners.
    expectOk((await api.query(CANCEL, { orderId: order.id }, fan.token)).data!.cancelOrder);
    expect(await scan(promoter.token, eventId, other.barcode)).toMatchObject({ result: "REJECTED", reason: "VOID" });
    const { rows } = await pool.query("SELECT status FROM tickets WHERE id = $1", [other.id]);
    expect(rows[0].status).toBe("VOID");
  });

  it("a scan racing a cancellation: either the fan is in and the order stands, or the ticket is void and refunded", async () => {
    for (let round = 0; round < 8; round++) {
      const { order, promoter, eventId, fan, pool } = await paidOrder(1);
      const [scanned, cancelled] = await Promise.all([
        scan(promoter.token, eventId, order.tickets[0].barcode),
        api.query(CANCEL, { orderId: order.id }, fan.token).then((response) => response.data!.cancelOrder),
      ]);
      const { rows } = await pool.query("SELECT t.status AS ticket, o.status AS order FROM tickets t JOIN orders o ON o.id = t.order_id WHERE o.id = $1", [order.id]);
      if (scanned.result === "ADMITTED") {
        expectError(cancelled, "VALIDATION");
        expect(rows[0]).toEqual({ ticket: "SCANNED", order: "CONFIRMED" });
      } else {
        expect(scanned).toMatchObject({ result: "REJECTED", reason: "VOID" });
        expect(cancelled.errors).toEqual([]);
        expect(rows[0]).toEqual({ ticket: "VOID", order: "REFUNDED" });
      }
    }
  });

  it("only the event's staff may scan", async () => {
    const { order, eventId, fan } = await paidOrder(1);
    const outsider = await createUser(api, { role: "PROMOTER", organizationId: null });
    expectGraphQLError(await api.query(SCAN, { input: { eventId, barcode: order.tickets[0].barcode } }, fan.token), "FORBIDDEN");
    expectError(await scan(outsider.token, eventId, order.tickets[0].barcode), "FORBIDDEN");
    const admin = await createUser(api, { role: "ADMIN" });
    expect((await scan(admin.token, eventId, order.tickets[0].barcode)).result).toBe("ADMITTED");
  });
});

describe("revocation list", () => {
  it("lists voided tickets since a cursor, for staff only", async () => {
    const { order, promoter, eventId, fan } = await paidOrder(2);
    const list = `query($eventId: ID!, $since: String) { ticketRevocations(eventId: $eventId, since: $since) { revoked { ticketId voidedAt } cursor } }`;
    const empty = (await api.query(list, { eventId }, promoter.token)).data!.ticketRevocations;
    expect(empty.revoked).toEqual([]);
    expectOk((await api.query(CANCEL, { orderId: order.id }, fan.token)).data!.cancelOrder);
    const all = (await api.query(list, { eventId }, promoter.token)).data!.ticketRevocations;
    expect(all.revoked.map((row: { ticketId: string }) => row.ticketId).sort()).toEqual(order.tickets.map((ticket: { id: string }) => ticket.id).sort());
    const since = (await api.query(list, { eventId, since: all.cursor }, promoter.token)).data!.ticketRevocations;
    expect(since).toEqual({ revoked: [], cursor: all.cursor });
    expectGraphQLError(await api.query(list, { eventId }, fan.token), "FORBIDDEN");
    expectGraphQLError(await api.query(list, { eventId, since: "garbage" }, promoter.token), "VALIDATION");
  });
});

describe("confirmation email", () => {
  it("is sent from the outbox as an .eml with one QR image per ticket, and retried when sending fails", async () => {
    const blocked = mkdtempSync(join(tmpdir(), "boxoffice-mail-blocked-"));
    const blocker = join(blocked, "mail");
    writeFileSync(blocker, "a file where the mail folder should be");
    const local = await startTestApi({ env: { RECONCILE_INTERVAL_MS: "0", OUTBOX_POLL_INTERVAL_MS: "0", MAIL_OUTBOX_DIR: join(blocker, "inner"), OUTBOX_RETRY_BASE_MS: "50" } });
    try {
      const { eventId, seatIds, pool } = await sale(local);
      const fan = await createUser(local);
      const held = await hold(local, fan.token, { eventId, seatIds: seatIds.slice(0, 2) });
      const order = expectOk(await checkout(local, fan.token, { holdId: held.id })).order;

      await local.app.emails.run();
      const failed = await pool.query("SELECT status, attempts, last_error FROM outbox_deliveries WHERE consumer = 'email'");
      expect(failed.rows[0]).toMatchObject({ status: "PENDING", attempts: 1 });
      expect(failed.rows[0].last_error).toMatch(/ENOTDIR|EEXIST/);

      rmSync(blocker);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await local.app.emails.run()).toBe(1);
      const done = await pool.query("SELECT status, attempts FROM outbox_deliveries WHERE consumer = 'email'");
      expect(done.rows[0]).toEqual({ status: "DONE", attempts: 2 });
      const file = join(blocker, "inner", `order-${order.id}.eml`);
      expect(existsSync(file)).toBe(true);
      const eml = readFileSync(file, "utf8");
      expect(eml).toContain(`To: ${fan.email}`);
      expect(eml).toMatch(/Subject: Your tickets: /);
      expect(eml.match(/Content-Type: image\/png/g)).toHaveLength(2);
      expect(await local.app.emails.run()).toBe(0);
    } finally {
      await local.stop();
      rmSync(blocked, { recursive: true, force: true });
    }
  });
  it("has QR codes that open each ticket's page, and says they are not the entry codes and how often those change", async () => {
    const { order } = await paidOrder(2);
    expect(await api.app.emails.run()).toBeGreaterThanOrEqual(1);
    const eml = readFileSync(join(mailDir, `order-${order.id}.eml`), "utf8");
    // Quoted-printable and base64 wrap long lines: read the message with its soft line breaks undone,
    // and the text parts with quoted-printable's escapes (=3D is "=") decoded too.
    const flat = eml.replace(/=\r?\n/g, "").replace(/\r?\n/g, "");
    const text = flat.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    expect(text).toContain("These QR codes are NOT your entry codes: each one only opens your ticket page.");
    expect(text).toContain("it changes every 20 seconds, so screenshots and printouts do not work.");
    expect(eml.match(/Content-Type: image\/png/g)).toHaveLength(2);
    for (const ticket of order.tickets as { id: string }[]) {
      const url = `${STOREFRONT}/orders/${order.id}?ticket=${ticket.id}`;
      expect(text).toContain(`: ${url}`); // the text part's link
      expect(text).toContain(`<a href="${url}">open ticket</a>`);
      // The image attached for this ticket is exactly the QR code of its page's URL: the encoder is
      // deterministic, so drawing that URL with the same options gives the same PNG, byte for byte.
      // (Padding dropped: a trailing "=" at a line end reads like a soft line break to the flattening.)
      const expected = (await QRCode.toBuffer(url, TICKET_QR_OPTIONS)).toString("base64").replace(/=+$/, "");
      expect(flat).toContain(expected);
    }
  });
});
