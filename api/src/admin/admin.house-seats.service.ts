/**
 * House seats: a promoter blocks seats of an event from sale or gives them back. One transaction: the
 * event locked, the organization checked, one conditional UPDATE per direction decides (only AVAILABLE
 * seats become BLOCKED, only BLOCKED ones AVAILABLE), then the seats' statuses decide whether the whole
 * request stands (a held, sold or unknown seat rolls it back) and the audit row is written → after
 * commit, Redis claims and counts follow and seatStatusChanged is published (hold.seat-changes.ts).
 */
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import { recordAudit } from "./admin.audit.js";
import * as db from "./admin.events.db.js";
import { MAX_BLOCKED_SEATS } from "./admin.events.rules.js";
import { transaction, type AdminEventDependencies, type SeatsBlockedError } from "./admin.events.service.js";

export type SeatsBlockedResult = Result<{ changed: number }, SeatsBlockedError> & { refusedSeatIds?: string[] };

/**
 * House seats: blocks AVAILABLE seats (all or nothing: a held or sold seat refuses the whole request
 * with its id), or makes BLOCKED seats AVAILABLE again. Seats already in the asked state count as
 * done. After commit, Redis learns of the change and seatStatusChanged is published.
 */
export async function setSeatsBlocked(
  deps: AdminEventDependencies,
  viewer: Viewer,
  input: { eventId: string; seatIds: readonly string[]; blocked: boolean },
): Promise<SeatsBlockedResult> {
  if (!isId(input.eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  if (input.seatIds.length < 1 || input.seatIds.length > MAX_BLOCKED_SEATS) return fail("VALIDATION", `give 1 to ${MAX_BLOCKED_SEATS} seats`, "seatIds");
  if (!input.seatIds.every(isId)) return fail("VALIDATION", "seatIds holds an invalid id", "seatIds");
  const eventId = input.eventId.toLowerCase();
  const seatIds = [...new Set(input.seatIds.map((id) => id.toLowerCase()))];
  let refusedSeatIds: string[] = [];
  const outcome = await transaction(deps.pool, async (tx): Promise<Result<db.BlockedSeat[], SeatsBlockedError>> => {
    const stored = await db.lockEvent(tx, eventId);
    if (!stored) return fail("NOT_FOUND", "no such event", "eventId");
    if (!canManageOrganization(viewer, stored.organizationId)) return fail("FORBIDDEN", "only the event's promoters may block its seats", "eventId");
    const changed = input.blocked ? await db.blockSeats(tx, eventId, seatIds) : await db.unblockSeats(tx, eventId, seatIds);
    const statuses = await db.seatStatuses(tx, eventId, seatIds);
    const known = new Set(statuses.map((row) => row.seatId));
    const missing = seatIds.filter((id) => !known.has(id));
    if (missing.length > 0) {
      refusedSeatIds = missing;
      return fail("NOT_FOUND", `seats not part of this event: ${missing.join(", ")}`, "seatIds");
    }
    const wanted = input.blocked ? "BLOCKED" : "AVAILABLE";
    const refused = statuses.filter((row) => row.status !== wanted);
    if (refused.length > 0) {
      refusedSeatIds = refused.map((row) => row.seatId);
      const what = input.blocked ? "only AVAILABLE seats can be blocked" : "only BLOCKED seats can be unblocked";
      return fail("SEAT_UNAVAILABLE", `${what}; these are held or sold: ${refusedSeatIds.join(", ")}`, "seatIds");
    }
    if (changed.length > 0) {
      const ids = changed.map((seat) => seat.seatId);
      await recordAudit(tx, {
        actorUserId: viewer.id,
        organizationId: stored.organizationId,
        action: input.blocked ? "event.seats_block" : "event.seats_unblock",
        entityType: "event",
        entityId: eventId,
        before: { status: input.blocked ? "AVAILABLE" : "BLOCKED", seatIds: ids },
        after: { status: wanted, seatIds: ids },
      });
    }
    return ok(changed);
  });
  if (!outcome.ok) return { ...outcome, refusedSeatIds };
  const changed = outcome.value;
  if (changed.length > 0) {
    const announced = input.blocked ? deps.seatChanges.seatsBlocked(eventId, changed) : deps.seatChanges.seatsUnblocked(eventId, changed);
    await announced.catch((error: unknown) => deps.logger.warn({ err: error, eventId }, "house seat change not announced; counts catch up at the next recount"));
  }
  return { ok: true, value: { changed: changed.length } };
}
