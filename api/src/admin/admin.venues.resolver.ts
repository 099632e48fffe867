import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../request-context.js";
import { ApiError, type DomainError, type Result } from "../platform/errors.js";
import { UserError } from "../platform/graphql.js";
import { pageWindow, sortColumn } from "./admin.types.js";
import type { SectionRow, SeatRow, VenueRow } from "./admin.venues.db.js";
import * as seatMap from "./admin.seat-map.service.js";
import * as venues from "./admin.venues.service.js";
import {
  AdminSeat,
  AdminSection,
  AdminVenue,
  AdminVenuePage,
  AdminVenuesArgs,
  CreateSectionInput,
  CreateVenueInput,
  DeleteSeatsInput,
  DeleteSeatsPayload,
  DeleteSectionPayload,
  DeleteVenuePayload,
  SeatLayout,
  SeatLayoutInput,
  SeatPayload,
  SectionPayload,
  UpdateSeatInput,
  UpdateSectionInput,
  UpdateVenueInput,
  VENUE_ERRORS,
  VenuePayload,
} from "./admin.venues.types.js";

const ERRORS = `${VENUE_ERRORS} A viewer who is no promoter or admin gets FORBIDDEN (anonymous: UNAUTHENTICATED) as a GraphQL error.`;

export const toAdminVenue = (row: VenueRow): AdminVenue => Object.assign(new AdminVenue(), { ...row, address: row.address === "" ? null : row.address });

export const toAdminSection = (row: SectionRow): AdminSection =>
  Object.assign(new AdminSection(), { ...row, layout: row.layout === null ? null : Object.assign(new SeatLayout(), row.layout) });

export const toAdminSeat = (row: SeatRow): AdminSeat => Object.assign(new AdminSeat(), row);

const errors = (error: DomainError) => [UserError.from(error)];

async function sectionPayload(ctx: Context, result: Result<string>): Promise<SectionPayload> {
  if (!result.ok) return Object.assign(new SectionPayload(), { section: null, errors: errors(result.error) });
  const row = await venues.sectionById(ctx.app.db.pool, result.value);
  if (!row) throw new Error(`section ${result.value} is missing`);
  return Object.assign(new SectionPayload(), { section: toAdminSection(row), errors: [] });
}

@Resolver(() => AdminVenue)
export class AdminVenueResolver {
  @FieldResolver(() => [AdminSection], { description: "Its sections in display order." })
  async sections(@Root() venue: AdminVenue, @Ctx() ctx: Context): Promise<AdminSection[]> {
    return (await ctx.loaders.adminSectionsByVenueId.load(venue.id)).map(toAdminSection);
  }

  @Authorized("PROMOTER")
  @Query(() => AdminVenuePage, {
    description: `Venues the viewer manages (an admin: all), one page. Sort fields: ${venues.VENUE_SORT_FIELDS.join(", ")}. VALIDATION for a bad page or sort field.`,
  })
  async adminVenues(@Args(() => AdminVenuesArgs) args: AdminVenuesArgs, @Ctx() ctx: Context): Promise<AdminVenuePage> {
    const window = pageWindow(args);
    if ("error" in window) throw new ApiError("VALIDATION", window.error, "page");
    const orderBy = sortColumn(venues.VENUE_SORT_COLUMNS, args.sortField, "name");
    if (orderBy === null) throw new ApiError("VALIDATION", `sortField must be one of ${venues.VENUE_SORT_FIELDS.join(", ")}`, "sortField");
    if ((args.filter?.ids?.length ?? 0) > 100) throw new ApiError("VALIDATION", "filter.ids takes at most 100 ids", "filter");
    const { rows, total } = await venues.listVenues(ctx.app.db.pool, ctx.viewer!, {
      ...window,
      orderBy,
      descending: args.sortOrder === "DESC",
      q: args.filter?.q ?? null,
      ids: args.filter?.ids ?? null,
    });
    return Object.assign(new AdminVenuePage(), { items: rows.map(toAdminVenue), total });
  }

  @Authorized("PROMOTER")
  @Query(() => AdminVenue, { nullable: true, description: "One venue; null when unknown or not the viewer's to manage." })
  async adminVenue(@Arg("id", () => ID, { description: "The venue." }) id: string, @Ctx() ctx: Context): Promise<AdminVenue | null> {
    const row = await venues.findVenue(ctx.app.db.pool, ctx.viewer!, id);
    return row ? toAdminVenue(row) : null;
  }

  @Authorized("PROMOTER")
  @Query(() => [AdminSeat], {
    description: "Every seat of a venue, compact, for the seat-map preview (an arena: about 19,000). NOT_FOUND when unknown or not the viewer's.",
  })
  async adminVenueSeats(@Arg("venueId", () => ID, { description: "The venue." }) venueId: string, @Ctx() ctx: Context): Promise<AdminSeat[]> {
    const rows = await venues.venueSeats(ctx.app.db.pool, ctx.viewer!, venueId);
    if (!rows) throw new ApiError("NOT_FOUND", "no such venue", "venueId");
    return rows.map(toAdminSeat);
  }

  @Authorized("PROMOTER")
  @Mutation(() => VenuePayload, { description: `Create a venue (a promoter's: for its organization). Audited. ${ERRORS}` })
  async createVenue(@Arg("input", () => CreateVenueInput, { description: "The venue." }) input: CreateVenueInput, @Ctx() ctx: Context): Promise<VenuePayload> {
    return venuePayload(ctx, await venues.createVenue(ctx.app.db.pool, ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => VenuePayload, { description: `Change a venue's details. Audited. ${ERRORS}` })
  async updateVenue(@Arg("input", () => UpdateVenueInput, { description: "The venue and the changes." }) input: UpdateVenueInput, @Ctx() ctx: Context): Promise<VenuePayload> {
    return venuePayload(ctx, await venues.updateVenue(ctx.app.db.pool, ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => DeleteVenuePayload, { description: `Delete a venue with its sections and seats; VALIDATION when an event uses it. Audited. ${ERRORS}` })
  async deleteVenue(@Arg("id", () => ID, { description: "The venue." }) id: string, @Ctx() ctx: Context): Promise<DeleteVenuePayload> {
    const result = await venues.deleteVenue(ctx.app.db.pool, ctx.viewer!, id);
    return Object.assign(new DeleteVenuePayload(), result.ok ? { id: result.value, errors: [] } : { id: null, errors: errors(result.error) });
  }

  @Authorized("PROMOTER")
  @Mutation(() => SectionPayload, { description: `Add a section to a venue (seated, or general admission with a capacity). Audited. ${ERRORS}` })
  async createSection(@Arg("input", () => CreateSectionInput, { description: "The section." }) input: CreateSectionInput, @Ctx() ctx: Context): Promise<SectionPayload> {
    return sectionPayload(ctx, await seatMap.createSection(ctx.app.db.pool, ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => SectionPayload, { description: `Rename, reorder or resize (general admission) a section. Audited. ${ERRORS}` })
  async updateSection(@Arg("input", () => UpdateSectionInput, { description: "The section and the changes." }) input: UpdateSectionInput, @Ctx() ctx: Context): Promise<SectionPayload> {
    return sectionPayload(ctx, await seatMap.updateSection(ctx.app.db.pool, ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => DeleteSectionPayload, { description: `Delete a section; VALIDATION when an event has sold or held seats (or places) in it. Audited. ${ERRORS}` })
  async deleteSection(@Arg("id", () => ID, { description: "The section." }) id: string, @Ctx() ctx: Context): Promise<DeleteSectionPayload> {
    const result = await seatMap.deleteSection(ctx.app.db.pool, ctx.viewer!, id);
    return Object.assign(new DeleteSectionPayload(), result.ok ? { id: result.value, errors: [] } : { id: null, errors: errors(result.error) });
  }

  @Authorized("PROMOTER")
  @Mutation(() => SectionPayload, {
    description:
      "Replace a seated section's rows and seats with ones generated from the parameters (kept as the section's layout). " +
      "VALIDATION when any event has a sold or held seat in the section; events that sell the section get the new seats, all available. " +
      `Audited. ${ERRORS}`,
  })
  async generateSectionSeats(@Arg("input", () => SeatLayoutInput, { description: "The section and the layout." }) input: SeatLayoutInput, @Ctx() ctx: Context): Promise<SectionPayload> {
    return sectionPayload(ctx, await seatMap.generateSectionSeats(ctx.app.db.pool, ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => DeleteSeatsPayload, {
    description: `Remove 1 to 1000 seats of one section; VALIDATION when an event has sold or held any of them, NOT_FOUND when one is not in the section. Audited. ${ERRORS}`,
  })
  async deleteSeats(@Arg("input", () => DeleteSeatsInput, { description: "The section and its seats." }) input: DeleteSeatsInput, @Ctx() ctx: Context): Promise<DeleteSeatsPayload> {
    const result = await seatMap.deleteSeats(ctx.app.db.pool, ctx.viewer!, input);
    return Object.assign(new DeleteSeatsPayload(), result.ok ? { deleted: result.value, errors: [] } : { deleted: 0, errors: errors(result.error) });
  }

  @Authorized("PROMOTER")
  @Mutation(() => SeatPayload, { description: `Change one seat's accessible or restricted-view flag or its number. Audited. ${ERRORS}` })
  async updateSeat(@Arg("input", () => UpdateSeatInput, { description: "The seat and the changes." }) input: UpdateSeatInput, @Ctx() ctx: Context): Promise<SeatPayload> {
    const result = await seatMap.updateSeat(ctx.app.db.pool, ctx.viewer!, input);
    if (!result.ok) return Object.assign(new SeatPayload(), { seat: null, errors: errors(result.error) });
    const row = await venues.seatById(ctx.app.db.pool, result.value);
    if (!row) throw new Error(`seat ${result.value} is missing`);
    return Object.assign(new SeatPayload(), { seat: toAdminSeat(row), errors: [] });
  }
}

async function venuePayload(ctx: Context, result: Result<string>): Promise<VenuePayload> {
  if (!result.ok) return Object.assign(new VenuePayload(), { venue: null, errors: errors(result.error) });
  const row = await venues.venueById(ctx.app.db.pool, result.value);
  if (!row) throw new Error(`venue ${result.value} is missing`);
  return Object.assign(new VenuePayload(), { venue: toAdminVenue(row), errors: [] });
}
