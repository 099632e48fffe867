import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Seat, Section } from "../catalogue/catalogue.types.js";
import { enumOf, UserError } from "../platform/graphql.js";

export type TicketStatus = "VALID" | "SCANNED" | "VOID";
export const TicketStatusEnum = enumOf<TicketStatus>(["VALID", "SCANNED", "VOID"]);
registerEnumType(TicketStatusEnum, { name: "TicketStatus", description: "VALID until scanned at the door; VOID once its order is cancelled." });

export type ScanResult = "ADMITTED" | "ALREADY_SCANNED" | "REJECTED";
export const ScanResultEnum = enumOf<ScanResult>(["ADMITTED", "ALREADY_SCANNED", "REJECTED"]);
registerEnumType(ScanResultEnum, { name: "ScanResult", description: "What the door should do with the holder of a scanned barcode." });

@ObjectType({ description: "An entry ticket." })
export class Ticket {
  @Field(() => ID, { description: "Stable id." })
  id!: string;

  @Field(() => Seat, { nullable: true, description: "The seat; null for general admission." })
  seat?: Seat | null;

  @Field(() => Section, { description: "The section." })
  section!: Section;

  @Field(() => TicketStatusEnum, { description: "VALID, SCANNED or VOID." })
  status!: TicketStatus;

  @Field(() => String, {
    description: "Signed QR payload. It rotates: fetch it again at barcodeRefreshesAt; scanners refuse one older than about a minute.",
  })
  barcode!: string;

  @Field(() => Date, { description: "When barcode is replaced by the next one." })
  barcodeRefreshesAt!: Date;

  @Field(() => Int, { description: "How often, in seconds, barcode is replaced by the next one (the rotation window)." })
  barcodeRotationSeconds!: number;
}

@InputType({ description: "A barcode read at the door of an event." })
export class ScanTicketInput {
  @Field(() => ID, { description: "The event this door admits to." })
  eventId!: string;

  @Field(() => String, { description: "The QR payload as read." })
  barcode!: string;

  @Field(() => String, { nullable: true, description: "The scanning device, for the audit log." })
  deviceId?: string | null;
}

@ObjectType({ description: "Result of scanTicket. Errors: VALIDATION (not a barcode at all), NOT_FOUND, FORBIDDEN." })
export class ScanTicketPayload {
  @Field(() => ScanResultEnum, { nullable: true, description: "ADMITTED, ALREADY_SCANNED or REJECTED; null when the input itself was invalid." })
  result?: ScanResult | null;

  @Field(() => String, {
    nullable: true,
    description: "Why a barcode was rejected: BAD_SIGNATURE (forged or altered), EXPIRED (an old or screenshotted code), VOID, WRONG_EVENT, UNKNOWN_TICKET.",
  })
  reason?: string | null;

  @Field(() => Ticket, { nullable: true, description: "The ticket, when the barcode is genuine." })
  ticket?: Ticket | null;

  @Field(() => Date, { nullable: true, description: "When the ticket was first scanned (for ALREADY_SCANNED, the earlier scan)." })
  scannedAt?: Date | null;

  @Field(() => [UserError], { description: "Empty unless the request itself was invalid." })
  errors!: UserError[];
}

@ObjectType({ description: "A ticket that must no longer be admitted." })
export class TicketRevocation {
  @Field(() => ID, { description: "The voided ticket." })
  ticketId!: string;

  @Field(() => Date, { description: "When it was voided." })
  voidedAt!: Date;
}

@ObjectType({ description: "Voided tickets of an event since a cursor, for scanners that verify offline." })
export class TicketRevocationList {
  @Field(() => [TicketRevocation], { description: "Oldest first." })
  revoked!: TicketRevocation[];

  @Field(() => String, { nullable: true, description: "Pass as `since` next time; unchanged (or null) when nothing new." })
  cursor?: string | null;

  @Field(() => Int, { description: "Seconds a scanner may go between syncs before it should warn its operator." })
  syncIntervalSeconds!: number;
}
