/**
 * The promoter's presale tools for one event: access codes (made here, shown once, stored as SHA-256
 * hashes like passwords) and the verified-fan list (uploaded as CSV, matched to fans' accounts by
 * email). Fans use them when they join the waiting room (waiting-room.service.ts), which admits them
 * ahead of the general queue while the event's presale switch is on.
 *
 * Codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), grouped XXXX-XXXX-XXXX
 * for reading aloud; 60 random bits each, so guessing one of even 10,000 live codes takes ~10^14
 * tries, far beyond what the waiting room's per-address join limits allow. Fans may type them in any
 * case: the waiting room upper-cases before hashing.
 *
 * Verified fans: the console sends the file in pieces of at most ~200 KB (the GraphQL request limit
 * is 256 KB), each with the header line; each piece is one transaction. Re-uploading the same list
 * adds nothing twice (UNIQUE (event_id, user_id)). Emails with no account are reported back, not
 * stored: a verified-fan programme registers its fans first.
 */
import { randomInt } from "node:crypto";
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import { normalizeEmail } from "../auth/auth.service.js";
import { withResultTransaction } from "../platform/db.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import { presaleCodeHash } from "../waiting-room/waiting-room.db.js";
import { recordAudit } from "./admin.audit.js";

export type PresaleError = "VALIDATION" | "NOT_FOUND";

const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const MAX_CODES_PER_REQUEST = 5_000;
export const MAX_VERIFIED_FAN_ROWS = 20_000;
/** How many unknown emails and bad lines an import lists (it counts them all). */
const REPORTED = 50;

export interface PresaleSummary {
  presaleEnabled: boolean;
  codes: number;
  codeUses: number;
  codeUsesLeft: number;
  verifiedFans: number;
  verifiedFansJoined: number;
}

export interface VerifiedFanImport {
  rows: number;
  added: number;
  alreadyListed: number;
  unknownEmails: string[];
  unknownCount: number;
  invalidLines: number[];
  invalidCount: number;
  /** Lines whose email an earlier line of the piece already gave: so every row is accounted for. */
  repeatedCount: number;
}

export function newCode(): string {
  const characters = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]!);
  return `${characters.slice(0, 4).join("")}-${characters.slice(4, 8).join("")}-${characters.slice(8).join("")}`;
}

/** The event's organization when the viewer may manage it; NOT_FOUND otherwise (another's event is not shown to exist). */
async function managedEvent(db: pg.Pool | pg.PoolClient, viewer: Viewer, eventId: string): Promise<Result<{ id: string; organizationId: string; presaleEnabled: boolean }, PresaleError>> {
  if (!isId(eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  const { rows } = await db.query<{ id: string; organizationId: string; presaleEnabled: boolean }>(
    `SELECT id, organization_id AS "organizationId", presale_enabled AS "presaleEnabled" FROM events WHERE id = $1`,
    [eventId.toLowerCase()],
  );
  const event = rows[0];
  return event && canManageOrganization(viewer, event.organizationId) ? ok(event) : fail("NOT_FOUND", "no such event", "eventId");
}

export async function presaleSummary(pool: pg.Pool, viewer: Viewer, eventId: string): Promise<PresaleSummary | null> {
  const event = await managedEvent(pool, viewer, eventId);
  if (!event.ok) return null;
  const { rows } = await pool.query<Omit<PresaleSummary, "presaleEnabled">>(
    `SELECT count(*) FILTER (WHERE kind = 'ACCESS_CODE')::int AS codes,
            coalesce(sum(used_count) FILTER (WHERE kind = 'ACCESS_CODE'), 0)::int AS "codeUses",
            coalesce(sum(max_uses - used_count) FILTER (WHERE kind = 'ACCESS_CODE'), 0)::int AS "codeUsesLeft",
            count(*) FILTER (WHERE kind = 'VERIFIED_FAN')::int AS "verifiedFans",
            count(*) FILTER (WHERE kind = 'VERIFIED_FAN' AND used_count > 0)::int AS "verifiedFansJoined"
       FROM presale_access WHERE event_id = $1`,
    [event.value.id],
  );
  return { presaleEnabled: event.value.presaleEnabled, ...rows[0]! };
}

/** Makes `count` new codes of `maxUses` uses each; answers them in clear, the only time they exist so. */
export async function createCodes(pool: pg.Pool, viewer: Viewer, input: { eventId: string; count: number; maxUses: number }): Promise<Result<string[], PresaleError>> {
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_CODES_PER_REQUEST) {
    return fail("VALIDATION", `count must be 1 to ${MAX_CODES_PER_REQUEST}`, "count");
  }
  if (!Number.isInteger(input.maxUses) || input.maxUses < 1 || input.maxUses > 1_000) return fail("VALIDATION", "maxUses must be 1 to 1000", "maxUses");
  const codes = Array.from({ length: input.count }, newCode);
  return withResultTransaction(pool, async (tx) => {
    const event = await managedEvent(tx, viewer, input.eventId);
    if (!event.ok) return event;
    // A collision with an existing code (1 in 10^18 per pair) would make this insert skip a row;
    // the count check turns that into a retryable refusal rather than a code that does not work.
    const { rowCount } = await tx.query(
      `INSERT INTO presale_access (event_id, kind, code_hash, max_uses)
       SELECT $1, 'ACCESS_CODE', hash, $3 FROM unnest($2::text[]) AS hash
       ON CONFLICT (event_id, code_hash) DO NOTHING`,
      [event.value.id, codes.map(presaleCodeHash), input.maxUses],
    );
    if (rowCount !== codes.length) return fail("VALIDATION", "a generated code collided with an existing one; please try again");
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: event.value.organizationId,
      action: "presale.codes_create",
      entityType: "event",
      entityId: event.value.id,
      before: null,
      after: { codes: input.count, maxUses: input.maxUses },
    });
    return ok(codes);
  });
}

/** The email column of a parsed CSV: the one headed "email" (any case), else the first. */
function emailColumn(header: string[]): { index: number; hasHeader: boolean } {
  const named = header.findIndex((cell) => cell.trim().toLowerCase().replace(/[\s_-]/g, "") === "email" || cell.trim().toLowerCase() === "e-mail");
  if (named >= 0) return { index: named, hasHeader: true };
  // No "email" heading: the first row is a header when its first cell reads like a column name (words,
  // e.g. "Fan", "E-mail address"), not like a mistyped address such as "bob-at-example.com", which is a
  // data line to report as invalid rather than skip unreported.
  const first = header[0]?.trim() ?? "";
  return { index: 0, hasHeader: /^\p{L}[\p{L}\s_-]*$/u.test(first) };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Adds the fans of a CSV (one row per fan, an "email" column or emails in the first column) to the
 * event's verified-fan list. `firstLine` numbers the piece's first data line in the whole file, so
 * reported line numbers match the promoter's file.
 */
export async function importVerifiedFans(
  pool: pg.Pool,
  viewer: Viewer,
  input: { eventId: string; csv: string; firstLine?: number | null },
): Promise<Result<VerifiedFanImport, PresaleError>> {
  let records: string[][];
  try {
    records = parse(input.csv, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail("VALIDATION", `the file is not valid CSV: ${message}`, "csv");
  }
  if (records.length === 0) return fail("VALIDATION", "the file has no rows", "csv");
  const column = emailColumn(records[0]!);
  const data = column.hasHeader ? records.slice(1) : records;
  if (data.length > MAX_VERIFIED_FAN_ROWS) return fail("VALIDATION", `send at most ${MAX_VERIFIED_FAN_ROWS} rows at a time`, "csv");
  const firstLine = (input.firstLine ?? 1) + (column.hasHeader ? 1 : 0);

  const emails: string[] = [];
  const invalidLines: number[] = [];
  data.forEach((record, index) => {
    const email = normalizeEmail(record[column.index] ?? "");
    if (EMAIL.test(email) && email.length <= 254) emails.push(email);
    else invalidLines.push(firstLine + index);
  });
  const distinct = [...new Set(emails)];

  return withResultTransaction(pool, async (tx) => {
    const event = await managedEvent(tx, viewer, input.eventId);
    if (!event.ok) return event;
    // One statement: match the emails to accounts, add those not listed yet, and say which were
    // added, which were listed already, and which have no account.
    const { rows } = await tx.query<{ email: string; outcome: "added" | "listed" | "unknown" }>(
      `WITH wanted AS (SELECT DISTINCT unnest($2::text[]) AS email),
            -- Ordinary accounts only: a partner's fan carries an email nobody here verified, and may share it.
            matched AS (SELECT w.email, u.id AS user_id FROM wanted w LEFT JOIN users u ON u.email = w.email AND u.partner_organization_id IS NULL),
            added AS (
              INSERT INTO presale_access (event_id, kind, user_id)
              SELECT $1, 'VERIFIED_FAN', user_id FROM matched WHERE user_id IS NOT NULL
              ON CONFLICT (event_id, user_id) DO NOTHING RETURNING user_id)
       SELECT m.email, CASE WHEN m.user_id IS NULL THEN 'unknown' WHEN a.user_id IS NOT NULL THEN 'added' ELSE 'listed' END AS outcome
         FROM matched m LEFT JOIN added a ON a.user_id = m.user_id`,
      [event.value.id, distinct],
    );
    const unknown = rows.filter((row) => row.outcome === "unknown").map((row) => row.email).sort();
    const result: VerifiedFanImport = {
      rows: data.length,
      added: rows.filter((row) => row.outcome === "added").length,
      alreadyListed: rows.filter((row) => row.outcome === "listed").length,
      unknownEmails: unknown.slice(0, REPORTED),
      unknownCount: unknown.length,
      invalidLines: invalidLines.slice(0, REPORTED),
      invalidCount: invalidLines.length,
      repeatedCount: emails.length - distinct.length,
    };
    if (result.added > 0) {
      await recordAudit(tx, {
        actorUserId: viewer.id,
        organizationId: event.value.organizationId,
        action: "presale.verified_fans_import",
        entityType: "event",
        entityId: event.value.id,
        before: null,
        after: { rows: result.rows, added: result.added, alreadyListed: result.alreadyListed, unknown: result.unknownCount, invalid: result.invalidCount },
      });
    }
    return ok(result);
  });
}
