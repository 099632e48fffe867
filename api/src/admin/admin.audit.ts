/**
 * The audit log of the admin console's operations (and the promoter's pricing controls): every change
 * writes one row (who, which organization, what, the record before and after) with `recordAudit`,
 * on the transaction that makes the change, so a change and its audit row commit or roll back together.
 * A refused change writes nothing. Read by the console's "Audit log" list (`findAudit`).
 */
import type pg from "pg";

export interface AuditEntry {
  /** The acting user (null only for the system). */
  actorUserId: string | null;
  /** The organization whose data changed; null for platform-wide records (organizations, users). */
  organizationId: string | null;
  /** `<entity>.<verb>`, e.g. "venue.create", "event.update", "section.price_override". */
  action: string;
  entityType: string;
  entityId: string;
  /** The record as it was (null for a creation) and as it is now (null for a deletion), as plain JSON. */
  before: unknown;
  after: unknown;
}

export async function recordAudit(tx: pg.PoolClient, entry: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (actor_user_id, organization_id, action, entity_type, entity_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
    [
      entry.actorUserId,
      entry.organizationId,
      entry.action,
      entry.entityType,
      entry.entityId,
      entry.before === null || entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === null || entry.after === undefined ? null : JSON.stringify(entry.after),
    ],
  );
}

export interface AuditRow {
  id: string;
  actorUserId: string | null;
  actorEmail: string | null;
  organizationId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

/**
 * One page of the audit log, newest first: every organization's for an admin (`organizationId`
 * null), one organization's for a promoter; optionally one record's history.
 */
export async function findAudit(
  db: pg.Pool,
  query: { organizationId: string | null; entityType?: string | null; entityId?: string | null; offset: number; limit: number },
): Promise<{ rows: AuditRow[]; total: number }> {
  const where = `($1::uuid IS NULL OR a.organization_id = $1) AND ($2::text IS NULL OR a.entity_type = $2) AND ($3::text IS NULL OR a.entity_id = $3)`;
  const params = [query.organizationId, query.entityType ?? null, query.entityId ?? null];
  const [{ rows }, { rows: count }] = await Promise.all([
    db.query<AuditRow>(
      `SELECT a.id::text AS id, a.actor_user_id AS "actorUserId", u.email AS "actorEmail", a.organization_id AS "organizationId",
              a.action, a.entity_type AS "entityType", a.entity_id AS "entityId", a.before, a.after, a.created_at AS "createdAt"
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
       WHERE ${where} ORDER BY a.id DESC OFFSET $4 LIMIT $5`,
      [...params, query.offset, query.limit],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log a WHERE ${where}`, params),
  ]);
  return { rows, total: count[0]!.n };
}
