/**
 * The change feed's query: an organization's partner events after a cursor, oldest first, never
 * skipping one that commits late.
 *
 * Why not simply "id > last id seen"? Ids are drawn when a row is written, not when its transaction
 * commits. Transaction A writes event 41, transaction B writes event 42 and commits first; a reader
 * polling in between sees 42, remembers "42", and never sees 41 once A commits. Every pollable feed
 * built on a sequence has this gap.
 *
 * So each row carries the id of the transaction that wrote it (`txid`, see emit_partner_event.sql),
 * the feed is ordered by (txid, id), and a read only returns rows whose transaction is older than
 * every transaction still running (`txid < pg_snapshot_xmin(pg_current_snapshot())`). Such a
 * transaction has finished, so all its rows are visible now or never will be; and any transaction
 * that could still write (running now, or not yet started) has a txid at or above that line, so its
 * rows sort after everything already returned. A cursor is therefore final: nothing can appear behind it.
 *
 * The price: the feed waits for the oldest running transaction, so a transaction left open for a
 * minute holds the feed back a minute (PostgreSQL's idle_in_transaction_session_timeout bounds it).
 * Transaction ids are cluster-wide: that includes transactions in other databases of the same server.
 */
import type pg from "pg";

export interface ChangeRow {
  id: string;
  txid: string;
  type: string;
  subjectId: string;
  data: Record<string, unknown>;
  occurredAt: Date;
}

export interface ChangesQuery {
  organizationId: string;
  /** The last (txid, id) read, or null from the start. */
  after: { txid: string; id: string } | null;
  types: readonly string[];
  limit: number;
}

export async function readChanges(db: pg.Pool, query: ChangesQuery): Promise<ChangeRow[]> {
  const { rows } = await db.query<ChangeRow>(
    // Ordered by the table's columns, qualified: a bare `ORDER BY txid, id` names the output columns,
    // which are text here, and sorted id 11 before id 7 (the next page then returned 11 again).
    `SELECT e.id::text AS id, e.txid::text AS txid, e.type, e.subject_id AS "subjectId", e.data, e.created_at AS "occurredAt"
     FROM partner_events e
     WHERE e.organization_id = $1::uuid
       AND (e.txid, e.id) > ($2::xid8, $3::bigint)
       AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
       AND e.type = ANY($4::text[])
     ORDER BY e.txid, e.id
     LIMIT $5`,
    [query.organizationId, query.after?.txid ?? "0", query.after?.id ?? "0", query.types, query.limit],
  );
  return rows;
}
