import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { enumOf, UserError } from "../platform/graphql.js";
import type { QueueOutlook, QueueStatus } from "./waiting-room.service.js";

export const QueueStatusEnum = enumOf<QueueStatus>(["WAITING", "ADMITTED", "EXPIRED", "LEFT"]);
registerEnumType(QueueStatusEnum, { name: "QueueStatus", description: "Where a waiting-room ticket stands." });

export const QueueOutlookEnum = enumOf<QueueOutlook>(["LIKELY", "UNLIKELY", "SOLD_OUT"]);
registerEnumType(QueueOutlookEnum, {
  name: "QueueOutlook",
  description: "Whether tickets are still likely for this place in the queue, given the inventory left.",
});

// Plain data read by property (no middleware on any field): graphql-jit reads them inline instead of
// calling a generated resolver, with its resolve info, per field of every join and status answer.
@ObjectType({ description: "A place in an event's virtual waiting room.", simpleResolvers: true })
export class QueueTicket {
  @Field(() => String, { description: "Secret of this ticket: keep it to ask for its status." })
  queueToken!: string;

  @Field(() => QueueStatusEnum, { description: "WAITING, ADMITTED, EXPIRED or LEFT." })
  status!: QueueStatus;

  @Field(() => Int, { nullable: true, description: "1-based position among those still waiting; null once admitted." })
  position?: number | null;

  @Field(() => Int, { nullable: true, description: "Estimated wait from the measured admission rate." })
  estimatedWaitSeconds?: number | null;

  @Field(() => String, { nullable: true, description: "Signed, short-lived token to pass as HoldSeatsInput.admissionToken; present once admitted." })
  admissionToken?: string | null;

  @Field(() => Date, { nullable: true, description: "When the admission token expires." })
  admissionExpiresAt?: Date | null;

  @Field(() => String, {
    description: "Finer state: PRE_QUEUE (joined before on-sale; order drawn at on-sale), WAITING, ADMITTED, PURCHASED, EXPIRED, LEFT, SOLD_OUT.",
  })
  phase!: string;

  @Field(() => QueueOutlookEnum, { description: "Whether tickets are still likely for this position." })
  outlook!: QueueOutlook;

  @Field(() => Boolean, { description: "True when this ticket is in the presale lane (admitted before the general queue)." })
  presale!: boolean;
}

@ObjectType({ description: "Result of joinWaitingRoom. Errors: VALIDATION, NOT_FOUND, NOT_ON_SALE, RATE_LIMITED.", simpleResolvers: true })
export class JoinWaitingRoomPayload {
  @Field(() => QueueTicket, { nullable: true, description: "The ticket (the same one when joining again)." })
  ticket?: QueueTicket | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: "Result of leaveWaitingRoom. Errors: VALIDATION, NOT_FOUND.", simpleResolvers: true })
export class LeaveWaitingRoomPayload {
  @Field(() => Boolean, { description: "True when the ticket left the queue (or gave back its admission)." })
  ok!: boolean;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: "The public, verifiable part of an event's waiting room." })
export class WaitingRoomInfo {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => Boolean, { description: "Whether the event has a waiting room." })
  enabled!: boolean;

  @Field(() => Int, { description: "Fans waiting now (after on-sale) or in the pre-queue (before)." })
  waiting!: number;

  @Field(() => QueueOutlookEnum, { description: "Whether a fan joining now is still likely to get tickets." })
  outlook!: QueueOutlook;

  @Field(() => String, { nullable: true, description: "SHA-256 (hex) of the pre-queue's random seed, published before on-sale." })
  commitment?: string | null;

  @Field(() => String, { nullable: true, description: "The seed, revealed once the pre-queue has been shuffled." })
  seed?: string | null;

  @Field(() => Date, { nullable: true, description: "When the pre-queue was shuffled." })
  shuffledAt?: Date | null;

  @Field(() => [String], {
    nullable: true,
    description: "After the shuffle: the public ids (SHA-256 of the queue token) of the pre-queue in drawn order. Sort them to get the joined list.",
  })
  drawOrder?: string[] | null;

  @Field(() => String, { description: "How anyone can check the draw." })
  recipe!: string;
}

@ObjectType({ description: "Live numbers of an event's waiting room, for its promoters." })
export class WaitingRoomStats {
  @Field(() => Int, { description: "Fans waiting in the queue." })
  waiting!: number;

  @Field(() => Int, { description: "Fans in the pre-queue (joined before on-sale, not yet drawn)." })
  preQueue!: number;

  @Field(() => Int, { description: "Admitted fans shopping now." })
  active!: number;

  @Field(() => Int, { description: "Fans admitted so far." })
  admitted!: number;

  @Field(() => Int, { description: "Admissions that expired unused." })
  expired!: number;

  @Field(() => Int, { description: "Fans who left." })
  left!: number;

  @Field(() => Int, { description: "Admitted fans who bought." })
  purchased!: number;

  @Field(() => Float, { description: "Measured admissions per minute." })
  admissionRatePerMinute!: number;

  @Field(() => Float, { description: "Share of admitted fans who left or let the admission expire (0 to 1)." })
  abandonment!: number;

  @Field(() => Int, { description: "Seats and places available now." })
  remainingInventory!: number;

  @Field(() => Boolean, { description: "The room closed because the event sold out." })
  soldOut!: boolean;

  @Field(() => Boolean, { description: "The pre-queue has been drawn." })
  shuffled!: boolean;
}
