import type pg from "pg";
import type { Role } from "./auth.tokens.js";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  /** Signed into the user's tokens (auth.sessions.ts). */
  sessionVersion: number;
}

const USER_COLUMNS = `id, email, name, role, organization_id AS "organizationId", session_version AS "sessionVersion"`;

/**
 * Inserts a fan; null when the email is taken (decided by the unique index, not a prior read). Emails
 * are unique among ordinary accounts only (users_email_key is partial): a partner's fan with the same
 * email (partner/partner.fans.ts) neither blocks a registration nor is found by sign-in.
 */
export async function insertUser(
  db: pg.Pool,
  user: { email: string; name: string; passwordHash: string },
): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (email) WHERE partner_organization_id IS NULL DO NOTHING RETURNING ${USER_COLUMNS}`,
    [user.email, user.name, user.passwordHash],
  );
  return rows[0] ?? null;
}

export async function findUserWithPasswordByEmail(
  db: pg.Pool,
  email: string,
): Promise<(UserRow & { passwordHash: string; disabled: boolean }) | null> {
  const { rows } = await db.query<UserRow & { passwordHash: string; disabled: boolean }>(
    `SELECT ${USER_COLUMNS}, password_hash AS "passwordHash", disabled_at IS NOT NULL AS disabled
     FROM users WHERE email = $1 AND partner_organization_id IS NULL`,
    [email],
  );
  return rows[0] ?? null;
}

export async function findUsersByIds(db: pg.Pool, ids: readonly string[]): Promise<UserRow[]> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ANY($1::uuid[])`, [ids]);
  return rows;
}
