import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { SectionKindEnum } from "../catalogue/catalogue.types.js";
import type { SectionKind } from "../catalogue/catalogue.types.js";
import { enumOf, UserError } from "../platform/graphql.js";
import { NUMBERINGS, type Numbering } from "./admin.seat-map.js";
import { AdminPageArgs } from "./admin.types.js";

export const SeatNumberingEnum = enumOf(NUMBERINGS);
registerEnumType(SeatNumberingEnum, {
  name: "SeatNumbering",
  description: "Which way seat numbers run along a row, seen from the stage: LEFT_TO_RIGHT or RIGHT_TO_LEFT.",
});

@ObjectType("LayoutSeatRef", { description: "A seat, as identified in a layout's parameters: its row label and number." })
export class SeatRefObject {
  @Field(() => String, { description: "Row label, e.g. A." })
  row!: string;

  @Field(() => Int, { description: "Seat number in the row." })
  number!: number;
}

@InputType({ description: "A seat of a layout by its row label and number." })
export class SeatRef {
  @Field(() => String, { description: "Row label, e.g. A." })
  row!: string;

  @Field(() => Int, { description: "Seat number in the row." })
  number!: number;
}

@ObjectType({ description: "The parameters a section's seats were generated from (see generateSectionSeats)." })
export class SeatLayout {
  @Field(() => Int, { description: "Rows, 1 to 200." })
  rows!: number;

  @Field(() => Int, { description: "Seats per row, 1 to 200." })
  seatsPerRow!: number;

  @Field(() => Float, { description: "0 (straight rows) to 1 (the front row a half circle around the stage side)." })
  curvature!: number;

  @Field(() => Float, { description: "Degrees the section is rotated about its origin (clockwise on the map)." })
  angle!: number;

  @Field(() => Float, { description: "Map x of the centre of the front row." })
  originX!: number;

  @Field(() => Float, { description: "Map y of the centre of the front row." })
  originY!: number;

  @Field(() => Float, { description: "Distance between neighbouring seats, map units." })
  seatSpacing!: number;

  @Field(() => Float, { description: "Distance between rows, map units." })
  rowSpacing!: number;

  @Field(() => [Int], { description: "Seat positions (1-based, left to right) after which an aisle gap is left." })
  aisles!: number[];

  @Field(() => SeatNumberingEnum, { description: "Which way seat numbers run." })
  numbering!: Numbering;

  @Field(() => String, { description: 'Label of the front row: a letter ("A") or a number ("1").' })
  firstRowLabel!: string;

  @Field(() => [SeatRefObject], { description: "Seats marked accessible (wheelchair) when generated." })
  accessibleSeats!: SeatRefObject[];

  @Field(() => [SeatRefObject], { description: "Seats marked as having a restricted view when generated." })
  restrictedViewSeats!: SeatRefObject[];
}

@ObjectType({ description: "A section of a venue, as the admin console edits it." })
export class AdminSection {
  @Field(() => ID, { description: "Section id." })
  id!: string;

  @Field(() => ID, { description: "Its venue." })
  venueId!: string;

  @Field(() => String, { description: "Name, unique within the venue." })
  name!: string;

  @Field(() => SectionKindEnum, { description: "SEATED or GENERAL_ADMISSION." })
  kind!: SectionKind;

  @Field(() => Int, { description: "Seats (seated) or places (general admission)." })
  capacity!: number;

  @Field(() => Int, { description: "Display order within the venue." })
  sortOrder!: number;

  @Field(() => Int, { description: "Number of seat rows (0 for general admission)." })
  rows!: number;

  @Field(() => Int, { description: "Number of seats (0 for general admission)." })
  seats!: number;

  @Field(() => SeatLayout, { nullable: true, description: "The parameters the seats were last generated from, or null." })
  layout!: SeatLayout | null;
}

@ObjectType({ description: "A venue, as the admin console edits it." })
export class AdminVenue {
  @Field(() => ID, { description: "Venue id." })
  id!: string;

  @Field(() => ID, { nullable: true, description: "The organization that manages it; null for a platform venue (admins only)." })
  organizationId!: string | null;

  @Field(() => String, { description: "Name." })
  name!: string;

  @Field(() => String, { description: "URL-safe unique key, generated from the name." })
  slug!: string;

  @Field(() => String, { nullable: true, description: "Street address; null when none was given." })
  address!: string | null;

  @Field(() => String, { description: "City." })
  city!: string;

  @Field(() => String, { description: "ISO 3166-1 alpha-2 country code." })
  country!: string;

  @Field(() => String, { description: "IANA time zone, e.g. Europe/London; event times are shown in it." })
  timezone!: string;

  @Field(() => Float, { description: "Latitude, degrees." })
  latitude!: number;

  @Field(() => Float, { description: "Longitude, degrees." })
  longitude!: number;

  @Field(() => Int, { description: "Seats plus general-admission places over all sections." })
  capacity!: number;

  @Field(() => Date, { description: "When it was created." })
  createdAt!: Date;
}

@ObjectType({ description: "One page of venues, with the count over all pages." })
export class AdminVenuePage {
  @Field(() => [AdminVenue], { description: "The venues of this page." })
  items!: AdminVenue[];

  @Field(() => Int, { description: "Venues matching the filter over all pages." })
  total!: number;
}

// An arena's preview reads ~19,000 of these at once: plain property reads, no per-field middleware.
@ObjectType({ description: "A seat of a venue, compact, for the seat-map editor and its preview.", simpleResolvers: true })
export class AdminSeat {
  @Field(() => ID, { description: "Seat id." })
  id!: string;

  @Field(() => ID, { description: "Its section." })
  sectionId!: string;

  @Field(() => String, { description: "Row label." })
  row!: string;

  @Field(() => Int, { description: "Seat number in the row." })
  number!: number;

  @Field(() => Float, { description: "Map x." })
  x!: number;

  @Field(() => Float, { description: "Map y (grows away from the top of the map)." })
  y!: number;

  @Field(() => Boolean, { description: "Wheelchair accessible." })
  accessible!: boolean;

  @Field(() => Boolean, { description: "The view of the stage is partly blocked." })
  restrictedView!: boolean;
}

@InputType({ description: "Narrows the venue list." })
export class AdminVenueFilter {
  @Field(() => String, { nullable: true, description: "Part of the name or city (case-insensitive)." })
  q?: string | null;

  @Field(() => [ID], { nullable: true, description: "Only these venues (react-admin's getMany)." })
  ids?: string[] | null;
}

@ArgsType()
export class AdminVenuesArgs extends AdminPageArgs {
  @Field(() => AdminVenueFilter, { nullable: true, description: "Filter; every venue the viewer may see when absent." })
  filter?: AdminVenueFilter | null;
}

@InputType({ description: "A new venue." })
export class CreateVenueInput {
  @Field(() => String, { description: "Name, 1 to 200 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: "Street address, up to 300 characters." })
  address?: string | null;

  @Field(() => String, { description: "City, 1 to 100 characters." })
  city!: string;

  @Field(() => String, { description: "ISO 3166-1 alpha-2 country code, e.g. GB." })
  country!: string;

  @Field(() => String, { description: "IANA time zone, e.g. Europe/London (validated)." })
  timezone!: string;

  @Field(() => Float, { description: "Latitude, -90 to 90." })
  latitude!: number;

  @Field(() => Float, { description: "Longitude, -180 to 180." })
  longitude!: number;

  @Field(() => ID, {
    nullable: true,
    description: "Admins only: the organization that will manage it (omit for a platform venue). A promoter's venue is always its own organization's.",
  })
  organizationId?: string | null;
}

@InputType({ description: "Changes to a venue; omitted fields stay as they are." })
export class UpdateVenueInput {
  @Field(() => ID, { description: "The venue." })
  id!: string;

  @Field(() => String, { nullable: true, description: "Name, 1 to 200 characters." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "Street address, up to 300 characters." })
  address?: string | null;

  @Field(() => String, { nullable: true, description: "City, 1 to 100 characters." })
  city?: string | null;

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2 country code." })
  country?: string | null;

  @Field(() => String, { nullable: true, description: "IANA time zone (validated)." })
  timezone?: string | null;

  @Field(() => Float, { nullable: true, description: "Latitude, -90 to 90." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "Longitude, -180 to 180." })
  longitude?: number | null;
}

@InputType({ description: "A new section of a venue." })
export class CreateSectionInput {
  @Field(() => ID, { description: "The venue." })
  venueId!: string;

  @Field(() => String, { description: "Name, 1 to 100 characters, unique within the venue." })
  name!: string;

  @Field(() => SectionKindEnum, { description: "SEATED (seats from generateSectionSeats) or GENERAL_ADMISSION." })
  kind!: SectionKind;

  @Field(() => Int, { nullable: true, description: "General admission only: places, 1 to 1,000,000." })
  capacity?: number | null;
}

@InputType({ description: "Changes to a section; omitted fields stay as they are." })
export class UpdateSectionInput {
  @Field(() => ID, { description: "The section." })
  id!: string;

  @Field(() => String, { nullable: true, description: "Name, 1 to 100 characters, unique within the venue." })
  name?: string | null;

  @Field(() => Int, { nullable: true, description: "General admission only: places (not below what any event has held or sold)." })
  capacity?: number | null;

  @Field(() => Int, { nullable: true, description: "Display order within the venue, 0 to 10000." })
  sortOrder?: number | null;
}

@InputType({ description: "Parameters of a seated section's rows and seats (the builder's form)." })
export class SeatLayoutInput {
  @Field(() => ID, { description: "The seated section." })
  sectionId!: string;

  @Field(() => Int, { description: "Rows, 1 to 200." })
  rows!: number;

  @Field(() => Int, { description: "Seats per row, 1 to 200." })
  seatsPerRow!: number;

  @Field(() => Float, { defaultValue: 0, description: "0 (straight rows) to 1 (the front row a half circle)." })
  curvature!: number;

  @Field(() => Float, { defaultValue: 0, description: "Degrees the section is rotated about its origin (clockwise on the map), -360 to 360." })
  angle!: number;

  @Field(() => Float, { defaultValue: 0, description: "Map x of the centre of the front row." })
  originX!: number;

  @Field(() => Float, { defaultValue: 0, description: "Map y of the centre of the front row." })
  originY!: number;

  @Field(() => Float, { defaultValue: 1, description: "Distance between neighbouring seats, map units (0.01 to 1000)." })
  seatSpacing!: number;

  @Field(() => Float, { defaultValue: 1, description: "Distance between rows, map units (0.01 to 1000)." })
  rowSpacing!: number;

  @Field(() => [Int], { defaultValue: [], description: "Seat positions (1-based, left to right) after which an aisle gap of one seat is left." })
  aisles!: number[];

  @Field(() => SeatNumberingEnum, { defaultValue: "LEFT_TO_RIGHT", description: "Which way seat numbers run." })
  numbering!: Numbering;

  @Field(() => String, { defaultValue: "A", description: 'Label of the front row: a capital letter ("A": A, B, … Z, AA) or a number ("1").' })
  firstRowLabel!: string;

  @Field(() => [SeatRef], { defaultValue: [], description: "Seats to mark accessible (wheelchair), up to 1000." })
  accessibleSeats!: SeatRef[];

  @Field(() => [SeatRef], { defaultValue: [], description: "Seats to mark as having a restricted view, up to 1000." })
  restrictedViewSeats!: SeatRef[];
}

@InputType({ description: "Seats to remove from one section." })
export class DeleteSeatsInput {
  @Field(() => ID, { description: "The section." })
  sectionId!: string;

  @Field(() => [ID], { description: "1 to 1000 seats of that section." })
  seatIds!: string[];
}

@InputType({ description: "Changes to one seat; omitted fields stay as they are." })
export class UpdateSeatInput {
  @Field(() => ID, { description: "The seat." })
  id!: string;

  @Field(() => Boolean, { nullable: true, description: "Wheelchair accessible." })
  accessible?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "The view of the stage is partly blocked." })
  restrictedView?: boolean | null;

  @Field(() => Int, { nullable: true, description: "New number, unique within the row." })
  number?: number | null;
}

export const VENUE_ERRORS = "Errors: VALIDATION, NOT_FOUND (also for a venue of another organization), FORBIDDEN.";

@ObjectType({ description: `Result of createVenue and updateVenue. ${VENUE_ERRORS}` })
export class VenuePayload {
  @Field(() => AdminVenue, { nullable: true, description: "The venue as it now stands; null on error." })
  venue!: AdminVenue | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of deleteVenue. ${VENUE_ERRORS}` })
export class DeleteVenuePayload {
  @Field(() => ID, { nullable: true, description: "The deleted venue's id; null on error." })
  id!: string | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of a section mutation (createSection, updateSection, generateSectionSeats). ${VENUE_ERRORS}` })
export class SectionPayload {
  @Field(() => AdminSection, { nullable: true, description: "The section as it now stands; null on error." })
  section!: AdminSection | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of deleteSection. ${VENUE_ERRORS}` })
export class DeleteSectionPayload {
  @Field(() => ID, { nullable: true, description: "The deleted section's id; null on error." })
  id!: string | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of deleteSeats. ${VENUE_ERRORS}` })
export class DeleteSeatsPayload {
  @Field(() => Int, { description: "Seats removed (0 on error)." })
  deleted!: number;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of updateSeat. ${VENUE_ERRORS}` })
export class SeatPayload {
  @Field(() => AdminSeat, { nullable: true, description: "The seat as it now stands; null on error." })
  seat!: AdminSeat | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}
