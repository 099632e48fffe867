import { Field, Float, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Event, EventCategoryEnum, type EventCategory } from "../catalogue/catalogue.types.js";
import { enumOf, PageInfo } from "../platform/graphql.js";
import type { SearchSort } from "@boxoffice/search-indexer/search-model";

export const SearchSortEnum = enumOf<SearchSort>(["RELEVANCE", "DATE", "DISTANCE", "TRENDING"]);
registerEnumType(SearchSortEnum, {
  name: "SearchSort",
  description: "RELEVANCE (needs text), DATE (soonest first), DISTANCE (needs near), TRENDING (most recent demand: views, holds, sales).",
});

@InputType({ description: "Within radiusKm of a point." })
export class GeoNear {
  @Field(() => Float, { description: "Latitude, -90 to 90." })
  lat!: number;

  @Field(() => Float, { description: "Longitude, -180 to 180." })
  lon!: number;

  @Field(() => Float, { description: "Radius in km, more than 0 and at most 20,000." })
  radiusKm!: number;
}

@InputType({
  description:
    "An event matches when its all-in price range overlaps this one: from the cheapest to the dearest section's all-in price " +
    "(base price + every mandatory fee per ticket, exactly what event cards show and checkout charges), in minor units of the " +
    "event's own currency (not converted).",
})
export class PriceRange {
  @Field(() => Int, { nullable: true, description: "Lowest all-in price, minor units (inclusive)." })
  min?: number | null;

  @Field(() => Int, { nullable: true, description: "Highest all-in price, minor units (inclusive)." })
  max?: number | null;
}

@InputType({ description: "Full-text, faceted and geo search over public events." })
export class EventSearchInput {
  @Field(() => String, { nullable: true, description: "Words of the name, artist, venue or city; typos tolerated." })
  text?: string | null;

  @Field(() => [EventCategoryEnum], { nullable: true, description: "Any of these categories." })
  category?: EventCategory[] | null;

  @Field(() => [String], { nullable: true, description: "Any of these cities (case-insensitive)." })
  city?: string[] | null;

  @Field(() => Date, { nullable: true, description: "Starting at or after." })
  startsAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: "Starting before." })
  startsBefore?: Date | null;

  @Field(() => PriceRange, { nullable: true, description: "All-in price range (base + mandatory fees per ticket), minor units; see PriceRange." })
  price?: PriceRange | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "Only events with tickets left." })
  onlyAvailable?: boolean | null;

  @Field(() => GeoNear, { nullable: true, description: "Only events near a point; without text, nearest first." })
  near?: GeoNear | null;

  @Field(() => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "endCursor of the previous page." })
  after?: string | null;

  @Field(() => SearchSortEnum, { nullable: true, description: "Order; by default relevance with text, distance with near, else date." })
  sort?: SearchSort | null;
}

// The answer's own types read their fields as plain properties (`simpleResolvers`: no type-graphql
// middleware or auth check per field; none of them has either). A search answer has tens of facet
// buckets and 20 hits, each field of which otherwise went through type-graphql's per-field wrapper.
@ObjectType({ description: "One value of a facet and how many events have it, given the other filters.", simpleResolvers: true })
export class FacetBucket {
  @Field(() => String, {
    description: "The value (a category, a city, or a price band `min-max`: the event's lowest all-in price, minor units, min inclusive, max exclusive).",
  })
  value!: string;

  @Field(() => Int, { description: "Events with this value." })
  count!: number;
}

@ObjectType({ description: "Counts per value of one field.", simpleResolvers: true })
export class Facet {
  @Field(() => String, { description: "category, city or price." })
  field!: string;

  @Field(() => [FacetBucket], { description: "Buckets, largest first (price bands in price order)." })
  buckets!: FacetBucket[];
}

@ObjectType({ description: "A matching event.", simpleResolvers: true })
export class EventSearchHit {
  @Field(() => Event, { description: "The event." })
  event!: Event;

  @Field(() => Float, { nullable: true, description: "Relevance to the text (engine-specific scale); null without text." })
  score?: number | null;

  @Field(() => Float, { nullable: true, description: "Distance from `near`, km." })
  distanceKm?: number | null;
}

@ObjectType({ description: "A page of search hits with facets.", simpleResolvers: true })
export class EventSearchResult {
  @Field(() => [EventSearchHit], { description: "This page." })
  hits!: EventSearchHit[];

  @Field(() => [Facet], { description: "category, city and price facets; each counts with every filter but its own." })
  facets!: Facet[];

  @Field(() => Int, { description: "All matches." })
  totalCount!: number;

  @Field(() => PageInfo, { description: "Where this page ends." })
  pageInfo!: PageInfo;

  @Field(() => String, { description: "The engine that answered: elasticsearch or postgresql." })
  engine!: string;
}
