/**
 * Every SQL statement of the console's accounts: organizations and the users an admin manages. A change
 * that alters what a user's token says (role, organization) or disables the account bumps
 * `session_version` and stamps `sessions_changed_at` in the same UPDATE, which is what ends the user's
 * older tokens (auth/auth.sessions.ts).
 */
import type pg from "pg";
import type { Role } from "../auth/auth.tokens.js";

export interface OrganizationRow {
  id: string;
  name: string;
  slug: string;
  createdAt: Date;
  users: number;
  venues: number;
  events: number;
}

export interface AccountRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  organizationName: string | null;
  disabled: boolean;
  disabledAt: Date | null;
  sessionVersion: number;
  createdAt: Date;
}

const ORGANIZATION_COLUMNS = `o.id, o.name, o.slug, o.created_at AS "createdAt",
  (SELECT count(*)::int FROM users u WHERE u.organization_id = o.id) AS users,
  (SELECT count(*)::int FROM venues v WHERE v.organization_id = o.id) AS venues,
  (SELECT count(*)::int FROM events e WHERE e.organization_id = o.id) AS events`;

const ACCOUNT_COLUMNS = `u.id, u.email, u.name, u.role, u.organization_id AS "organizationId", o.name AS "organizationName",
  u.disabled_at IS NOT NULL AS disabled, u.disabled_at AS "disabledAt", u.session_version AS "sessionVersion", u.created_at AS "createdAt"`;

export interface ListQuery {
  /** Already escaped for LIKE (backslash escapes). */
  q: string | null;
  ids: string[] | null;
  orderBy: string;
  descending: boolean;
  offset: number;
  limit: number;
}

export async function findOrganizations(db: pg.Pool, query: ListQuery): Promise<{ rows: OrganizationRow[]; total: number }> {
  const where = `($1::text IS NULL OR o.name ILIKE '%' || $1 || '%' OR o.slug ILIKE '%' || $1 || '%') AND ($2::uuid[] IS NULL OR o.id = ANY($2))`;
  const [page, count] = await Promise.all([
    db.query<OrganizationRow>(
      `SELECT ${ORGANIZATION_COLUMNS} FROM organizations o WHERE ${where}
        ORDER BY ${query.orderBy} ${query.descending ? "DESC" : "ASC"}, o.id LIMIT $3 OFFSET $4`,
      [query.q, query.ids, query.limit, query.offset],
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM organizations o WHERE ${where}`, [query.q, query.ids]),
  ]);
  return { rows: page.rows, total: count.rows[0]!.total };
}

export async function findOrganization(db: pg.Pool | pg.PoolClient, id: string): Promise<OrganizationRow | null> {
  const { rows } = await db.query<OrganizationRow>(`SELECT ${ORGANIZATION_COLUMNS} FROM organizations o WHERE o.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function lockOrganization(tx: pg.PoolClient, id: string): Promise<OrganizationRow | null> {
  await tx.query(`SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE`, [id]);
  return findOrganization(tx, id);
}

/** The new organization, or null when its slug is taken (decided by the UNIQUE index). */
export async function insertOrganization(tx: pg.PoolClient, organization: { name: string; slug: string }): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO organizations (name, slug) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id`,
    [organization.name, organization.slug],
  );
  return rows[0]?.id ?? null;
}

export async function renameOrganization(tx: pg.PoolClient, id: string, name: string): Promise<void> {
  await tx.query(`UPDATE organizations SET name = $2 WHERE id = $1`, [id, name]);
}

export interface AccountQuery extends ListQuery {
  role: Role | null;
  organizationId: string | null;
  disabled: boolean | null;
}

export async function findAccounts(db: pg.Pool, query: AccountQuery): Promise<{ rows: AccountRow[]; total: number }> {
  const where = `($1::text IS NULL OR u.email ILIKE '%' || $1 || '%' OR u.name ILIKE '%' || $1 || '%')
    AND ($2::uuid[] IS NULL OR u.id = ANY($2)) AND ($3::"Role" IS NULL OR u.role = $3)
    AND ($4::uuid IS NULL OR u.organization_id = $4) AND ($5::boolean IS NULL OR (u.disabled_at IS NOT NULL) = $5)`;
  const parameters = [query.q, query.ids, query.role, query.organizationId, query.disabled];
  const [page, count] = await Promise.all([
    db.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM users u LEFT JOIN organizations o ON o.id = u.organization_id WHERE ${where}
        ORDER BY ${query.orderBy} ${query.descending ? "DESC" : "ASC"}, u.id LIMIT $6 OFFSET $7`,
      [...parameters, query.limit, query.offset],
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM users u WHERE ${where}`, parameters),
  ]);
  return { rows: page.rows, total: count.rows[0]!.total };
}

export async function findAccount(db: pg.Pool | pg.PoolClient, id: string): Promise<AccountRow | null> {
  const { rows } = await db.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM users u LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** The account locked for a change, and whether it is a partner's fan (partner/partner.fans.ts). */
export async function lockAccount(tx: pg.PoolClient, id: string): Promise<(AccountRow & { partnerFan: boolean }) | null> {
  const { rows } = await tx.query<{ partnerFan: boolean }>(`SELECT partner_organization_id IS NOT NULL AS "partnerFan" FROM users WHERE id = $1 FOR UPDATE`, [id]);
  const account = rows[0] ? await findAccount(tx, id) : null;
  return account ? { ...account, partnerFan: rows[0]!.partnerFan } : null;
}

/** The new account's id, or null when the email is taken (decided by the unique index of ordinary accounts' emails). */
export async function insertAccount(
  tx: pg.PoolClient,
  account: { email: string; name: string; passwordHash: string; role: Role; organizationId: string | null },
): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash, role, organization_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (email) WHERE partner_organization_id IS NULL DO NOTHING RETURNING id`,
    [account.email, account.name, account.passwordHash, account.role, account.organizationId],
  );
  return rows[0]?.id ?? null;
}

/**
 * Writes an account's name, role, organization and disabled state. `endSessions` bumps the session
 * version, so every token signed before this change is refused.
 */
export async function updateAccount(
  tx: pg.PoolClient,
  id: string,
  account: { name: string; role: Role; organizationId: string | null; disabled: boolean; endSessions: boolean },
): Promise<void> {
  await tx.query(
    `UPDATE users SET name = $2, role = $3, organization_id = $4,
            disabled_at = CASE WHEN $5 THEN coalesce(disabled_at, now()) END,
            session_version = session_version + CASE WHEN $6 THEN 1 ELSE 0 END,
            sessions_changed_at = CASE WHEN $6 THEN now() ELSE sessions_changed_at END
      WHERE id = $1`,
    [id, account.name, account.role, account.organizationId, account.disabled, account.endSessions],
  );
}

/**
 * Serializes account changes (rare: an admin's clicks) for the rest of the transaction, so "is this
 * the last active admin?" cannot be answered by two transactions at once. A transaction-scoped
 * advisory lock: released at commit or rollback, never left behind.
 */
export async function lockRoster(tx: pg.PoolClient): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('boxoffice.account-roster'))`);
}

export async function countActiveAdmins(tx: pg.PoolClient): Promise<number> {
  const { rows } = await tx.query<{ count: number }>(`SELECT count(*)::int AS count FROM users WHERE role = 'ADMIN' AND disabled_at IS NULL`);
  return rows[0]!.count;
}
