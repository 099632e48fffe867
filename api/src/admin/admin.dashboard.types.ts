import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { SectionKindEnum, type SectionKind } from "../catalogue/catalogue.types.js";
import { Money } from "../platform/graphql.js";

@ObjectType({
  description:
    "A sum over a whole sale, in minor units with its currency. The amount is a Float holding an exact integer: a stadium's " +
    "revenue passes the 32 bits of Money.amount (21,474,836.47 in a two-decimal currency).",
})
export class MoneyTotal {
  @Field(() => Float, { description: "Minor units, a whole number, e.g. 1250 for 12.50." })
  amount!: number;

  @Field(() => String, { description: "ISO 4217 code, e.g. USD." })
  currency!: string;
}

@ObjectType({ description: "Paid tickets and their face value in one minute of the sale." })
export class SalesMinute {
  @Field(() => Date, { description: "Start of the minute." })
  minute!: Date;

  @Field(() => Int, { description: "Tickets paid in this minute (orders still paid now)." })
  tickets!: number;

  @Field(() => MoneyTotal, { description: "Face value of those tickets (fees excluded)." })
  revenue!: MoneyTotal;
}

@ObjectType({ description: "One price a section had: set by the pricing engine, a promoter, or initially." })
export class DashboardPriceChange {
  @Field(() => Money, { description: "The price from this change on." })
  price!: Money;

  @Field(() => Money, { nullable: true, description: "The price before; null for the initial price." })
  previousPrice!: Money | null;

  @Field(() => String, { description: 'Who changed it: "initial", "pricing-engine" or "promoter".' })
  reason!: string;

  @Field(() => String, { description: "The engine's one-line explanation (empty for other changes)." })
  explanation!: string;

  @Field(() => Date, { description: "When the price changed." })
  at!: Date;
}

@ObjectType({ description: "One section's sell-through and pricing on the dashboard." })
export class DashboardSection {
  @Field(() => ID, { description: "The venue section." })
  sectionId!: string;

  @Field(() => String, { description: "Section name." })
  name!: string;

  @Field(() => SectionKindEnum, { description: "SEATED or GENERAL_ADMISSION." })
  kind!: SectionKind;

  @Field(() => Int, { description: "Seats (seated) or places (general admission) on sale for the event." })
  total!: number;

  @Field(() => Int, { description: "Sold." })
  sold!: number;

  @Field(() => Int, { description: "Held now by fans (holds not yet expired)." })
  held!: number;

  @Field(() => Int, { description: "Blocked by the promoter (house seats, kills); always 0 for general admission." })
  blocked!: number;

  @Field(() => Int, { description: "On sale now: total − sold − held − blocked." })
  available!: number;

  @Field(() => Float, { description: "sold / total, 0 to 1." })
  sellThrough!: number;

  @Field(() => Money, { description: "Current price." })
  price!: Money;

  @Field(() => Money, { description: "The promoter's floor for the pricing engine." })
  floor!: Money;

  @Field(() => Money, { description: "The promoter's ceiling for the pricing engine." })
  ceiling!: Money;

  @Field(() => Boolean, { description: "The pricing engine moves this price with demand." })
  dynamicPricing!: boolean;

  @Field(() => Boolean, { description: "The promoter paused the engine for this section." })
  pricingPaused!: boolean;

  @Field(() => Boolean, { description: "A promoter's fixed price is in force." })
  overridden!: boolean;

  @Field(() => Date, { description: "When the price last changed." })
  priceUpdatedAt!: Date;

  @Field(() => String, { nullable: true, description: "The engine's last decision, changed or not, in one line; null before its first tick." })
  lastExplanation!: string | null;

  @Field(() => [String], { description: "Reason codes of that decision (pricing-engine guardrails)." })
  lastReasonCodes!: string[];

  @Field(() => Date, { nullable: true, description: "When the engine last computed this section; null before its first tick." })
  lastComputedAt!: Date | null;

  @Field(() => [DashboardPriceChange], { description: "The latest price changes (at most 30), oldest first." })
  priceHistory!: DashboardPriceChange[];
}

@ObjectType({ description: "The event's virtual waiting room now (all zero when it has none)." })
export class DashboardWaitingRoom {
  @Field(() => Boolean, { description: "The event uses a waiting room." })
  enabled!: boolean;

  @Field(() => Int, { description: "Fans waiting in the queue." })
  waiting!: number;

  @Field(() => Int, { description: "Fans in the pre-queue (joined before on-sale, not yet drawn)." })
  preQueue!: number;

  @Field(() => Int, { description: "Fans admitted so far." })
  admitted!: number;

  @Field(() => Int, { description: "Admitted fans shopping now." })
  active!: number;

  @Field(() => Int, { description: "Admitted fans who bought." })
  purchased!: number;

  @Field(() => Float, { description: "Measured admissions per minute." })
  admissionRatePerMinute!: number;

  @Field(() => Boolean, { description: "The room closed because the event sold out." })
  soldOut!: boolean;
}

@ObjectType({ description: "Active holds expiring within one minute of the next few: tickets that may come back on sale." })
export class ExpiringHoldsMinute {
  @Field(() => Int, { description: "0: within the next minute; 1: between one and two minutes from now; ..." })
  minutesFromNow!: number;

  @Field(() => Int, { description: "Holds expiring in that minute." })
  holds!: number;

  @Field(() => Int, { description: "Their tickets." })
  tickets!: number;
}

@ObjectType({ description: "A live snapshot of one event's sale for its promoters: sales, sell-through, waiting room, prices, expiring holds." })
export class SaleDashboard {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => String, { description: "The event's name." })
  eventName!: string;

  @Field(() => ID, { description: "Its venue (for the seat map)." })
  venueId!: string;

  @Field(() => String, { description: "The event's status, e.g. ON_SALE." })
  status!: string;

  @Field(() => Date, { description: "When this snapshot was computed." })
  generatedAt!: Date;

  @Field(() => Int, { description: "Tickets sold (paid, not refunded)." })
  ticketsSold!: number;

  @Field(() => Int, { description: "Paid orders (not refunded)." })
  orders!: number;

  @Field(() => MoneyTotal, { description: "Face value of the tickets sold (fees excluded)." })
  revenue!: MoneyTotal;

  @Field(() => MoneyTotal, { description: "What fans paid, fees included." })
  grossRevenue!: MoneyTotal;

  @Field(() => [SalesMinute], { description: "Tickets and revenue per minute over the last 60 minutes, oldest first; the last minute is the current one." })
  salesPerMinute!: SalesMinute[];

  @Field(() => [DashboardSection], { description: "Every section of the event, in venue order." })
  sections!: DashboardSection[];

  @Field(() => DashboardWaitingRoom, { description: "The waiting room's numbers." })
  waitingRoom!: DashboardWaitingRoom;

  @Field(() => [ExpiringHoldsMinute], { description: "Active holds expiring in each of the next 10 minutes." })
  holdsExpiring!: ExpiringHoldsMinute[];
}
