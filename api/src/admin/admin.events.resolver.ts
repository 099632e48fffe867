import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { findSeatMap } from "../catalogue/catalogue.db.js";
import { toEventSection, toSectionSeatMap } from "../catalogue/catalogue.resolver.js";
import { EventSection, EventStatusEnum, SectionSeatMap, type EventStatus } from "../catalogue/catalogue.types.js";
import { isOnSale } from "../hold/hold.service.js";
import type { Context } from "../request-context.js";
import { ApiError, type Result } from "../platform/errors.js";
import { UserError } from "../platform/graphql.js";
import type { AdminEventRow } from "./admin.events.db.js";
import { refundProgress } from "./admin.events.refunds.js";
import { allowedTransitions } from "./admin.events.rules.js";
import * as events from "./admin.events.service.js";
import * as houseSeats from "./admin.house-seats.service.js";
import {
  AdminEvent,
  AdminEventFilter,
  AdminEventPage,
  AdminEventVenue,
  CreateEventInput,
  EVENT_MUTATION_ERRORS,
  EventPayload,
  RefundProgress,
  SEATS_BLOCKED_ERRORS,
  SeatsBlockedPayload,
  SetSeatsBlockedInput,
  TransitionEventInput,
  UpdateEventInput,
  UpdateEventSectionPricesInput,
} from "./admin.events.types.js";
import { AdminPageArgs } from "./admin.types.js";

export function toAdminEvent(row: AdminEventRow): AdminEvent {
  const { venueId, venueName, venueCity, venueTimezone, ...rest } = row;
  return Object.assign(new AdminEvent(), rest, {
    venue: Object.assign(new AdminEventVenue(), { id: venueId, name: venueName, city: venueCity, timezone: venueTimezone }),
  });
}

const dependencies = (ctx: Context): events.AdminEventDependencies => ({
  pool: ctx.app.db.pool,
  seatChanges: ctx.app.holds.seatChanges,
  refunds: ctx.app.eventRefunds,
  logger: ctx.app.logger,
});

/** The payload of an event mutation: the event read afresh after the commit, or the error. */
async function eventPayload(ctx: Context, result: Result<string, events.AdminEventError>): Promise<EventPayload> {
  if (!result.ok) return Object.assign(new EventPayload(), { event: null, errors: [UserError.from(result.error)] });
  ctx.loaders.eventSectionsByEventId.clear(result.value);
  ctx.loaders.sectionPricingByEventId.clear(result.value);
  ctx.loaders.eventById.clear(result.value);
  const row = await events.findEvent(ctx.app.db.pool, ctx.viewer!, result.value);
  if (!row) throw new Error(`event ${result.value} is missing after its change`);
  return Object.assign(new EventPayload(), { event: toAdminEvent(row), errors: [] });
}

@Resolver(() => AdminEvent)
export class AdminEventResolver {
  @Authorized("PROMOTER")
  @Query(() => AdminEventPage, {
    description:
      "Events the viewer manages (a promoter: its organization's, drafts included; an admin: all), one page at a time. " +
      "sortField: name, startsAt (default), onSaleAt, status, createdAt. Errors: VALIDATION, UNAUTHENTICATED, FORBIDDEN (a fan).",
  })
  async adminEvents(
    @Args(() => AdminPageArgs) args: AdminPageArgs,
    @Arg("filter", () => AdminEventFilter, { nullable: true, description: "Narrow the list." }) filter: AdminEventFilter | null,
    @Ctx() ctx: Context,
  ): Promise<AdminEventPage> {
    const result = await events.listEvents(ctx.app.db.pool, ctx.viewer!, { ...args, filter });
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.field);
    return Object.assign(new AdminEventPage(), { items: result.value.rows.map(toAdminEvent), total: result.value.total });
  }

  @Authorized("PROMOTER")
  @Query(() => AdminEvent, {
    nullable: true,
    description: "One event the viewer manages; null when it does not exist or belongs to another organization. Errors: UNAUTHENTICATED, FORBIDDEN (a fan).",
  })
  async adminEvent(@Arg("id", () => ID, { description: "Event id." }) id: string, @Ctx() ctx: Context): Promise<AdminEvent | null> {
    const row = await events.findEvent(ctx.app.db.pool, ctx.viewer!, id);
    return row ? toAdminEvent(row) : null;
  }

  @FieldResolver(() => [EventSection], { description: "The event's sections with price, availability and pricing guardrails." })
  async sections(@Root() event: AdminEvent, @Ctx() ctx: Context): Promise<EventSection[]> {
    return (await ctx.loaders.eventSectionsByEventId.load(event.id)).map(toEventSection);
  }

  // Drafts included (the public Event.seatMap serves only public events): house seats are often set
  // aside before an event is announced. Costed as Event.seatMap: an arena's map is about 1 MB.
  @FieldResolver(() => [SectionSeatMap], {
    description: "Every seated section's seats with live status in one compact read (the house-seats picker), drafts included.",
    complexity: 500,
  })
  async seatMap(@Root() event: AdminEvent, @Ctx() ctx: Context): Promise<SectionSeatMap[]> {
    return (await findSeatMap(ctx.app.db.pool, event.id)).map(toSectionSeatMap);
  }

  @FieldResolver(() => RefundProgress, {
    nullable: true,
    description:
      "Progress of the refund of every order, once the event is CANCELLED (null before): the refund runs in the background, " +
      "resumes after a crash, and is done when refunded equals total.",
  })
  async refundProgress(@Root() event: AdminEvent, @Ctx() ctx: Context): Promise<RefundProgress | null> {
    if (event.status !== "CANCELLED") return null;
    return Object.assign(new RefundProgress(), await refundProgress(ctx.app.db.pool, event.id));
  }

  @FieldResolver(() => Boolean, {
    description:
      "Whether fans can buy now: ON_SALE, or SCHEDULED once onSaleAt has passed (the on-sale starts by itself; status stays SCHEDULED " +
      "until a promoter records ON_SALE), and the event not started.",
  })
  sellingNow(@Root() event: AdminEvent): boolean {
    return isOnSale(event);
  }

  @FieldResolver(() => [EventStatusEnum], { description: "The statuses transitionEvent accepts from the current one (the console's lifecycle buttons)." })
  allowedTransitions(@Root() event: AdminEvent): readonly EventStatus[] {
    return allowedTransitions(event.status);
  }

  @Authorized("PROMOTER")
  @Mutation(() => EventPayload, {
    description:
      "Create an event as DRAFT at a venue: its sections (priced from basePriceMinor) and every seat are made from the venue; " +
      "the slug is generated from the name. " +
      EVENT_MUTATION_ERRORS,
  })
  async createEvent(@Arg("input", () => CreateEventInput, { description: "The new event." }) input: CreateEventInput, @Ctx() ctx: Context): Promise<EventPayload> {
    return eventPayload(ctx, await events.createEvent(dependencies(ctx), ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => EventPayload, {
    description:
      "Change an event's settings. onSaleAt < startsAt < endsAt and every number within its range; once the sale has begun " +
      "(ON_SALE or later, or SCHEDULED past onSaleAt) startsAt, onSaleAt, fees and currency are fixed; CANCELLED and ENDED events are final. " +
      EVENT_MUTATION_ERRORS,
  })
  async updateEvent(@Arg("input", () => UpdateEventInput, { description: "The event and what to change." }) input: UpdateEventInput, @Ctx() ctx: Context): Promise<EventPayload> {
    return eventPayload(ctx, await events.updateEvent(dependencies(ctx), ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => EventPayload, {
    description:
      "Set sections' base prices before the on-sale (DRAFT, or SCHEDULED before onSaleAt). A price outside a section's floor..ceiling is " +
      "refused (VALIDATION, nothing changed; widen the range with updateSectionPricing first), as is a section with a price override. " +
      "Each changed price is recorded in its history (actor PROMOTER). " +
      EVENT_MUTATION_ERRORS,
  })
  async updateEventSectionPrices(
    @Arg("input", () => UpdateEventSectionPricesInput, { description: "The event and its sections' prices." }) input: UpdateEventSectionPricesInput,
    @Ctx() ctx: Context,
  ): Promise<EventPayload> {
    return eventPayload(ctx, await events.updateSectionPrices(dependencies(ctx), ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => EventPayload, {
    description:
      "Move an event through its lifecycle: DRAFT → SCHEDULED (needs sections priced above 0), SCHEDULED → ON_SALE (an early start: " +
      "onSaleAt becomes now), ON_SALE → SOLD_OUT, SOLD_OUT → ON_SALE, ON_SALE/SOLD_OUT → ENDED, any but ENDED → CANCELLED. " +
      "Anything else is VALIDATION naming the allowed transitions. " +
      EVENT_MUTATION_ERRORS,
  })
  async transitionEvent(@Arg("input", () => TransitionEventInput, { description: "The event and its next status." }) input: TransitionEventInput, @Ctx() ctx: Context): Promise<EventPayload> {
    return eventPayload(ctx, await events.transitionEvent(dependencies(ctx), ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => SeatsBlockedPayload, {
    description:
      "House seats: block AVAILABLE seats from sale, or make BLOCKED seats AVAILABLE again; all or nothing (a held or sold seat refuses " +
      "the request and is named in refusedSeatIds). seatStatusChanged announces the change. " +
      SEATS_BLOCKED_ERRORS,
  })
  async setSeatsBlocked(@Arg("input", () => SetSeatsBlockedInput, { description: "The event, seats and what to do." }) input: SetSeatsBlockedInput, @Ctx() ctx: Context): Promise<SeatsBlockedPayload> {
    const result = await houseSeats.setSeatsBlocked(dependencies(ctx), ctx.viewer!, input);
    if (!result.ok) return Object.assign(new SeatsBlockedPayload(), { changed: 0, refusedSeatIds: result.refusedSeatIds ?? [], errors: [UserError.from(result.error)] });
    return Object.assign(new SeatsBlockedPayload(), { changed: result.value.changed, refusedSeatIds: [], errors: [] });
  }
}
