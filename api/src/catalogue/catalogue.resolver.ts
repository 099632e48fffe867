import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../request-context.js";
import { DEMAND_WEIGHT } from "../search/search.trending.js";
import { Money, parseId, selectsSubfield, type Page } from "../platform/graphql.js";
import { tenthSteps } from "./catalogue.seat-map-encoding.js";
import * as db from "./catalogue.db.js";
import * as catalogue from "./catalogue.service.js";
import {
  City,
  Event,
  EventConnection,
  EventFilter,
  EventSection,
  GeoPoint,
  MapRect,
  Seat,
  Section,
  SectionSeatMap,
  SectionShape,
  Venue,
  VenueMap,
} from "./catalogue.types.js";

export const toEvent = (row: db.EventRow): Event => Object.assign(new Event(), row);
export const toSection = (row: db.SectionRow): Section =>
  Object.assign(new Section(), row, { shape: toSectionShape(row.shape) });

export function toVenue(row: db.VenueRow): Venue {
  const { latitude, longitude, map, ...rest } = row;
  return Object.assign(new Venue(), rest, {
    location: Object.assign(new GeoPoint(), { lat: latitude, lon: longitude }),
    map: toVenueMap(map),
  });
}

const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

function toRect(value: unknown): MapRect | null {
  const rect = value as Partial<Record<"x" | "y" | "width" | "height", unknown>> | null | undefined;
  if (!rect || ![rect.x, rect.y, rect.width, rect.height].every(isNumber)) return null;
  return Object.assign(new MapRect(), { x: rect.x, y: rect.y, width: rect.width, height: rect.height });
}

/** The stored map JSON (`{ origin: {x, y}, width, height, stage: {x, y, width, height} }`), or null. */
function toVenueMap(value: unknown): VenueMap | null {
  const map = value as { origin?: { x?: unknown; y?: unknown }; width?: unknown; height?: unknown; stage?: unknown } | null;
  const bounds = toRect({ x: map?.origin?.x, y: map?.origin?.y, width: map?.width, height: map?.height });
  return bounds ? Object.assign(new VenueMap(), { bounds, stage: toRect(map?.stage) }) : null;
}

/** The stored shape JSON (`{ polygon: [[x, y], …], label: [x, y] }`), or null when not drawn. */
function toSectionShape(value: unknown): SectionShape | null {
  const shape = value as { polygon?: unknown; label?: unknown } | null;
  const polygon = Array.isArray(shape?.polygon) ? (shape.polygon as unknown[]) : [];
  const points = polygon.filter((point): point is [number, number] => Array.isArray(point) && point.every(isNumber));
  if (points.length < 3) return null;
  const label = Array.isArray(shape?.label) && shape.label.every(isNumber) ? (shape.label as number[]) : points[0]!;
  return Object.assign(new SectionShape(), { polygon: points.flat(), labelX: label[0], labelY: label[1] });
}

function toEventConnection(page: Page<db.EventRow>): EventConnection {
  return EventConnection.from({ ...page, items: page.items.map((item) => ({ ...item, node: toEvent(item.node) })) });
}

export function toEventSection(row: db.EventSectionRow): EventSection {
  return Object.assign(new EventSection(), {
    eventId: row.eventId,
    section: toSection(row.section),
    price: Money.of(row.priceMinor, row.currency),
    available: row.available,
    total: row.total,
  });
}

/** A section's seat map with its positions also as steps (xSteps, ySteps), computed here for whichever parent asks. */
export const toSectionSeatMap = (row: db.SeatMapRow): SectionSeatMap =>
  Object.assign(new SectionSeatMap(), row, { xSteps: tenthSteps(row.x), ySteps: tenthSteps(row.y) });

@Resolver(() => Event)
export class EventResolver {
  @Query(() => EventConnection, {
    description: "Events that are visible to the public (not DRAFT), newest on-sale first unless sorted.",
  })
  async events(
    @Arg("filter", () => EventFilter, { nullable: true, description: "Narrow the list." }) filter: EventFilter | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<EventConnection> {
    const page = await catalogue.listEvents(ctx.app.db.pool, { kind: "public" }, { filter, first, after });
    return toEventConnection(page);
  }

  @Authorized("PROMOTER")
  @Query(() => EventConnection, {
    description:
      "Events the signed-in promoter manages (their organization's, drafts included; all for admins). " +
      "Errors: UNAUTHENTICATED, FORBIDDEN.",
  })
  async managedEvents(
    @Arg("filter", () => EventFilter, { nullable: true, description: "Narrow the list." }) filter: EventFilter | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<EventConnection> {
    const scope = catalogue.managedScope(ctx.viewer!);
    const page = await catalogue.listEvents(ctx.app.db.pool, scope, { filter, first, after });
    return toEventConnection(page);
  }

  @Query(() => Event, { nullable: true, description: "One event by id; null when it does not exist or is not public." })
  async event(@Arg("id", () => ID, { description: "Event id." }) id: string, @Ctx() ctx: Context): Promise<Event | null> {
    const row = await catalogue.findVisibleEvent(ctx.loaders, ctx.viewer, id);
    // A page view counts toward the TRENDING search sort.
    if (row) ctx.app.trending.record(row.id, DEMAND_WEIGHT.view);
    return row ? toEvent(row) : null;
  }

  @FieldResolver(() => Venue, { description: "Where the event happens." })
  async venue(@Root() event: Event, @Ctx() ctx: Context): Promise<Venue> {
    const row = await ctx.loaders.venueById.load(event.venueId);
    if (!row) throw new Error(`venue ${event.venueId} of event ${event.id} is missing`);
    return toVenue(row);
  }

  @FieldResolver(() => [EventSection], {
    description: "Per-section price and availability (availability may be a few seconds stale).",
  })
  async sections(@Root() event: Event, @Ctx() ctx: Context): Promise<EventSection[]> {
    return (await ctx.loaders.eventSectionsByEventId.load(event.id)).map(toEventSection);
  }

  // Query cost (platform/graphql-limits.ts): one section's seats, up to a few thousand rows.
  @FieldResolver(() => [Seat], { description: "Seats of one seated section with their live status.", complexity: 50 })
  async seats(
    @Root() event: Event,
    @Arg("sectionId", () => ID, { description: "A section of the event's venue." }) sectionId: string,
    @Ctx() ctx: Context,
  ): Promise<Seat[]> {
    const id = parseId(sectionId, "sectionId");
    const rows = await ctx.loaders.seatsByEventSection.load({ eventId: event.id, sectionId: id });
    if (rows.length > 0) ctx.app.demand.section(event.id, id, "views");
    return rows.map((row) => Object.assign(new Seat(), row));
  }

  // Query cost (platform/graphql-limits.ts): every seat of the venue (an arena's map is about 1 MB and
  // one long read), so GRAPHQL_MAX_COST's default lets a request ask for a few, never hundreds.
  @FieldResolver(() => [SectionSeatMap], {
    description: "Every seated section's seats with live status in one compact read, for drawing the whole venue.",
    complexity: 500,
  })
  async seatMap(@Root() event: Event, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<SectionSeatMap[]> {
    const rows = await db.findSeatMap(ctx.app.db.pool, event.id, { seatIds: selectsSubfield(info, "seatIds") });
    for (const row of rows) ctx.app.demand.section(event.id, row.sectionId, "views");
    return rows.map(toSectionSeatMap);
  }

  @Query(() => [City], { description: "Cities with public events, with a location for \"near me\" searches." })
  async cities(@Ctx() ctx: Context): Promise<City[]> {
    return (await db.findCities(ctx.app.db.pool)).map((row) =>
      Object.assign(new City(), {
        name: row.name,
        country: row.country,
        location: Object.assign(new GeoPoint(), { lat: row.latitude, lon: row.longitude }),
        timezone: row.timezone,
      }),
    );
  }
}

@Resolver(() => Venue)
export class VenueResolver {
  @Query(() => Venue, { nullable: true, description: "One venue by id." })
  async venue(@Arg("id", () => ID, { description: "Venue id." }) id: string, @Ctx() ctx: Context): Promise<Venue | null> {
    const row = await ctx.loaders.venueById.load(parseId(id));
    return row ? toVenue(row) : null;
  }

  @FieldResolver(() => [Section], { description: "Sections in map order." })
  async sections(@Root() venue: Venue, @Ctx() ctx: Context): Promise<Section[]> {
    return (await ctx.loaders.sectionsByVenueId.load(venue.id)).map(toSection);
  }
}
