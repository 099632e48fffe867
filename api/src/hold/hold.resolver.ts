import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { User } from "../auth/auth.types.js";
import { ApiError } from "../platform/errors.js";
import { toEvent, toSection } from "../catalogue/catalogue.resolver.js";
import { Event, Seat } from "../catalogue/catalogue.types.js";
import type { Context } from "../request-context.js";
import { isId, Money, UserError, type DirectResolvers } from "../platform/graphql.js";
import * as db from "./hold.db.js";
import type { HoldLineRow } from "./hold.db.js";
import type { VenueLayout } from "./hold.layout.js";
import { quoteFees, totalOf } from "../checkout/checkout.fees.js";
import { FeeLine } from "../checkout/checkout.types.js";
import * as holds from "./hold.service.js";
import type { HoldSeatsRequest } from "./hold.service.js";
import { Hold, HoldLine, HoldSeatsInput, HoldSeatsPayload, ReleaseHoldPayload } from "./hold.types.js";

/** A hold as returned to clients; lines resolve from the rows and layout placeHold returned, or from the loaders. */
class HoldNode extends Hold {
  eventId!: string;
  lineRows?: HoldLineRow[];
  layout?: VenueLayout;
}

function toHold(view: holds.HoldView): HoldNode {
  return Object.assign(new HoldNode(), {
    id: view.id,
    eventId: view.eventId,
    status: view.status,
    expiresAt: view.expiresAt,
    subtotal: Money.of(view.subtotalMinor, view.currency),
    lineRows: view.lines,
    layout: view.layout,
  });
}

async function holdPayload(ctx: Context, userId: string, input: HoldSeatsRequest): Promise<HoldSeatsPayload> {
  const result = await holds.holdSeats(ctx.app.holds, userId, input);
  return Object.assign(new HoldSeatsPayload(), result.ok ? { hold: toHold(result.value), errors: [] } : { hold: null, errors: [UserError.from(result.error)] });
}

async function releasePayload(ctx: Context, userId: string, holdId: string): Promise<ReleaseHoldPayload> {
  const result = await holds.releaseHold(ctx.app.holds, userId, holdId);
  return Object.assign(new ReleaseHoldPayload(), result.ok ? { ok: true, errors: [] } : { ok: false, errors: [UserError.from(result.error)] });
}

/**
 * holdSeats and releaseHold resolved without type-graphql's wrapper (platform/graphql.ts,
 * `withDirectResolvers`), as the waiting room's join is: the same functions as the class below, called
 * with graphql's coerced arguments. The wrapper's per-call work — an async middleware chain for
 * @Authorized (three promises and closures per call), the input copied into class instances, a
 * validation step — was ~4–5% of the API's CPU in the race and under churn (docs/PERFORMANCE.md,
 * "Holds under churn and in the race"), and its pending promises are more for every scavenge to copy
 * while 2,000 fans wait. The service reads the input as plain data (no class, no constraints for
 * class-validator), so the coerced object serves as is. A request without a viewer goes to
 * type-graphql's own resolver, so its refusal stays @Authorized's. `hold-direct-resolvers.test.ts`
 * compares the answers with the general path's, errors included.
 */
export const holdDirectResolvers: DirectResolvers<Context> = {
  Mutation: {
    holdSeats: (general) => (root, args, ctx, info) => (ctx.viewer ? holdPayload(ctx, ctx.viewer.id, args.input as HoldSeatsRequest) : general(root, args, ctx, info)),
    releaseHold: (general) => (root, args, ctx, info) => (ctx.viewer ? releasePayload(ctx, ctx.viewer.id, args.holdId as string) : general(root, args, ctx, info)),
  },
  // The lines of a hold just placed are named from its layout without a query (placedLines), so the
  // field needs nothing type-graphql's wrapper does (@Root/@Ctx parameters, a promise per call): it
  // was ~1% of the API's CPU under churn (docs/PERFORMANCE.md). Any other hold goes to `lines` below.
  Hold: {
    lines: (general) => (root, args, ctx, info) => {
      const hold = root as HoldNode;
      return (hold.lineRows && hold.layout ? placedLines(hold.layout, hold.lineRows) : null) ?? general(root, args, ctx, info);
    },
  },
};

@Resolver(() => Hold)
export class HoldResolver {
  @Authorized()
  @Mutation(() => HoldSeatsPayload, {
    description: "Hold seats for the event's hold duration (default 10 minutes). All or nothing.",
  })
  async holdSeats(
    @Arg("input", () => HoldSeatsInput, { description: "Seats, or a section and quantity." }) input: HoldSeatsInput,
    @Ctx() ctx: Context,
  ): Promise<HoldSeatsPayload> {
    return holdPayload(ctx, ctx.viewer!.id, input);
  }

  @Authorized()
  @Mutation(() => ReleaseHoldPayload, { description: "Give held seats back at once." })
  async releaseHold(@Arg("holdId", () => ID, { description: "The hold." }) holdId: string, @Ctx() ctx: Context): Promise<ReleaseHoldPayload> {
    return releasePayload(ctx, ctx.viewer!.id, holdId);
  }

  @Authorized()
  @Query(() => Hold, { nullable: true, description: "One of the signed-in fan's holds (any status), or null." })
  async hold(@Arg("id", () => ID, { description: "Hold id." }) id: string, @Ctx() ctx: Context): Promise<Hold | null> {
    const view = await holds.findHold(ctx.app.db.pool, id, ctx.viewer!.id);
    return view ? toHold(view) : null;
  }

  @FieldResolver(() => Event, { description: "The event." })
  async event(@Root() hold: HoldNode, @Ctx() ctx: Context): Promise<Event> {
    const row = await ctx.loaders.eventById.load(hold.eventId);
    if (!row) throw new Error(`event ${hold.eventId} of hold ${hold.id} is missing`);
    return toEvent(row);
  }

  @FieldResolver(() => [HoldLine], { description: "One line per ticket." })
  async lines(@Root() hold: HoldNode, @Ctx() ctx: Context): Promise<HoldLine[]> {
    // A hold just placed: its sections and seats from the layout it was placed against, no query.
    const placed = hold.lineRows && hold.layout ? placedLines(hold.layout, hold.lineRows) : null;
    return placed ?? toLines(ctx, hold.eventId, hold.lineRows ?? (await ctx.loaders.holdLinesByHoldId.load(hold.id)));
  }

  @FieldResolver(() => [FeeLine], { description: "Fees checkout will add to the subtotal, as they stand now." })
  async fees(@Root() hold: HoldNode, @Ctx() ctx: Context): Promise<FeeLine[]> {
    return (await holdQuote(hold, ctx)).map((fee) => toFeeLine(fee, hold.subtotal.currency));
  }

  @FieldResolver(() => Money, { description: "Subtotal plus fees: what checkout will charge." })
  async total(@Root() hold: HoldNode, @Ctx() ctx: Context): Promise<Money> {
    return Money.of(totalOf(hold.subtotal.amount, await holdQuote(hold, ctx)), hold.subtotal.currency);
  }
}

/**
 * `viewer { activeHolds }`: the signed-in fan's live holds, so any tab or device can show (and pay for,
 * or release) a hold placed elsewhere. Holds are private: the field answers FORBIDDEN on any User that
 * is not the request's viewer (register's and login's answers are read before the new token is used).
 */
@Resolver(() => User)
export class ViewerHoldsResolver {
  @FieldResolver(() => [Hold], {
    description: "Your live holds (ACTIVE and not expired), soonest to expire first, with their event, seats or places, and expiry. Only on `viewer`: FORBIDDEN on any other User.",
  })
  async activeHolds(
    @Root() user: User,
    @Arg("eventId", () => ID, { nullable: true, description: "Only this event's hold (a fan has at most one live hold per event)." }) eventId: string | null,
    @Ctx() ctx: Context,
  ): Promise<Hold[]> {
    if (!ctx.viewer || ctx.viewer.id !== user.id) throw new ApiError("FORBIDDEN", "only your own holds can be read", "activeHolds");
    if (eventId != null && !isId(eventId)) throw new ApiError("VALIDATION", "eventId is not a valid id", "eventId");
    const rows = await db.findLiveHoldsOfUser(ctx.app.db.pool, user.id, eventId ?? null);
    return rows.map((row) => toHold(row));
  }
}

async function holdQuote(hold: HoldNode, ctx: Context) {
  const [event, lines] = await Promise.all([
    ctx.loaders.eventById.load(hold.eventId),
    hold.lineRows ? Promise.resolve(hold.lineRows) : ctx.loaders.holdLinesByHoldId.load(hold.id),
  ]);
  if (!event) throw new Error(`event ${hold.eventId} of hold ${hold.id} is missing`);
  return quoteFees(lines.map((line) => line.priceMinor), event);
}

export function toFeeLine(fee: { kind: string; amountMinor: number }, currency: string): FeeLine {
  return Object.assign(new FeeLine(), { kind: fee.kind, amount: Money.of(fee.amountMinor, currency) });
}

/** A seat (when there is one) of an event, with its live status. */
export async function seatOf(ctx: Context, eventId: string, seatId: string | null): Promise<Seat | null> {
  if (!seatId) return null;
  const seat = await ctx.loaders.seatByEventSeat.load({ eventId, seatId });
  return seat ? Object.assign(new Seat(), seat) : null;
}

export async function sectionOf(ctx: Context, sectionId: string) {
  const section = await ctx.loaders.sectionById.load(sectionId);
  if (!section) throw new Error(`section ${sectionId} is missing`);
  return toSection(section);
}

/**
 * The lines of a hold just placed, named from the venue layout it was checked against: each seat is
 * HELD (by this hold, just committed). Null when the layout lacks one of them (then the loaders read
 * them).
 */
function placedLines(layout: VenueLayout, rows: readonly HoldLineRow[]): HoldLine[] | null {
  const named = rows.map((row) => ({ row, section: layout.sections.get(row.sectionId), seat: row.seatId === null ? null : layout.seats.get(row.seatId) }));
  if (named.some((line) => !line.section || line.seat === undefined)) return null;
  // In the order the loaders read lines (hold.db.ts findHoldLinesByHoldIds: section, row, number), so
  // the answer to holdSeats lists them as every later read of the hold does.
  named.sort((a, b) => compare(a.row.sectionId, b.row.sectionId) || (a.seat?.rowOrder ?? 0) - (b.seat?.rowOrder ?? 0) || (a.seat?.number ?? 0) - (b.seat?.number ?? 0));
  const lines: HoldLine[] = [];
  for (const { row, section: found, seat } of named) {
    const section = found!;
    lines.push(
      Object.assign(new HoldLine(), {
        section: toSection(section),
        seat: seat && Object.assign(new Seat(), { id: seat.id, sectionId: seat.sectionId, row: seat.rowLabel, number: seat.number, x: seat.x, y: seat.y, status: "HELD" as const }),
        price: Money.of(row.priceMinor, row.currency),
      }),
    );
  }
  return lines;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Hold and order lines: section, seat and locked price. */
export function toLines(
  ctx: Context,
  eventId: string,
  rows: readonly { sectionId: string; seatId: string | null; priceMinor: number; currency: string }[],
): Promise<HoldLine[]> {
  return Promise.all(
    rows.map(async (row) => {
      const [section, seat] = await Promise.all([sectionOf(ctx, row.sectionId), seatOf(ctx, eventId, row.seatId)]);
      return Object.assign(new HoldLine(), { section, seat, price: Money.of(row.priceMinor, row.currency) });
    }),
  );
}
