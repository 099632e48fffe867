import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import { toEvent, toEventSection } from "../catalogue/catalogue.resolver.js";
import { Event, EventSection } from "../catalogue/catalogue.types.js";
import { ticketFees } from "../checkout/checkout.fees.js";
import { FeeLine } from "../checkout/checkout.types.js";
import { toFeeLine } from "../hold/hold.resolver.js";
import type { Context } from "../request-context.js";
import { ApiError, type Result } from "../platform/errors.js";
import { decodeCursor, encodeCursor, Money, UserError, validatePageSize } from "../platform/graphql.js";
import type { SectionPricingRow } from "./pricing.db.js";
import { actorOf, type PacingCurve } from "./pricing.rules.js";
import * as pricing from "./pricing.service.js";
import {
  ClearSectionPriceOverridePayload,
  DynamicPriceRange,
  OverrideSectionPriceInput,
  OverrideSectionPricePayload,
  PacingCurveEnum,
  PriceChange,
  PriceChangeConnection,
  SetSectionPricingPausedPayload,
  UpdateEventPricingInput,
  UpdateEventPricingPayload,
  UpdateSectionPricingInput,
  UpdateSectionPricingPayload,
  type SectionPricingPayload,
} from "./pricing.types.js";

const MUTATION_ERRORS = "Errors: VALIDATION, NOT_FOUND, FORBIDDEN (also UNAUTHENTICATED and FORBIDDEN as GraphQL errors for a viewer who is no promoter).";

async function sectionPricing(ctx: Context, eventId: string, sectionId: string): Promise<SectionPricingRow> {
  const row = (await ctx.loaders.sectionPricingByEventId.load(eventId)).find((candidate) => candidate.sectionId === sectionId);
  if (!row) throw new Error(`pricing of section ${sectionId} of event ${eventId} is missing`);
  return row;
}

async function feeSettings(ctx: Context, eventId: string) {
  const event = await ctx.loaders.eventById.load(eventId);
  if (!event) throw new Error(`event ${eventId} is missing`);
  return event;
}

async function allInMinor(ctx: Context, eventId: string, priceMinor: number): Promise<number> {
  const fees = ticketFees(priceMinor, await feeSettings(ctx, eventId));
  return fees.reduce((sum, fee) => sum + fee.amountMinor, priceMinor);
}

/** Reads the section afresh (the mutation just changed it) for the payload. */
async function freshSection(ctx: Context, key: pricing.SectionKey): Promise<EventSection> {
  ctx.loaders.eventSectionsByEventId.clear(key.eventId);
  ctx.loaders.sectionPricingByEventId.clear(key.eventId);
  const row = (await ctx.loaders.eventSectionsByEventId.load(key.eventId)).find((candidate) => candidate.section.id === key.sectionId);
  if (!row) throw new Error(`section ${key.sectionId} of event ${key.eventId} is missing`);
  return toEventSection(row);
}

async function sectionPayload<P extends SectionPricingPayload>(
  payload: new () => P,
  ctx: Context,
  result: Result<pricing.SectionKey, pricing.PricingError>,
): Promise<P> {
  if (!result.ok) return Object.assign(new payload(), { eventSection: null, errors: [UserError.from(result.error)] });
  return Object.assign(new payload(), { eventSection: await freshSection(ctx, result.value), errors: [] });
}

@Resolver(() => EventSection)
export class SectionPricingResolver {
  @FieldResolver(() => Boolean, { description: "Whether the pricing engine moves this section's price with demand, between floor and ceiling." })
  async dynamicPricing(@Root() section: EventSection, @Ctx() ctx: Context): Promise<boolean> {
    return (await sectionPricing(ctx, section.eventId, section.section.id)).dynamicPricing;
  }

  @FieldResolver(() => Money, { description: "Lowest base price the section may have (published before the on-sale)." })
  async floor(@Root() section: EventSection, @Ctx() ctx: Context): Promise<Money> {
    const row = await sectionPricing(ctx, section.eventId, section.section.id);
    return Money.of(row.floorMinor, row.currency);
  }

  @FieldResolver(() => Money, { description: "Highest base price the section may have (published before the on-sale)." })
  async ceiling(@Root() section: EventSection, @Ctx() ctx: Context): Promise<Money> {
    const row = await sectionPricing(ctx, section.eventId, section.section.id);
    return Money.of(row.ceilingMinor, row.currency);
  }

  @FieldResolver(() => Float, { description: "Largest change of the price per pricing-engine tick, percent of the current price." })
  async maxStepPercent(@Root() section: EventSection, @Ctx() ctx: Context): Promise<number> {
    return (await sectionPricing(ctx, section.eventId, section.section.id)).maxStepBasisPoints / 100;
  }

  @FieldResolver(() => Boolean, { description: "true while the promoter has paused the pricing engine for this section." })
  async pricingPaused(@Root() section: EventSection, @Ctx() ctx: Context): Promise<boolean> {
    return (await sectionPricing(ctx, section.eventId, section.section.id)).pricingPaused;
  }

  @FieldResolver(() => Boolean, { description: "true while the promoter has fixed this section's price (the engine leaves it alone)." })
  async priceOverridden(@Root() section: EventSection, @Ctx() ctx: Context): Promise<boolean> {
    return (await sectionPricing(ctx, section.eventId, section.section.id)).overridePriceMinor !== null;
  }

  @FieldResolver(() => Money, {
    description: "What one ticket costs now, all-in: the base price plus every mandatory fee per ticket. n tickets cost exactly n times this.",
  })
  async allInPrice(@Root() section: EventSection, @Ctx() ctx: Context): Promise<Money> {
    return Money.of(await allInMinor(ctx, section.eventId, section.price.amount), section.price.currency);
  }

  @FieldResolver(() => Money, {
    description: "Lowest price the section may have, all-in (floor + mandatory fees per ticket): the low end of the range shown to fans.",
  })
  async allInFloor(@Root() section: EventSection, @Ctx() ctx: Context): Promise<Money> {
    const row = await sectionPricing(ctx, section.eventId, section.section.id);
    return Money.of(await allInMinor(ctx, section.eventId, row.floorMinor), row.currency);
  }

  @FieldResolver(() => Money, {
    description: "Highest price the section may have, all-in (ceiling + mandatory fees per ticket): the high end of the range shown to fans.",
  })
  async allInCeiling(@Root() section: EventSection, @Ctx() ctx: Context): Promise<Money> {
    const row = await sectionPricing(ctx, section.eventId, section.section.id);
    return Money.of(await allInMinor(ctx, section.eventId, row.ceilingMinor), row.currency);
  }

  @FieldResolver(() => [FeeLine], { description: "The mandatory fees of one ticket at the current price (allInPrice = price + these)." })
  async fees(@Root() section: EventSection, @Ctx() ctx: Context): Promise<FeeLine[]> {
    return ticketFees(section.price.amount, await feeSettings(ctx, section.eventId)).map((fee) => toFeeLine(fee, section.price.currency));
  }

  @FieldResolver(() => PriceChangeConnection, { description: "Changes of the base price, newest first, with who changed it and why." })
  async priceHistory(
    @Root() section: EventSection,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." }) after: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<PriceChangeConnection> {
    const limit = validatePageSize(first);
    const beforeId = after === null || after === undefined ? null : String(decodeCursor(after, ["string"])[0]);
    if (beforeId !== null && !/^\d{1,18}$/.test(beforeId)) throw new ApiError("VALIDATION", "after is not a cursor returned by this API", "after");
    const { eventId } = section;
    const sectionId = section.section.id;
    const rows = await ctx.loaders.priceHistoryPage.load({ eventId, sectionId, beforeId, limit });
    const currency = section.price.currency;
    return PriceChangeConnection.from({
      items: rows.slice(0, limit).map((row) => ({
        cursor: encodeCursor([row.id]),
        node: Object.assign(new PriceChange(), {
          price: Money.of(row.priceMinor, currency),
          previousPrice: row.previousPriceMinor === null ? null : Money.of(row.previousPriceMinor, currency),
          at: row.createdAt,
          actor: actorOf(row.reason),
          reasonCodes: row.reasonCodes,
          explanation: row.explanation,
        }),
      })),
      hasNextPage: rows.length > limit,
      countTotal: () => pricing.countPriceHistory(ctx.app.db.pool, eventId, sectionId),
    });
  }

  @Authorized("PROMOTER")
  @Mutation(() => UpdateSectionPricingPayload, {
    description:
      "Change a section's public dynamic-pricing rules (flag, floor, ceiling, maximum step). The rules are public and fixed from 24 hours " +
      "before on-sale (VALIDATION after that). The current price moves into a new range, recorded in its history. " +
      MUTATION_ERRORS,
  })
  async updateSectionPricing(
    @Arg("input", () => UpdateSectionPricingInput, { description: "The section and the rules to change." }) input: UpdateSectionPricingInput,
    @Ctx() ctx: Context,
  ) {
    return sectionPayload(UpdateSectionPricingPayload, ctx, await pricing.updateSectionPricing(ctx.app.pricing, ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => SetSectionPricingPausedPayload, {
    description: "Pause (or resume) the pricing engine for one section, at any time; the price stays where it is. " + MUTATION_ERRORS,
  })
  async setSectionPricingPaused(
    @Arg("eventId", () => ID, { description: "The event." }) eventId: string,
    @Arg("sectionId", () => ID, { description: "A section of the event." }) sectionId: string,
    @Arg("paused", () => Boolean, { description: "true to pause, false to resume." }) paused: boolean,
    @Ctx() ctx: Context,
  ) {
    return sectionPayload(SetSectionPricingPausedPayload, ctx, await pricing.setSectionPricingPaused(ctx.app.pricing, ctx.viewer!, { eventId, sectionId, paused }));
  }

  @Authorized("PROMOTER")
  @Mutation(() => OverrideSectionPricePayload, {
    description:
      "Fix a section's base price, at any time, within its floor and ceiling, until cleared; recorded in the public price history with the reason. " +
      "Holds already placed keep their locked price. " +
      MUTATION_ERRORS,
  })
  async overrideSectionPrice(
    @Arg("input", () => OverrideSectionPriceInput, { description: "The section, price and reason." }) input: OverrideSectionPriceInput,
    @Ctx() ctx: Context,
  ) {
    return sectionPayload(OverrideSectionPricePayload, ctx, await pricing.overrideSectionPrice(ctx.app.pricing, ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => ClearSectionPriceOverridePayload, {
    description: "End a section's price override: the price stays and the pricing engine resumes from it. " + MUTATION_ERRORS,
  })
  async clearSectionPriceOverride(
    @Arg("eventId", () => ID, { description: "The event." }) eventId: string,
    @Arg("sectionId", () => ID, { description: "A section of the event." }) sectionId: string,
    @Ctx() ctx: Context,
  ) {
    return sectionPayload(ClearSectionPriceOverridePayload, ctx, await pricing.clearSectionPriceOverride(ctx.app.pricing, ctx.viewer!, { eventId, sectionId }));
  }
}

@Resolver(() => Event)
export class EventPricingResolver {
  @FieldResolver(() => Boolean, {
    description: "true when any section's price is dynamic (moves with demand within its published floor and ceiling).",
  })
  async dynamicPricing(@Root() event: Event, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.sectionPricingByEventId.load(event.id)).some((row) => row.dynamicPricing);
  }

  @FieldResolver(() => DynamicPriceRange, {
    nullable: true,
    description: "All-in price range of the dynamically priced sections (lowest floor to highest ceiling); null when no section is dynamic.",
  })
  async dynamicPriceRange(@Root() event: Event, @Ctx() ctx: Context): Promise<DynamicPriceRange | null> {
    const dynamic = (await ctx.loaders.sectionPricingByEventId.load(event.id)).filter((row) => row.dynamicPricing);
    if (dynamic.length === 0) return null;
    const floor = Math.min(...dynamic.map((row) => row.floorMinor));
    const ceiling = Math.max(...dynamic.map((row) => row.ceilingMinor));
    return Object.assign(new DynamicPriceRange(), {
      minAllIn: Money.of(await allInMinor(ctx, event.id, floor), event.currency),
      maxAllIn: Money.of(await allInMinor(ctx, event.id, ceiling), event.currency),
    });
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description:
      "The \"from\" price of event cards: the lowest all-in price (base + mandatory fees per ticket) now asked in a section with tickets " +
      "left, or in any section when none has; exactly what a hold of one such ticket charges. null when the event has no sections.",
  })
  async lowestAllInPrice(@Root() event: Event, @Ctx() ctx: Context): Promise<Money | null> {
    const sections = await ctx.loaders.eventSectionsByEventId.load(event.id);
    const candidates = sections.some((row) => row.available > 0) ? sections.filter((row) => row.available > 0) : sections;
    if (candidates.length === 0) return null;
    // The fee grows with the base price, so the cheapest base price is the cheapest all-in price.
    const lowest = Math.min(...candidates.map((row) => row.priceMinor));
    return Money.of(await allInMinor(ctx, event.id, lowest), event.currency);
  }

  @FieldResolver(() => Int, { description: "The pricing engine changes no price this many minutes before the event starts." })
  async pricingFreezeMinutes(@Root() event: Event, @Ctx() ctx: Context): Promise<number> {
    return (await eventPricing(ctx, event.id)).freezeMinutes;
  }

  @FieldResolver(() => PacingCurveEnum, { description: "Shape of the sell-through target the pricing engine paces sales against." })
  async pricingCurve(@Root() event: Event, @Ctx() ctx: Context): Promise<PacingCurve> {
    return (await eventPricing(ctx, event.id)).curve;
  }

  @FieldResolver(() => Date, { nullable: true, description: "When the pacing target expects the event sold out; null means when it starts." })
  async sellOutBy(@Root() event: Event, @Ctx() ctx: Context): Promise<Date | null> {
    return (await eventPricing(ctx, event.id)).sellOutAt;
  }

  @Authorized("PROMOTER")
  @Mutation(() => UpdateEventPricingPayload, {
    description:
      "Change an event's pacing settings: the freeze window (public; fixed from 24 hours before on-sale), the curve and the sell-out point " +
      "(between on-sale and the start). " +
      MUTATION_ERRORS,
  })
  async updateEventPricing(
    @Arg("input", () => UpdateEventPricingInput, { description: "The event and the settings to change." }) input: UpdateEventPricingInput,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof UpdateEventPricingPayload>> {
    const result = await pricing.updateEventPricing(ctx.app.pricing, ctx.viewer!, input);
    if (!result.ok) return Object.assign(new UpdateEventPricingPayload(), { event: null, errors: [UserError.from(result.error)] });
    ctx.loaders.eventById.clear(result.value);
    ctx.loaders.eventPricingById.clear(result.value);
    const row = await ctx.loaders.eventById.load(result.value);
    if (!row) throw new Error(`event ${result.value} is missing`);
    return Object.assign(new UpdateEventPricingPayload(), { event: toEvent(row), errors: [] });
  }
}

async function eventPricing(ctx: Context, eventId: string) {
  const row = await ctx.loaders.eventPricingById.load(eventId);
  if (!row) throw new Error(`event ${eventId} is missing`);
  return row;
}
