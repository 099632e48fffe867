/**
 * Live catalogue updates over graphql-ws, fed through Redis pub/sub so every API process sees what any
 * process publishes. Topics and payloads are typed in platform/pubsub.ts; one channel per event.
 */
import { Arg, Ctx, Field, ID, Int, ObjectType, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../request-context.js";
import { Money, parseId } from "../platform/graphql.js";
import type { SeatStatusMessage, SectionPriceMessage } from "../platform/pubsub.js";
import { toSection } from "./catalogue.resolver.js";
import { EventSection, SeatStatusEnum, type SeatStatus } from "./catalogue.types.js";

@ObjectType({ description: "A change of one seat's status, or of a general-admission section's count." })
export class SeatStatusChange {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => ID, { description: "The section." })
  sectionId!: string;

  @Field(() => ID, { nullable: true, description: "Null for general-admission sections." })
  seatId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The seat's row label (with sectionId and number it names the seat as SectionSeatMap does); null for general-admission sections.",
  })
  row?: string | null;

  @Field(() => Int, { nullable: true, description: "The seat's number in its row; null for general-admission sections." })
  number?: number | null;

  @Field(() => SeatStatusEnum, { description: "New status of the seat." })
  status!: SeatStatus;

  @Field(() => Int, { description: "Remaining count of the section after this change." })
  available!: number;
}

@Resolver()
export class LiveResolver {
  @Subscription(() => SeatStatusChange, {
    topics: "SEAT_STATUS",
    topicId: ({ args }) => parseId(String(args.eventId), "eventId"),
    description: "Every status change of any seat (or GA count) of the event, as it happens.",
  })
  async seatStatusChanged(
    @Root() message: SeatStatusMessage,
    @Arg("eventId", () => ID, { description: "The event to follow." }) _eventId: string,
    @Ctx() ctx: Context,
  ): Promise<SeatStatusChange> {
    // Row and number come from the venue layout the hold path keeps in memory (hold.layout.ts, keyed by
    // the layout version of the event's venue): two map lookups per change, no query.
    let seat: { rowLabel: string; number: number } | undefined;
    if (message.seatId) {
      const event = await ctx.app.holds.events.get(message.eventId);
      if (event) seat = (await ctx.app.holds.layouts.get(event.venueId, event.venueLayoutVersion)).seats.get(message.seatId);
    }
    return Object.assign(new SeatStatusChange(), message, { row: seat?.rowLabel ?? null, number: seat?.number ?? null });
  }

  @Subscription(() => EventSection, {
    topics: "SECTION_PRICE",
    topicId: ({ args }) => parseId(String(args.eventId), "eventId"),
    description: "New prices published by the pricing engine for the event's sections.",
  })
  async sectionPriceChanged(
    @Root() message: SectionPriceMessage,
    @Arg("eventId", () => ID, { description: "The event to follow." }) _eventId: string,
    @Ctx() ctx: Context,
  ): Promise<EventSection> {
    // A subscription's context lives as long as the subscription: read fresh, never from the cache.
    ctx.loaders.eventSectionsByEventId.clear(message.eventId);
    ctx.loaders.sectionPricingByEventId.clear(message.eventId);
    const sections = await ctx.loaders.eventSectionsByEventId.load(message.eventId);
    const row = sections.find((candidate) => candidate.section.id === message.sectionId);
    if (!row) throw new Error(`section ${message.sectionId} is not part of event ${message.eventId}`);
    return Object.assign(new EventSection(), {
      eventId: row.eventId,
      section: toSection(row.section),
      price: Money.of(message.priceMinor, message.currency),
      available: row.available,
      total: row.total,
    });
  }
}
