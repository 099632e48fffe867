/**
 * Every PARTNER_ANNOUNCE_INTERVAL_MS, each API process asks PostgreSQL to announce the sale changes no
 * row change marks (an on-sale that began at its time, a sale that ran out or came back):
 * prisma/sql/functions/announce_partner_sales.sql, which lets one process at a time do it.
 */
import type pg from "pg";
import type { Logger } from "../platform/logger.js";
import { startPeriodic, type Periodic } from "../platform/periodic.js";

export function startSaleAnnouncements(db: pg.Pool, intervalMs: number, logger: Logger): Periodic<number> {
  return startPeriodic(
    "partner-sale-announcements",
    intervalMs,
    async () => (await db.query<{ announced: number }>("SELECT announce_partner_sales() AS announced")).rows[0]!.announced,
    logger,
  );
}
