import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionTypes, enumOf, Money } from "../platform/graphql.js";

export const EVENT_STATUSES = ["DRAFT", "SCHEDULED", "ON_SALE", "SOLD_OUT", "CANCELLED", "ENDED"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export const EVENT_CATEGORIES = ["CONCERT", "SPORTS", "THEATER", "COMEDY", "FAMILY", "FESTIVAL", "OTHER"] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];
export type SectionKind = "SEATED" | "GENERAL_ADMISSION";
export type SeatStatus = "AVAILABLE" | "HELD" | "SOLD" | "BLOCKED";

export const EventStatusEnum = enumOf(EVENT_STATUSES);
export const EventCategoryEnum = enumOf(EVENT_CATEGORIES);
export const SectionKindEnum = enumOf<SectionKind>(["SEATED", "GENERAL_ADMISSION"]);
export const SeatStatusEnum = enumOf<SeatStatus>(["AVAILABLE", "HELD", "SOLD", "BLOCKED"]);

registerEnumType(EventStatusEnum, {
  name: "EventStatus",
  description: "Lifecycle: DRAFT → SCHEDULED → ON_SALE → SOLD_OUT / ENDED, or CANCELLED.",
});
registerEnumType(EventCategoryEnum, { name: "EventCategory", description: "Kind of event." });
registerEnumType(SectionKindEnum, { name: "SectionKind", description: "Numbered seats or standing places." });
registerEnumType(SeatStatusEnum, { name: "SeatStatus", description: "Live status of a seat for one event." });

@ObjectType({ description: "A WGS 84 coordinate." })
export class GeoPoint {
  @Field(() => Float, { description: "Latitude in degrees." })
  lat!: number;

  @Field(() => Float, { description: "Longitude in degrees." })
  lon!: number;
}

@ObjectType({ description: "A rectangle on a venue map, in map units." })
export class MapRect {
  @Field(() => Float, { description: "Left edge." })
  x!: number;

  @Field(() => Float, { description: "Top edge." })
  y!: number;

  @Field(() => Float, { description: "Width." })
  width!: number;

  @Field(() => Float, { description: "Height." })
  height!: number;
}

@ObjectType({ description: "Drawing extent of a venue map (map units, y grows away from the stage) and its stage." })
export class VenueMap {
  @Field(() => MapRect, { description: "The area every section and seat lies in." })
  bounds!: MapRect;

  @Field(() => MapRect, { nullable: true, description: "The stage, pitch or rink." })
  stage!: MapRect | null;
}

@ObjectType({ description: "Outline of a section on the venue map." })
export class SectionShape {
  @Field(() => [Float], { description: "Polygon as flat x, y pairs in map units: [x1, y1, x2, y2, …]." })
  polygon!: number[];

  @Field(() => Float, { description: "Where to print the section's name." })
  labelX!: number;

  @Field(() => Float, { description: "Where to print the section's name." })
  labelY!: number;
}

// Section and Seat are plain data too (`simpleResolvers`); their @FieldResolvers elsewhere keep their resolvers.
@ObjectType({ description: "A part of a venue: numbered seats or a standing area.", simpleResolvers: true })
export class Section {
  @Field(() => ID, { description: "Stable id." })
  id!: string;

  @Field(() => String, { description: "Name as printed on tickets, e.g. 101 or Stalls Centre." })
  name!: string;

  @Field(() => SectionKindEnum, { description: "Seated or general admission." })
  kind!: SectionKind;

  @Field(() => Int, { description: "Seats, or standing places for general admission." })
  capacity!: number;

  @Field(() => SectionShape, { nullable: true, description: "Outline on the venue map; null when not drawn." })
  shape!: SectionShape | null;

  venueId!: string;
}

@ObjectType({ description: "A place where events happen." })
export class Venue {
  @Field(() => ID, { description: "Stable id." })
  id!: string;

  @Field(() => String, { description: "Venue name." })
  name!: string;

  @Field(() => String, { description: "City." })
  city!: string;

  @Field(() => String, { description: "ISO 3166-1 alpha-2 country code." })
  country!: string;

  @Field(() => GeoPoint, { description: "Where the venue is." })
  location!: GeoPoint;

  @Field(() => String, { description: "IANA time zone; event times are shown in it." })
  timezone!: string;

  @Field(() => Int, { description: "Seats plus standing places." })
  capacity!: number;

  @Field(() => VenueMap, { nullable: true, description: "Map extent and stage; null when the venue has no map." })
  map!: VenueMap | null;
}

@ObjectType({ description: "A city with venues that have public events, for a \"near me\" city picker." })
export class City {
  @Field(() => String, { description: "City name as in Venue.city." })
  name!: string;

  @Field(() => String, { description: "ISO 3166-1 alpha-2 country code." })
  country!: string;

  @Field(() => GeoPoint, { description: "Centre of the city's venues." })
  location!: GeoPoint;

  @Field(() => String, { description: "IANA time zone of the city's venues (the most common one), e.g. America/Chicago." })
  timezone!: string;
}

@ObjectType({
  description:
    "Every seat of one seated section in a compact, column-wise form for drawing a whole venue at once " +
    "(index i of each list is one seat, in row then seat-number order). Event.seats gives the same seats as objects. " +
    "A client that draws the map need not ask for seatIds (most of the answer's size): a seat is named by its section, " +
    "row and number, which is what HoldSeatsInput.seats and SeatStatusChange.row/number carry. xSteps and ySteps carry " +
    "the positions in about a third of the compressed size of x and y.",
})
export class SectionSeatMap {
  @Field(() => ID, { description: "The section." })
  sectionId!: string;

  @Field(() => [ID], { description: "Seat ids." })
  seatIds!: string[];

  @Field(() => [String], { description: "Row labels." })
  rows!: string[];

  @Field(() => [Int], { description: "Seat numbers." })
  numbers!: number[];

  @Field(() => [Float], { description: "x positions in map units." })
  x!: number[];

  @Field(() => [Float], { description: "y positions in map units." })
  y!: number[];

  @Field(() => [Int], {
    description:
      "x positions compactly: in tenths of a map unit (rounded to 0.1 map unit), the first seat's absolute and each next " +
      "seat's as the difference from the previous seat's. Seat i's x is the sum of the first i + 1 steps divided by 10.",
  })
  xSteps!: number[];

  @Field(() => [Int], {
    description:
      "y positions compactly: in tenths of a map unit (rounded to 0.1 map unit), the first seat's absolute and each next " +
      "seat's as the difference from the previous seat's. Seat i's y is the sum of the first i + 1 steps divided by 10.",
  })
  ySteps!: number[];

  @Field(() => String, {
    description:
      "Live status, one letter per seat: A available, H held, S sold, B blocked (an expired hold shows as A). " +
      "seatStatusChanged carries later changes.",
  })
  statuses!: string;

  @Field(() => String, {
    description:
      "Seat features, one hexadecimal digit per seat: the sum of 1 aisle seat, 2 wheelchair space (accessible), " +
      "4 companion seat (beside a wheelchair space), 8 restricted view; 0 for none.",
  })
  features!: string;
}

// Event's own fields are plain data read by property (`simpleResolvers`: none has a middleware or an
// auth rule, so type-graphql's per-field wrapper only read the property anyway); graphql-jit then
// reads them inline. A search page resolves them for 20 hits per request. The field resolvers on Event
// (venue, sections, seats, prices…) keep type-graphql's full handling.
@ObjectType({ description: "Something fans can buy tickets for.", simpleResolvers: true })
export class Event {
  @Field(() => ID, { description: "Stable id." })
  id!: string;

  @Field(() => String, { description: "Event title." })
  name!: string;

  @Field(() => String, { description: "Headliner, team or company." })
  artist!: string;

  @Field(() => EventCategoryEnum, { description: "Kind of event." })
  category!: EventCategory;

  @Field(() => EventStatusEnum, { description: "Where the event is in its lifecycle." })
  status!: EventStatus;

  @Field(() => Date, { description: "When doors open / the show starts." })
  startsAt!: Date;

  @Field(() => Date, { description: "When tickets go on sale." })
  onSaleAt!: Date;

  @Field(() => Boolean, { description: "true when buyers must pass the virtual waiting room before holding seats." })
  waitingRoomEnabled!: boolean;

  @Field(() => Boolean, { description: "true when the event runs a presale: fans with an access code (joinWaitingRoom's accessCode) or on the verified-fan list go ahead of the general queue." })
  presaleEnabled!: boolean;

  @Field(() => Int, { description: "How long a hold lasts." })
  holdDurationSeconds!: number;

  @Field(() => Int, { description: "Most seats one account may hold or buy for this event." })
  maxSeatsPerUser!: number;

  @Field(() => String, { description: "Currency of all prices of this event." })
  currency!: string;

  venueId!: string;
  organizationId!: string;
}

@ObjectType({ description: "A section of an event's venue with its current price and availability." })
export class EventSection {
  @Field(() => Section, { description: "The venue section." })
  section!: Section;

  @Field(() => Money, { description: "Current base price set by the pricing engine (before fees)." })
  price!: Money;

  @Field(() => Int, { description: "Seats or places still on sale (may be a few seconds stale)." })
  available!: number;

  @Field(() => Int, { description: "Sellable seats or places of the section for this event." })
  total!: number;

  eventId!: string;
}

@ObjectType({ description: "A numbered seat with its live status for one event.", simpleResolvers: true })
export class Seat {
  @Field(() => ID, { description: "Stable id." })
  id!: string;

  @Field(() => String, { description: "Row label as printed on the ticket." })
  row!: string;

  @Field(() => Int, { description: "Seat number within the row." })
  number!: number;

  @Field(() => Float, { description: "Position on the section's map, in map units." })
  x!: number;

  @Field(() => Float, { description: "Position on the section's map, in map units." })
  y!: number;

  @Field(() => SeatStatusEnum, { description: "Live status; an expired hold shows as AVAILABLE." })
  status!: SeatStatus;

  sectionId!: string;
}

@InputType({ description: "Narrows the public event list. All given filters must match." })
export class EventFilter {
  @Field(() => EventCategoryEnum, { nullable: true, description: "Only this category." })
  category?: EventCategory | null;

  @Field(() => ID, { nullable: true, description: "Only events at this venue." })
  venueId?: string | null;

  @Field(() => String, { nullable: true, description: "Only events in this city (case-insensitive)." })
  city?: string | null;

  @Field(() => String, { nullable: true, description: "Artist name contains this (case-insensitive)." })
  artist?: string | null;

  @Field(() => Date, { nullable: true, description: "Only events starting at or after this time." })
  startsAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: "Only events starting before this time." })
  startsBefore?: Date | null;
}

export const { Edge: EventEdge, Connection: EventConnection } = connectionTypes(Event, "Event");
export type EventConnection = InstanceType<typeof EventConnection>;
