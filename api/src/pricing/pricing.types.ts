import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Event, EventSection } from "../catalogue/catalogue.types.js";
import { connectionTypes, enumOf, Money, UserError } from "../platform/graphql.js";
import { PACING_CURVES, PRICE_ACTORS, type PacingCurve, type PriceActor } from "./pricing.rules.js";

export const PriceActorEnum = enumOf(PRICE_ACTORS);
export const PacingCurveEnum = enumOf(PACING_CURVES);

registerEnumType(PriceActorEnum, {
  name: "PriceActor",
  description: "Who changed a price: INITIAL (set when the event was created), ENGINE (the dynamic pricing engine) or PROMOTER.",
});
registerEnumType(PacingCurveEnum, {
  name: "PacingCurve",
  description: "Shape of the sell-through target the pricing engine paces sales against: FRONT_LOADED (faster early) or LINEAR.",
});

@ObjectType({ description: "One change of a section's base price, newest first in EventSection.priceHistory." })
export class PriceChange {
  @Field(() => Money, { description: "The new base price (before fees)." })
  price!: Money;

  @Field(() => Money, { nullable: true, description: "The base price before this change; null for the first price." })
  previousPrice!: Money | null;

  @Field(() => Date, { description: "When the price changed." })
  at!: Date;

  @Field(() => PriceActorEnum, { description: "Who changed it (a promoter's identity is not shown)." })
  actor!: PriceActor;

  @Field(() => [String], { description: "Machine-readable reasons, e.g. OVERRIDE, RANGE_CHANGED, STEP_CLAMPED_UP." })
  reasonCodes!: string[];

  @Field(() => String, { description: "One line a fan can read on why the price changed (may be empty for the first price)." })
  explanation!: string;
}

export const { Edge: PriceChangeEdge, Connection: PriceChangeConnection } = connectionTypes(PriceChange, "PriceChange");
export type PriceChangeConnection = InstanceType<typeof PriceChangeConnection>;

@InputType({ description: "A section's public dynamic-pricing rules. Omitted fields stay as they are." })
export class UpdateSectionPricingInput {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => ID, { description: "A section of the event." })
  sectionId!: string;

  @Field(() => Boolean, { nullable: true, description: "Whether the pricing engine moves this section's price with demand." })
  dynamicPricing?: boolean | null;

  @Field(() => Int, { nullable: true, description: "Lowest base price, minor units (> 0)." })
  floorMinor?: number | null;

  @Field(() => Int, { nullable: true, description: "Highest base price, minor units (≥ the floor)." })
  ceilingMinor?: number | null;

  @Field(() => Float, { nullable: true, description: "Largest change per engine tick, percent of the current price (0.01 to 50)." })
  maxStepPercent?: number | null;
}

@InputType({ description: "A promoter's fixed base price for a section, until cleared." })
export class OverrideSectionPriceInput {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => ID, { description: "A section of the event." })
  sectionId!: string;

  @Field(() => Int, { description: "The base price, minor units, within the section's floor and ceiling." })
  priceMinor!: number;

  @Field(() => String, { description: "Why (1 to 200 characters); shown to fans in the section's price history." })
  reason!: string;
}

@InputType({ description: "An event's pacing settings for the pricing engine. Omitted fields stay as they are." })
export class UpdateEventPricingInput {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => Int, {
    nullable: true,
    description: "No engine price change this many minutes before the event starts (0 to 10080). A public rule: fixed from 24 hours before on-sale.",
  })
  freezeMinutes?: number | null;

  @Field(() => PacingCurveEnum, { nullable: true, description: "Shape of the sell-through target." })
  curve?: PacingCurve | null;

  @Field(() => Date, { nullable: true, description: "When the target expects the event sold out: after on-sale, no later than the start." })
  sellOutBy?: Date | null;
}

/** `<Mutation>Payload { eventSection, errors }` of one section mutation. */
function sectionPayload(name: string, mutation: string) {
  @ObjectType(name, { description: `Result of ${mutation}. Errors: VALIDATION, NOT_FOUND, FORBIDDEN.` })
  class Payload {
    @Field(() => EventSection, { nullable: true, description: "The section with its pricing as it now stands; null on error." })
    eventSection!: EventSection | null;

    @Field(() => [UserError], { description: "Empty on success." })
    errors!: UserError[];
  }
  return Payload;
}

export const UpdateSectionPricingPayload = sectionPayload("UpdateSectionPricingPayload", "updateSectionPricing");
export const SetSectionPricingPausedPayload = sectionPayload("SetSectionPricingPausedPayload", "setSectionPricingPaused");
export const OverrideSectionPricePayload = sectionPayload("OverrideSectionPricePayload", "overrideSectionPrice");
export const ClearSectionPriceOverridePayload = sectionPayload("ClearSectionPriceOverridePayload", "clearSectionPriceOverride");
export type SectionPricingPayload = InstanceType<typeof UpdateSectionPricingPayload>;

@ObjectType({ description: "Result of updateEventPricing. Errors: VALIDATION, NOT_FOUND, FORBIDDEN." })
export class UpdateEventPricingPayload {
  @Field(() => Event, { nullable: true, description: "The event with its pacing settings as they now stand; null on error." })
  event!: Event | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: "The published all-in price range of an event's dynamically priced sections." })
export class DynamicPriceRange {
  @Field(() => Money, { description: "Lowest floor, all-in (base + mandatory fees per ticket)." })
  minAllIn!: Money;

  @Field(() => Money, { description: "Highest ceiling, all-in (base + mandatory fees per ticket)." })
  maxAllIn!: Money;
}
