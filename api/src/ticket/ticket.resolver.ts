import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Seat, Section } from "../catalogue/catalogue.types.js";
import type { Context } from "../request-context.js";
import { seatOf, sectionOf } from "../hold/hold.resolver.js";
import { ApiError } from "../platform/errors.js";
import { UserError } from "../platform/graphql.js";
import type { TicketRow } from "./ticket.db.js";
import * as tickets from "./ticket.service.js";
import { ScanTicketInput, ScanTicketPayload, Ticket, TicketRevocation, TicketRevocationList } from "./ticket.types.js";

class TicketNode extends Ticket {
  row!: TicketRow;
}

export function toTicket(row: TicketRow): TicketNode {
  return Object.assign(new TicketNode(), { id: row.id, status: row.status, row });
}

@Resolver(() => Ticket)
export class TicketResolver {
  @Authorized("PROMOTER")
  @Mutation(() => ScanTicketPayload, {
    description: "Door scan by the event's staff (its promoters, or an admin): ADMITTED once per ticket, then ALREADY_SCANNED.",
  })
  async scanTicket(@Arg("input", () => ScanTicketInput, { description: "Event and barcode." }) input: ScanTicketInput, @Ctx() ctx: Context): Promise<ScanTicketPayload> {
    const result = await tickets.scanTicket(ctx.app.tickets, ctx.viewer!, input);
    if (!result.ok) return Object.assign(new ScanTicketPayload(), { result: null, errors: [UserError.from(result.error)] });
    const { result: verdict, reason, ticket, scannedAt } = result.value;
    return Object.assign(new ScanTicketPayload(), { result: verdict, reason, scannedAt, ticket: ticket ? toTicket(ticket) : null, errors: [] });
  }

  @Authorized("PROMOTER")
  @Query(() => TicketRevocationList, {
    description: "Voided tickets of an event since a cursor: scanners verify barcodes offline (keys at /.well-known/jwks.json) and sync this list.",
  })
  async ticketRevocations(
    @Arg("eventId", () => ID, { description: "The event." }) eventId: string,
    @Arg("since", () => String, { nullable: true, description: "cursor of the previous sync; omit for all." }) since: string | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 1000, description: "At most this many (1 to 1000)." }) first: number,
    @Ctx() ctx: Context,
  ): Promise<TicketRevocationList> {
    const result = await tickets.ticketRevocations(ctx.app.tickets, ctx.viewer!, { eventId, since, first });
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.field);
    return Object.assign(new TicketRevocationList(), {
      revoked: result.value.revoked.map((row) => Object.assign(new TicketRevocation(), row)),
      cursor: result.value.cursor,
      syncIntervalSeconds: 60,
    });
  }

  @FieldResolver(() => Seat, { nullable: true, description: "The seat; null for general admission." })
  seat(@Root() ticket: TicketNode, @Ctx() ctx: Context): Promise<Seat | null> {
    return seatOf(ctx, ticket.row.eventId, ticket.row.seatId);
  }

  @FieldResolver(() => Section, { description: "The section." })
  section(@Root() ticket: TicketNode, @Ctx() ctx: Context): Promise<Section> {
    return sectionOf(ctx, ticket.row.sectionId);
  }

  @FieldResolver(() => String, {
    description: "Signed QR payload; rotates every rotation window (fetch again at barcodeRefreshesAt). An API key reads it only for the fan it acts for.",
  })
  async barcode(@Root() ticket: TicketNode, @Ctx() ctx: Context): Promise<string> {
    const { id, eventId, sectionId, seatId } = ticket.row;
    // A key with orders:read reads its organization's orders, but a barcode admits at the door: only
    // the holder (or a partner acting for them) gets it.
    if (ctx.partner) {
      const order = await ctx.loaders.orderById.load(ticket.row.orderId);
      if (!order || order.userId !== ctx.viewer?.id) throw new ApiError("FORBIDDEN", "a ticket's barcode goes to its holder only; act for the fan (Boxoffice-Fan) to read it");
    }
    return ctx.app.tickets.barcodes.sign({ ticketId: id, eventId, sectionId, seatId });
  }

  @FieldResolver(() => Date, { description: "When barcode is replaced by the next one." })
  barcodeRefreshesAt(@Ctx() ctx: Context): Date {
    return ctx.app.tickets.barcodes.refreshesAt();
  }

  @FieldResolver(() => Int, { description: "How often, in seconds, barcode is replaced by the next one (the rotation window)." })
  barcodeRotationSeconds(@Ctx() ctx: Context): number {
    return ctx.app.tickets.barcodes.rotationSeconds;
  }
}
