/**
 * Partner fans: the accounts a partner's API key (scope holds:write) holds and buys for.
 *
 * A partner signs its customers in itself; Boxoffice never sees their passwords. The partner registers
 * each customer once with `upsertPartnerFan({ externalId, email, name })` and then sends
 * `Boxoffice-Fan: <externalId>` (graphql-ws: connectionParams `boxoffice-fan`) with its key: that
 * request runs as the fan (request-context.ts), so holds, checkout, myOrders, the waiting room and the
 * per-fan limits work exactly as for a fan who signed in.
 *
 * Such an account belongs to the key's organization and the partner's customer id (users
 * partner_organization_id + partner_external_id, unique together); it is never an account someone
 * registered directly, even with the same email, so a key can never reach a direct customer's orders,
 * and a direct customer never sees the partner's. Emails are unique among ordinary accounts only (a
 * partial index), sign-in and registration look up ordinary accounts only, and a partner's fan has no
 * usable password ("!" is no Argon2 hash), so it cannot sign in.
 */
import type pg from "pg";
import { isEmail, normalizeEmail } from "../auth/auth.service.js";
import { fail, ok, type Result } from "../platform/errors.js";
import type { Partner } from "./partner.auth.js";

/** The header (HTTP, lower-cased as node gives it) and graphql-ws connectionParams key naming the fan a key acts for. */
export const FAN_HEADER = "boxoffice-fan";

/** What an external id may be: 1 to 128 visible ASCII characters (it travels in an HTTP header; a CHECK says the same). */
export const EXTERNAL_ID = /^[!-~]{1,128}$/;

/** Not an Argon2 PHC string: verification always fails (auth.password.ts), so the account has no password. */
const NO_PASSWORD = "!";

export interface PartnerFanRow {
  id: string;
  email: string;
  name: string;
  role: "FAN";
  organizationId: null;
  sessionVersion: number;
  externalId: string;
  /** Whether this call created the account (false: it existed and was updated). */
  created: boolean;
}

/** Creates the partner's fan, or updates its email and name; VALIDATION for bad input, nothing written. */
export async function upsertPartnerFan(
  pool: pg.Pool,
  partner: Partner,
  input: { externalId: string; email: string; name: string },
): Promise<Result<PartnerFanRow, "VALIDATION">> {
  const externalId = input.externalId.trim();
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  if (!EXTERNAL_ID.test(externalId)) return fail("VALIDATION", "externalId must be 1 to 128 visible ASCII characters, without spaces", "externalId");
  if (!isEmail(email)) return fail("VALIDATION", "email is not a valid address", "email");
  if (name.length < 1 || name.length > 100) return fail("VALIDATION", "name must be 1 to 100 characters", "name");
  // One statement: the unique (organization, external id) decides create or update, so two calls at
  // once for one customer make one account. xmax = 0 only on a row this statement inserted.
  const { rows } = await pool.query<PartnerFanRow>(
    `INSERT INTO users (email, name, password_hash, role, partner_organization_id, partner_external_id)
     VALUES ($1, $2, $3, 'FAN', $4, $5)
     ON CONFLICT (partner_organization_id, partner_external_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name
     RETURNING id, email, name, role, organization_id AS "organizationId", session_version AS "sessionVersion",
               partner_external_id AS "externalId", (xmax = 0) AS created`,
    [email, name, NO_PASSWORD, partner.organizationId, externalId],
  );
  return ok(rows[0]!);
}

export interface PartnerFans {
  /** The id of the key's organization's fan with this external id, or null (unknown, or disabled by an admin). */
  find(organizationId: string, externalId: string): Promise<string | null>;
}

/**
 * Looks fans up by (organization, external id), remembering a found fan for `cacheMs` (the key cache's
 * PARTNER_KEY_CACHE_MS): a partner's traffic for one fan costs one indexed read per second per process,
 * and a fan an admin disabled is refused within that time. An unknown id is not remembered, so a fan is
 * usable on every process the moment upsertPartnerFan commits.
 */
export function createPartnerFans(pool: pg.Pool, cacheMs: number): PartnerFans {
  const remembered = new Map<string, { id: string; until: number }>();
  const MAX_REMEMBERED = 10_000;
  return {
    async find(organizationId, externalId) {
      if (!EXTERNAL_ID.test(externalId)) return null;
      const key = `${organizationId}\u0000${externalId}`;
      const now = Date.now();
      const known = remembered.get(key);
      if (known && known.until > now) return known.id;
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM users WHERE partner_organization_id = $1 AND partner_external_id = $2 AND disabled_at IS NULL`,
        [organizationId, externalId],
      );
      const id = rows[0]?.id ?? null;
      if (id === null) {
        remembered.delete(key);
        return null;
      }
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(key, { id, until: now + cacheMs });
      return id;
    },
  };
}
