/**
 * Partner API keys, managed by promoters (their organization's keys) and admins (any organization's):
 * create (the key is answered once and only its hash kept), list (name, scopes, prefix, last four,
 * created and last used), revoke (at once: refused by every API process within PARTNER_KEY_CACHE_MS).
 * Each change writes an audit row in its transaction, never with the key.
 */
import type pg from "pg";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import { recordAudit } from "../admin/admin.audit.js";
import { withResultTransaction } from "../platform/db.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import type { PartnerKeys } from "./partner.auth.js";
import { newKey } from "./partner.keys.js";
import { isScope, SCOPES, type Scope } from "./partner.scopes.js";

export type KeyError = "VALIDATION" | "NOT_FOUND" | "FORBIDDEN";

export interface ApiKeyRow {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  lastFour: string;
  scopes: Scope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdByEmail: string | null;
}

const KEY_COLUMNS = `k.id, k.organization_id AS "organizationId", k.name, k.prefix, k.last_four AS "lastFour", k.scopes,
  k.created_at AS "createdAt", k.last_used_at AS "lastUsedAt", k.revoked_at AS "revokedAt", u.email AS "createdByEmail"`;

/** Most live keys one organization may hold (a rotation needs two; a partner per integration a few more). */
export const MAX_LIVE_KEYS = 25;

/** The organization whose keys the viewer means: a promoter's own; an admin must name one. */
function organizationOf(viewer: Viewer, organizationId: string | null | undefined): Result<string, KeyError> {
  if (organizationId !== null && organizationId !== undefined) {
    if (!isId(organizationId)) return fail("VALIDATION", "organizationId is not a valid id", "organizationId");
    const id = organizationId.toLowerCase();
    return canManageOrganization(viewer, id) ? ok(id) : fail("FORBIDDEN", "you manage the keys of your own organization only", "organizationId");
  }
  if (viewer.role === "ADMIN") return fail("VALIDATION", "an admin names the organization the key is for", "organizationId");
  return viewer.organizationId ? ok(viewer.organizationId) : fail("FORBIDDEN", "your account belongs to no organization");
}

export async function listKeys(pool: pg.Pool, viewer: Viewer, organizationId: string | null | undefined, includeRevoked: boolean): Promise<Result<ApiKeyRow[], KeyError>> {
  const organization = viewer.role === "ADMIN" && !organizationId ? ok(null) : organizationOf(viewer, organizationId);
  if (!organization.ok) return organization;
  const { rows } = await pool.query<ApiKeyRow>(
    `SELECT ${KEY_COLUMNS} FROM partner_api_keys k LEFT JOIN users u ON u.id = k.created_by_user_id
      WHERE ($1::uuid IS NULL OR k.organization_id = $1) AND ($2 OR k.revoked_at IS NULL)
      ORDER BY k.created_at DESC, k.id LIMIT 500`,
    [organization.value, includeRevoked],
  );
  return ok(rows);
}

export async function createKey(
  pool: pg.Pool,
  viewer: Viewer,
  input: { name: string; scopes: string[]; organizationId?: string | null },
): Promise<Result<{ key: string; row: ApiKeyRow }, KeyError>> {
  const organization = organizationOf(viewer, input.organizationId);
  if (!organization.ok) return organization;
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) return fail("VALIDATION", "name must be 1 to 100 characters", "name");
  const unknown = input.scopes.find((scope) => !isScope(scope));
  if (unknown !== undefined) return fail("VALIDATION", `unknown scope "${unknown}"; scopes are ${SCOPES.join(", ")}`, "scopes");
  if (input.scopes.length === 0) return fail("VALIDATION", "give the key at least one scope", "scopes");
  const scopes = SCOPES.filter((scope) => input.scopes.includes(scope));
  const made = newKey();
  return withResultTransaction(pool, async (tx) => {
    // Counted under a lock of the organization's row, so two creations at once cannot pass the limit together.
    const { rows: found } = await tx.query(`SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE`, [organization.value]);
    if (found.length === 0) return fail("NOT_FOUND", "no such organization", "organizationId");
    const { rows: live } = await tx.query<{ count: number }>(`SELECT count(*)::int AS count FROM partner_api_keys WHERE organization_id = $1 AND revoked_at IS NULL`, [
      organization.value,
    ]);
    if (live[0]!.count >= MAX_LIVE_KEYS) return fail("VALIDATION", `an organization holds at most ${MAX_LIVE_KEYS} live keys; revoke one first`);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO partner_api_keys (organization_id, name, prefix, key_hash, last_four, scopes, created_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [organization.value, name, made.prefix, made.hash, made.lastFour, scopes, viewer.id],
    );
    const row = await keyById(tx, rows[0]!.id);
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: organization.value,
      action: "api_key.create",
      entityType: "api_key",
      entityId: row.id,
      before: null,
      after: { id: row.id, name, prefix: row.prefix, lastFour: row.lastFour, scopes },
    });
    return ok({ key: made.key, row });
  });
}

async function keyById(db: pg.Pool | pg.PoolClient, id: string): Promise<ApiKeyRow> {
  const { rows } = await db.query<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM partner_api_keys k LEFT JOIN users u ON u.id = k.created_by_user_id WHERE k.id = $1`, [id]);
  return rows[0]!;
}

/** Revokes a key at once; revoking a revoked key answers it unchanged. */
export async function revokeKey(pool: pg.Pool, keys: PartnerKeys, viewer: Viewer, id: string): Promise<Result<ApiKeyRow, KeyError>> {
  if (!isId(id)) return fail("VALIDATION", "id is not a valid id", "id");
  const outcome = await withResultTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ organizationId: string; keyHash: string; revoked: boolean }>(
      `SELECT organization_id AS "organizationId", key_hash AS "keyHash", revoked_at IS NOT NULL AS revoked FROM partner_api_keys WHERE id = $1 FOR UPDATE`,
      [id.toLowerCase()],
    );
    const key = rows[0];
    if (!key || !canManageOrganization(viewer, key.organizationId)) return fail("NOT_FOUND", "no such key", "id");
    if (key.revoked) return ok({ row: await keyById(tx, id.toLowerCase()), keyHash: key.keyHash });
    const before = await keyById(tx, id.toLowerCase());
    await tx.query(`UPDATE partner_api_keys SET revoked_at = now() WHERE id = $1`, [before.id]);
    const after = await keyById(tx, before.id);
    await recordAudit(tx, { actorUserId: viewer.id, organizationId: key.organizationId, action: "api_key.revoke", entityType: "api_key", entityId: before.id, before, after });
    return ok({ row: after, keyHash: key.keyHash });
  });
  if (!outcome.ok) return outcome;
  keys.forget(outcome.value.keyHash);
  return ok(outcome.value.row);
}
