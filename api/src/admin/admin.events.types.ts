import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { EventCategoryEnum, EventStatusEnum, type EventCategory, type EventStatus } from "../catalogue/catalogue.types.js";
import { UserError } from "../platform/graphql.js";
import { PacingCurveEnum } from "../pricing/pricing.types.js";
import type { PacingCurve } from "../pricing/pricing.rules.js";

const ADMIN_ERRORS = "(UNAUTHENTICATED without a token and FORBIDDEN for a fan come as GraphQL errors.)";
export const EVENT_MUTATION_ERRORS = `Errors: VALIDATION, NOT_FOUND, FORBIDDEN (another organization's event). ${ADMIN_ERRORS}`;
export const SEATS_BLOCKED_ERRORS = `Errors: VALIDATION, NOT_FOUND, FORBIDDEN, SEAT_UNAVAILABLE (a seat is held or sold; refusedSeatIds names them). ${ADMIN_ERRORS}`;

@ObjectType({ description: "The venue of an admin event, with the time zone its times are shown in." })
export class AdminEventVenue {
  @Field(() => ID, { description: "Venue id." })
  id!: string;

  @Field(() => String, { description: "Venue name." })
  name!: string;

  @Field(() => String, { description: "City." })
  city!: string;

  @Field(() => String, { description: "IANA time zone: the console shows and enters the event's times in it." })
  timezone!: string;
}

@ObjectType({ description: "Progress of the refund of every order of a CANCELLED event." })
export class RefundProgress {
  @Field(() => Int, { description: "Orders of the event that were paid (confirmed, cancelled or refunded)." })
  total!: number;

  @Field(() => Int, { description: "Of them, orders cancelled with their refund recorded." })
  refunded!: number;

  @Field(() => Int, { description: "Of them, refunds the payment gateway has confirmed (the reconciler retries the others)." })
  confirmedAtGateway!: number;
}

@ObjectType({ description: "An event as the admin console edits it: every setting, its sections with pricing, and its lifecycle." })
export class AdminEvent {
  @Field(() => ID, { description: "Stable id." })
  id!: string;

  @Field(() => ID, { description: "The promoter organization that owns the event." })
  organizationId!: string;

  @Field(() => AdminEventVenue, { description: "Where the event happens." })
  venue!: AdminEventVenue;

  @Field(() => String, { description: "Unique URL name, generated from the name at creation." })
  slug!: string;

  @Field(() => String, { description: "Event title." })
  name!: string;

  @Field(() => String, { description: "Headliner, team or company." })
  artist!: string;

  @Field(() => String, { description: "Longer text for the event page (may be empty)." })
  description!: string;

  @Field(() => EventCategoryEnum, { description: "Kind of event." })
  category!: EventCategory;

  @Field(() => EventStatusEnum, { description: "Where the event is in its lifecycle." })
  status!: EventStatus;

  @Field(() => Date, { description: "When the show starts." })
  startsAt!: Date;

  @Field(() => Date, { nullable: true, description: "When the show ends; null when not given." })
  endsAt!: Date | null;

  @Field(() => Date, { description: "When tickets go on sale (a SCHEDULED event sells from then on)." })
  onSaleAt!: Date;

  @Field(() => String, { description: "ISO 4217 currency of every price of the event." })
  currency!: string;

  @Field(() => Int, { description: "How long a hold lasts, seconds." })
  holdDurationSeconds!: number;

  @Field(() => Int, { description: "Most seats one account may hold or buy." })
  maxSeatsPerUser!: number;

  @Field(() => Boolean, { description: "false: picks that strand a single seat between taken seats are refused (orphan-seat rule)." })
  allowSingleSeatGaps!: boolean;

  @Field(() => Int, { description: "Service fee, basis points of the ticket price (1000 = 10%)." })
  serviceFeeBasisPoints!: number;

  @Field(() => Int, { description: "Facility fee per ticket, minor units." })
  facilityFeeMinor!: number;

  @Field(() => Boolean, { description: "Fans pass the virtual waiting room before holding seats." })
  waitingRoomEnabled!: boolean;

  @Field(() => Int, { description: "Most fans admitted to shop at once." })
  waitingRoomMaxActiveShoppers!: number;

  @Field(() => Int, { description: "Seconds between admission batches." })
  waitingRoomAdmissionIntervalSeconds!: number;

  @Field(() => Boolean, { description: "A presale (access codes or the verified-fan list) runs before the general sale." })
  presaleEnabled!: boolean;

  @Field(() => Boolean, { description: "Fans solve a proof-of-work challenge before joining the waiting room." })
  proofOfWorkEnabled!: boolean;

  @Field(() => Int, { description: "The pricing engine changes no price this many minutes before the start." })
  pricingFreezeMinutes!: number;

  @Field(() => PacingCurveEnum, { description: "Shape of the sell-through target the pricing engine paces against." })
  pricingCurve!: PacingCurve;

  @Field(() => Date, { nullable: true, description: "When the pacing target expects the event sold out; null means when it starts." })
  sellOutBy!: Date | null;

  @Field(() => Date, { description: "When the event was created." })
  createdAt!: Date;

  @Field(() => Date, { description: "When the event's settings or status last changed." })
  updatedAt!: Date;
}

@ObjectType({ description: "One page of admin events with the total over all pages." })
export class AdminEventPage {
  @Field(() => [AdminEvent], { description: "The events of this page." })
  items!: AdminEvent[];

  @Field(() => Int, { description: "Events matching the filter over all pages." })
  total!: number;
}

@InputType({ description: "Narrows the admin event list; all given filters must match." })
export class AdminEventFilter {
  @Field(() => String, { nullable: true, description: "Name or artist contains this (case-insensitive)." })
  q?: string | null;

  @Field(() => EventStatusEnum, { nullable: true, description: "Only events in this status." })
  status?: EventStatus | null;

  @Field(() => ID, { nullable: true, description: "Only events at this venue." })
  venueId?: string | null;

  @Field(() => [ID], { nullable: true, description: "Only these events (at most 100; react-admin's getMany)." })
  ids?: string[] | null;
}

/** Fields shared by CreateEventInput and UpdateEventInput; all optional here. */
@InputType("AdminEventSettingsFields", { description: "Settings shared by CreateEventInput and UpdateEventInput (not in the schema by itself)." })
class EventSettingsFields {
  @Field(() => String, { nullable: true, description: "Longer text for the event page (at most 5000 characters)." })
  description?: string | null;

  @Field(() => Date, { nullable: true, description: "When the show ends; after startsAt." })
  endsAt?: Date | null;

  @Field(() => Int, { nullable: true, description: "How long a hold lasts, 60 to 3600 seconds (default 600)." })
  holdDurationSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: "Most seats per account, 1 to 50 (default 8)." })
  maxSeatsPerUser?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Allow picks that leave a single seat gap (default false)." })
  allowSingleSeatGaps?: boolean | null;

  @Field(() => Int, { nullable: true, description: "Service fee, 0 to 5000 basis points (default 1000). Fixed once the sale has begun." })
  serviceFeeBasisPoints?: number | null;

  @Field(() => Int, { nullable: true, description: "Facility fee per ticket, 0 to 1,000,000 minor units (default 0). Fixed once the sale has begun." })
  facilityFeeMinor?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Turn the virtual waiting room on or off (default off)." })
  waitingRoomEnabled?: boolean | null;

  @Field(() => Int, { nullable: true, description: "Most fans shopping at once, 1 to 1,000,000 (default 500)." })
  waitingRoomMaxActiveShoppers?: number | null;

  @Field(() => Int, { nullable: true, description: "Seconds between admission batches, 1 to 3600 (default 5)." })
  waitingRoomAdmissionIntervalSeconds?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Run a presale before the general sale (default off)." })
  presaleEnabled?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Require a proof-of-work challenge to join the waiting room (default off)." })
  proofOfWorkEnabled?: boolean | null;
}

@InputType({ description: "A new event, created as DRAFT with its venue's sections and seats." })
export class CreateEventInput extends EventSettingsFields {
  @Field(() => ID, { description: "The venue: the organization's own, or a shared one." })
  venueId!: string;

  @Field(() => ID, { nullable: true, description: "The owning organization: a promoter's own by default; an admin gives it unless the venue has one." })
  organizationId?: string | null;

  @Field(() => String, { description: "Event title, 1 to 200 characters." })
  name!: string;

  @Field(() => String, { description: "Headliner, team or company, 1 to 200 characters." })
  artist!: string;

  @Field(() => EventCategoryEnum, { description: "Kind of event." })
  category!: EventCategory;

  @Field(() => Date, { description: "When the show starts (ISO 8601 with offset; the console enters it in the venue's time zone)." })
  startsAt!: Date;

  @Field(() => Date, { description: "When tickets go on sale; before startsAt." })
  onSaleAt!: Date;

  @Field(() => String, { description: "ISO 4217 currency, 3 capital letters." })
  currency!: string;

  @Field(() => Int, {
    description:
      "Base price, minor units (at least 100). Each section is priced at it × the section's price factor, rounded to whole units; " +
      "its floor and ceiling are 40% below and above.",
  })
  basePriceMinor!: number;
}

@InputType({ description: "Changes to an event's settings; omitted fields stay as they are. The venue cannot change." })
export class UpdateEventInput extends EventSettingsFields {
  @Field(() => ID, { description: "The event." })
  id!: string;

  @Field(() => String, { nullable: true, description: "Event title, 1 to 200 characters." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "Headliner, team or company, 1 to 200 characters." })
  artist?: string | null;

  @Field(() => EventCategoryEnum, { nullable: true, description: "Kind of event." })
  category?: EventCategory | null;

  @Field(() => Date, { nullable: true, description: "When the show starts. Fixed once the sale has begun." })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true, description: "When tickets go on sale; before startsAt. Fixed once the sale has begun." })
  onSaleAt?: Date | null;

  @Field(() => String, { nullable: true, description: "ISO 4217 currency. Fixed once the sale has begun." })
  currency?: string | null;
}

@InputType({ description: "A section's new base price." })
export class SectionPriceInput {
  @Field(() => ID, { description: "A section of the event." })
  sectionId!: string;

  @Field(() => Int, { description: "Base price, minor units, within the section's floor and ceiling." })
  priceMinor!: number;
}

@InputType({ description: "New base prices of some of an event's sections, before its on-sale." })
export class UpdateEventSectionPricesInput {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => [SectionPriceInput], { description: "1 to 100 sections, each at most once." })
  sections!: SectionPriceInput[];
}

@InputType({ description: "A lifecycle step." })
export class TransitionEventInput {
  @Field(() => ID, { description: "The event." })
  id!: string;

  @Field(() => EventStatusEnum, { description: "The status to move to (one of the event's allowedTransitions)." })
  to!: EventStatus;
}

@InputType({ description: "House seats: block seats from sale, or give them back." })
export class SetSeatsBlockedInput {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => [ID], { description: "1 to 1000 seats of the event." })
  seatIds!: string[];

  @Field(() => Boolean, { description: "true: AVAILABLE seats become BLOCKED; false: BLOCKED seats become AVAILABLE." })
  blocked!: boolean;
}

@ObjectType({ description: `Result of createEvent, updateEvent, updateEventSectionPrices and transitionEvent. ${EVENT_MUTATION_ERRORS}` })
export class EventPayload {
  @Field(() => AdminEvent, { nullable: true, description: "The event as it now stands; null on error." })
  event!: AdminEvent | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of setSeatsBlocked. ${SEATS_BLOCKED_ERRORS}` })
export class SeatsBlockedPayload {
  @Field(() => Int, { description: "Seats whose status changed (seats already in the asked state are not counted)." })
  changed!: number;

  @Field(() => [ID], { description: "Seats that refused the request (held, sold or unknown); empty on success." })
  refusedSeatIds!: string[];

  @Field(() => [UserError], { description: "Empty on success; on error nothing changed." })
  errors!: UserError[];
}
