import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { Event, Seat, Section } from "../catalogue/catalogue.types.js";
import { Money, UserError } from "../platform/graphql.js";

@InputType({ description: "A seat named by its section, row and number, as SectionSeatMap lists them (no seat id needed)." })
export class SeatAddressInput {
  @Field(() => ID, { description: "The seat's section." })
  sectionId!: string;

  @Field(() => String, { description: "Row label." })
  row!: string;

  @Field(() => Int, { description: "Seat number in the row." })
  number!: number;
}

@InputType({
  description:
    "What to hold: explicit seats (seatIds, or seats by section, row and number), a section and a quantity (best available / " +
    "general admission), or a quantity alone: the best seats of the whole venue's seated sections, optionally within an all-in price range.",
})
export class HoldSeatsInput {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => [ID], { nullable: true, description: "Explicit seats (seated sections)." })
  seatIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: "Or: best available / general admission — a section and a quantity." })
  sectionId?: string | null;

  @Field(() => [SeatAddressInput], { nullable: true, description: "Explicit seats by section, row and number (instead of seatIds)." })
  seats?: SeatAddressInput[] | null;

  @Field(() => Int, {
    nullable: true,
    description: "Number of seats or places: with sectionId, in that section; without it, the best seats of any seated section.",
  })
  quantity?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Best available without sectionId: only sections whose all-in price per ticket (minor units, fees included) is at least this.",
  })
  minAllInPrice?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Best available without sectionId: only sections whose all-in price per ticket (minor units, fees included) is at most this.",
  })
  maxAllInPrice?: number | null;

  @Field(() => String, { nullable: true, description: "Required when the event's waiting room is enabled." })
  admissionToken?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Client-generated key (1-200 characters): a retried request with the same key returns the same hold while it lives. " +
      "Without it, an identical request from the same fan counts as a retry.",
  })
  requestKey?: string | null;
}

// The hold path's answer types read their plain fields as plain properties (`simpleResolvers`: no
// type-graphql resolver per field, which graphql-jit would call, with a resolve-info object, for every
// field of every answer); fields with a @FieldResolver (Hold.event, lines, fees, total) keep theirs.
@ObjectType({ description: "One held ticket: a seat, or a place in a general-admission section, at its locked price.", simpleResolvers: true })
export class HoldLine {
  @Field(() => Section, { description: "The section." })
  section!: Section;

  @Field(() => Seat, { nullable: true, description: "The seat; null for general admission." })
  seat?: Seat | null;

  @Field(() => Money, { description: "Price locked when the hold was placed." })
  price!: Money;
}

@ObjectType({ description: "Seats or places reserved for one fan until expiresAt.", simpleResolvers: true })
export class Hold {
  @Field(() => ID, { description: "Pass to checkout or releaseHold." })
  id!: string;

  @Field(() => Event, { description: "The event." })
  event!: Event;

  @Field(() => [HoldLine], { description: "One line per ticket." })
  lines!: HoldLine[];

  @Field(() => Money, { description: "Prices are locked until expiresAt." })
  subtotal!: Money;

  @Field(() => Date, { description: "When the seats go back on sale unless paid for." })
  expiresAt!: Date;

  @Field(() => String, { description: "ACTIVE, RELEASED, EXPIRED or CONVERTED (paid)." })
  status!: string;
}

@ObjectType({ description: "Result of holdSeats. Errors: VALIDATION, NOT_FOUND, NOT_ON_SALE, NOT_ADMITTED, SEAT_UNAVAILABLE, LIMIT_EXCEEDED.", simpleResolvers: true })
export class HoldSeatsPayload {
  @Field(() => Hold, { nullable: true, description: "The hold, when placed." })
  hold?: Hold | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: "Result of releaseHold. Errors: VALIDATION, NOT_FOUND, HOLD_EXPIRED.", simpleResolvers: true })
export class ReleaseHoldPayload {
  @Field(() => Boolean, { description: "True when the seats went back on sale." })
  ok!: boolean;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}
