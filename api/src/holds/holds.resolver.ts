import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { toEvent, toSection } from "../catalogue/catalogue.resolver.js";
import { Event, Seat } from "../catalogue/catalogue.types.js";
import type { Context } from "../context.js";
import { Money, UserError } from "../platform/graphql.js";
import type { HoldLineRow } from "./holds.db.js";
import * as holds from "./holds.service.js";
import { Hold, HoldLine, HoldSeatsInput, HoldSeatsPayload, ReleaseHoldPayload } from "./holds.types.js";

/** A hold as returned to clients; lines resolve from the rows placeHold returned, or from the loader. */
class HoldNode extends Hold {
  eventId!: string;
  lineRows?: HoldLineRow[];
}

function toHold(view: holds.HoldView): HoldNode {
  return Object.assign(new HoldNode(), {
    id: view.id,
    eventId: view.eventId,
    status: view.status,
    expiresAt: view.expiresAt,
    subtotal: Money.of(view.subtotalMinor, view.currency),
    lineRows: view.lines,
  });
}

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
    const result = await holds.holdSeats(ctx.app.holds, ctx.viewer!.id, input);
    return Object.assign(new HoldSeatsPayload(), result.ok ? { hold: toHold(result.value), errors: [] } : { hold: null, errors: [UserError.from(result.error)] });
  }

  @Authorized()
  @Mutation(() => ReleaseHoldPayload, { description: "Give held seats back at once." })
  async releaseHold(@Arg("holdId", () => ID, { description: "The hold." }) holdId: string, @Ctx() ctx: Context): Promise<ReleaseHoldPayload> {
    const result = await holds.releaseHold(ctx.app.holds, ctx.viewer!.id, holdId);
    return Object.assign(new ReleaseHoldPayload(), result.ok ? { ok: true, errors: [] } : { ok: false, errors: [UserError.from(result.error)] });
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
    const rows = hold.lineRows ?? (await ctx.loaders.holdLinesByHoldId.load(hold.id));
    return Promise.all(
      rows.map(async (row) => {
        const [section, seat] = await Promise.all([
          ctx.loaders.sectionById.load(row.sectionId),
          row.seatId ? ctx.loaders.seatByEventSeat.load({ eventId: hold.eventId, seatId: row.seatId }) : null,
        ]);
        if (!section) throw new Error(`section ${row.sectionId} is missing`);
        return Object.assign(new HoldLine(), {
          section: toSection(section),
          seat: seat ? Object.assign(new Seat(), seat) : null,
          price: Money.of(row.priceMinor, row.currency),
        });
      }),
    );
  }
}
