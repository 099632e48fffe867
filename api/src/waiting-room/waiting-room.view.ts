/**
 * A queue ticket as the API shows it, computed from what the room's scripts read at one instant
 * (waiting-room.scripts.ts: the ticket JSON, its queue rank, the room's state and Redis's clock).
 * Every way of looking at a ticket goes through `viewOf`: joinWaitingRoom, queueStatus and the
 * queuePositionChanged fan-out, so they cannot disagree.
 */
import { assertNever } from "../platform/errors.js";
import type { RoomEventRow } from "./waiting-room.db.js";
import type { RoomSnapshot, TicketRead, TicketRecord } from "./waiting-room.scripts.js";
import type { AdmissionTokens } from "./waiting-room.tokens.js";

export type QueueStatus = "WAITING" | "ADMITTED" | "EXPIRED" | "LEFT";
export type QueueOutlook = "LIKELY" | "UNLIKELY" | "SOLD_OUT";

/** A queue ticket as the API shows it. */
export interface TicketView {
  queueToken: string;
  status: QueueStatus;
  /** The finer state: PRE_QUEUE (joined before on-sale, order drawn at on-sale), WAITING, ADMITTED, PURCHASED, EXPIRED, LEFT, SOLD_OUT. */
  phase: string;
  position: number | null;
  estimatedWaitSeconds: number | null;
  admissionToken: string | null;
  admissionExpiresAt: Date | null;
  outlook: QueueOutlook;
  presale: boolean;
}

export interface ViewSources {
  tokens: Pick<AdmissionTokens, "sign">;
  /** Remaining inventory of the event (a cached count: read once for many tickets). */
  remaining(eventId: string): Promise<number>;
}

/**
 * One ticket's view, or null when there is no such ticket. Runs on every queueStatus poll: each view
 * is one object literal of one shape (`view`), and the outlook a plain function, rather than a spread
 * of shared defaults and a closure per call.
 */
export async function viewOf(sources: ViewSources, event: RoomEventRow, queueToken: string, snapshot: RoomSnapshot, read: TicketRead): Promise<TicketView | null> {
  if (!read.raw) return null;
  const ticket = JSON.parse(read.raw) as TicketRecord;
  const soldOut = snapshot.closed;
  const presale = ticket.l === "P";

  switch (ticket.st) {
    case "WAITING": {
      if (soldOut) return view(queueToken, presale, "EXPIRED", "SOLD_OUT", "SOLD_OUT");
      if (read.rank === null) return view(queueToken, presale, "WAITING", "PRE_QUEUE", await outlookOf(sources, event, soldOut, null));
      const position = read.rank + 1;
      const rate = admissionRate(event, snapshot);
      return view(queueToken, presale, "WAITING", "WAITING", await outlookOf(sources, event, soldOut, position), position, Math.ceil(position / rate));
    }
    case "ADMITTED": {
      if ((ticket.x ?? 0) <= snapshot.nowMs) return view(queueToken, presale, "EXPIRED", "EXPIRED", await outlookOf(sources, event, soldOut, null));
      const expiresAt = new Date(ticket.x!);
      const admissionToken = await sources.tokens.sign({ userId: ticket.u, eventId: event.id, queueToken, expiresAt });
      return view(queueToken, presale, "ADMITTED", "ADMITTED", await outlookOf(sources, event, soldOut, null), null, null, admissionToken, expiresAt);
    }
    case "USED":
      return view(queueToken, presale, "ADMITTED", "PURCHASED", await outlookOf(sources, event, soldOut, null));
    case "LEFT":
      return view(queueToken, presale, "LEFT", "LEFT", await outlookOf(sources, event, soldOut, null));
    case "EXPIRED":
      return view(queueToken, presale, "EXPIRED", soldOut ? "SOLD_OUT" : "EXPIRED", soldOut ? "SOLD_OUT" : await outlookOf(sources, event, soldOut, null));
    default:
      return assertNever(ticket.st);
  }
}

function view(
  queueToken: string,
  presale: boolean,
  status: QueueStatus,
  phase: string,
  outlook: QueueOutlook,
  position: number | null = null,
  estimatedWaitSeconds: number | null = null,
  admissionToken: string | null = null,
  admissionExpiresAt: Date | null = null,
): TicketView {
  return { queueToken, position, estimatedWaitSeconds, admissionToken, admissionExpiresAt, presale, status, phase, outlook };
}

/** Whether tickets are still likely for this place (null: no place in the queue), given the inventory left. */
async function outlookOf(sources: ViewSources, event: RoomEventRow, soldOut: boolean, position: number | null): Promise<QueueOutlook> {
  if (soldOut) return "SOLD_OUT";
  const remaining = await sources.remaining(event.id);
  if (remaining === 0) return "SOLD_OUT";
  return position === null || position <= remaining * event.conversionFactor ? "LIKELY" : "UNLIKELY";
}

/**
 * Fans admitted per second: measured once admissions have run for a while; before that, the most the
 * room can turn over (every slot once per token lifetime or interval, whichever is longer).
 */
function admissionRate(event: RoomEventRow, snapshot: RoomSnapshot): number {
  const prior = event.maxActiveShoppers / Math.max(event.admissionIntervalSeconds, event.admissionTokenTtlSeconds);
  const { admitted, firstAdmittedAt: firstAt, lastAdmittedAt: lastAt } = snapshot;
  if (!firstAt || !lastAt || lastAt - firstAt < 5_000 || admitted === 0) return Math.max(prior, 0.01);
  return Math.max(admitted / ((lastAt - firstAt) / 1000), 0.01);
}
