-- Two fewer index entries written per held seat (docs/PERFORMANCE.md, "Ninth round"). PostgreSQL's
-- single lane of hold batches is the serial stage of a flash on-sale, and each hold wrote nine index
-- entries: event_seats' three, holds' four and hold_lines' two.
--
--   * holds (user_id, event_id, status) goes. Every lookup of a fan's holds (their live hold at an
--     event, a request key) names the fan, and holds_user_id_request_key_key starts with user_id: it
--     reads that fan's holds, a handful, and the event and status are checked on them. The planner
--     settings of the hold functions (index scans only) keep it so for plans made on an empty table.
--   * hold_lines is keyed by (hold_id, id) instead of id alone, and its separate hold_id index goes.
--     Lines are only ever read by their hold, which the key's first column now serves; hold ids are
--     time-ordered (api/src/platform/ids.ts), so new lines go to the key's right edge, where the
--     random line id alone sent each one to a random leaf page.
DROP INDEX "holds_user_id_event_id_status_idx";

ALTER TABLE "hold_lines" DROP CONSTRAINT "hold_lines_pkey";
DROP INDEX "hold_lines_hold_id_idx";
ALTER TABLE "hold_lines" ADD CONSTRAINT "hold_lines_pkey" PRIMARY KEY ("hold_id", "id");
