/**
 * Entry scanning and what offline scanners sync. A scan verifies the barcode's signature and rotation
 * window (no database needed for a forgery or a screenshot), then marks the ticket SCANNED in one
 * conditional update, so two doors scanning the same ticket at once admit it once.
 */
import type pg from "pg";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { decodeCursor, encodeCursor, isId } from "../platform/graphql.js";
import type { BarcodeSigner } from "./ticket.barcodes.js";
import * as db from "./ticket.db.js";
import type { ScanResult } from "./ticket.types.js";

export interface TicketDependencies {
  pool: pg.Pool;
  barcodes: BarcodeSigner;
}

export interface ScanOutcome {
  result: ScanResult;
  reason: string | null;
  ticket: db.TicketRow | null;
  scannedAt: Date | null;
}

const MAX_DEVICE_ID = 100;
const MAX_BARCODE = 2_000;
const MAX_REVOCATIONS = 1_000;

export async function scanTicket(
  deps: TicketDependencies,
  viewer: Viewer,
  input: { eventId: string; barcode: string; deviceId?: string | null },
): Promise<Result<ScanOutcome>> {
  if (!isId(input.eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  if (input.deviceId != null && input.deviceId.length > MAX_DEVICE_ID) return fail("VALIDATION", `deviceId is longer than ${MAX_DEVICE_ID}`, "deviceId");
  if (input.barcode.length === 0 || input.barcode.length > MAX_BARCODE) return fail("VALIDATION", "this is not a ticket barcode", "barcode");
  const organizationId = await db.findEventOrganization(deps.pool, input.eventId);
  if (!organizationId) return fail("NOT_FOUND", "no such event", "eventId");
  if (!canManageOrganization(viewer, organizationId)) return fail("FORBIDDEN", "only the event's staff may scan its tickets", "eventId");

  const checked = await deps.barcodes.verify(input.barcode);
  if (!checked.ok) {
    if (checked.reason === "MALFORMED") return fail("VALIDATION", "this is not a ticket barcode", "barcode");
    return ok({ result: "REJECTED", reason: checked.reason, ticket: null, scannedAt: null });
  }
  const { claims } = checked;
  if (claims.eventId !== input.eventId) return ok({ result: "REJECTED", reason: "WRONG_EVENT", ticket: null, scannedAt: null });
  if (!isId(claims.ticketId)) return ok({ result: "REJECTED", reason: "UNKNOWN_TICKET", ticket: null, scannedAt: null });

  const admitted = await db.admitTicket(deps.pool, claims.ticketId, input.eventId);
  const ticket = admitted ?? (await db.findTicket(deps.pool, claims.ticketId));
  let outcome: ScanOutcome;
  if (!ticket) outcome = { result: "REJECTED", reason: "UNKNOWN_TICKET", ticket: null, scannedAt: null };
  else if (admitted) outcome = { result: "ADMITTED", reason: null, ticket, scannedAt: admitted.scannedAt };
  else if (ticket.status === "SCANNED") outcome = { result: "ALREADY_SCANNED", reason: null, ticket, scannedAt: ticket.scannedAt };
  else outcome = { result: "REJECTED", reason: ticket.status === "VOID" ? "VOID" : "WRONG_EVENT", ticket, scannedAt: null };
  if (ticket) {
    await db.logScan(deps.pool, { ticketId: ticket.id, scannerUserId: viewer.id, result: outcome.result, deviceId: input.deviceId ?? null });
  }
  return ok(outcome);
}

export interface RevocationPage {
  revoked: db.RevocationRow[];
  cursor: string | null;
}

export async function ticketRevocations(
  deps: TicketDependencies,
  viewer: Viewer,
  input: { eventId: string; since?: string | null; first?: number | null },
): Promise<Result<RevocationPage>> {
  if (!isId(input.eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  const first = input.first ?? MAX_REVOCATIONS;
  if (!Number.isInteger(first) || first < 1 || first > MAX_REVOCATIONS) return fail("VALIDATION", `first must be 1 to ${MAX_REVOCATIONS}`, "first");
  const organizationId = await db.findEventOrganization(deps.pool, input.eventId);
  if (!organizationId) return fail("NOT_FOUND", "no such event", "eventId");
  if (!canManageOrganization(viewer, organizationId)) return fail("FORBIDDEN", "only the event's staff may sync its revocations", "eventId");
  let after: { voidedAt: Date; ticketId: string } | null = null;
  if (input.since) {
    let values: (string | number)[] = [];
    try {
      values = decodeCursor(input.since, ["string", "string"]);
    } catch {
      // reported below
    }
    const [voidedAt, ticketId] = values as [string?, string?];
    if (!voidedAt || !ticketId || !isId(ticketId) || Number.isNaN(Date.parse(voidedAt))) {
      return fail("VALIDATION", "since is not a cursor returned by this API", "since");
    }
    after = { voidedAt: new Date(voidedAt), ticketId };
  }
  const revoked = await db.findRevocations(deps.pool, input.eventId, after, first);
  const last = revoked.at(-1);
  return ok({ revoked, cursor: last ? encodeCursor([last.voidedAt.toISOString(), last.ticketId]) : (input.since ?? null) });
}
