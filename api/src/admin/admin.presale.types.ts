import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { UserError } from "../platform/graphql.js";

export const PRESALE_ERRORS =
  "Errors: VALIDATION, NOT_FOUND (also for another organization's event). A viewer who is no promoter or admin gets FORBIDDEN (anonymous: UNAUTHENTICATED) as a GraphQL error.";

@ObjectType({ description: "An event's presale entitlements at a glance." })
export class PresaleSummary {
  @Field(() => Boolean, { description: "Whether the presale lane is on (the event's presaleEnabled)." })
  presaleEnabled!: boolean;

  @Field(() => Int, { description: "Access codes made." })
  codes!: number;

  @Field(() => Int, { description: "Times codes were used to join the waiting room." })
  codeUses!: number;

  @Field(() => Int, { description: "Uses left over all codes." })
  codeUsesLeft!: number;

  @Field(() => Int, { description: "Fans on the verified-fan list." })
  verifiedFans!: number;

  @Field(() => Int, { description: "Verified fans who have joined the presale lane." })
  verifiedFansJoined!: number;
}

@InputType({ description: "New presale access codes for an event." })
export class CreatePresaleCodesInput {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => Int, { description: "How many codes, 1 to 5000." })
  count!: number;

  @Field(() => Int, { defaultValue: 1, description: "Uses of each code, 1 to 1000 (default 1: one fan per code)." })
  maxUses!: number;
}

@ObjectType({ description: `Result of createPresaleCodes. ${PRESALE_ERRORS}` })
export class PresaleCodesPayload {
  @Field(() => [String], { description: "The new codes, in clear: shown this once (only their hashes are kept)." })
  codes!: string[];

  @Field(() => PresaleSummary, { nullable: true, description: "The event's presale after the change; null on error." })
  presale!: PresaleSummary | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@InputType({ description: "A piece of a verified-fan CSV file: one fan per row, an \"email\" column (or emails in the first column)." })
export class ImportVerifiedFansInput {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => String, { description: "CSV text with its header line; at most 20,000 rows (send a large file in pieces, each with the header)." })
  csv!: string;

  @Field(() => Int, { nullable: true, description: "Line number of this piece's first line in the whole file (default 1), for the reported line numbers." })
  firstLine?: number | null;
}

@ObjectType({ description: "What an import of verified fans did." })
export class VerifiedFanImportResult {
  @Field(() => Int, { description: "Data rows read." })
  rows!: number;

  @Field(() => Int, { description: "Fans added to the list." })
  added!: number;

  @Field(() => Int, { description: "Fans already on the list (unchanged)." })
  alreadyListed!: number;

  @Field(() => [String], { description: "Emails with no account (the first 50); not stored." })
  unknownEmails!: string[];

  @Field(() => Int, { description: "How many emails had no account." })
  unknownCount!: number;

  @Field(() => [Int], { description: "Line numbers without a valid email (the first 50)." })
  invalidLines!: number[];

  @Field(() => Int, { description: "How many lines had no valid email." })
  invalidCount!: number;

  @Field(() => Int, { description: "Lines repeating an email an earlier line of the same piece gave (counted once)." })
  repeatedCount!: number;
}

@ObjectType({ description: `Result of importVerifiedFans. ${PRESALE_ERRORS}` })
export class VerifiedFansPayload {
  @Field(() => VerifiedFanImportResult, { nullable: true, description: "What the import did; null on error." })
  result!: VerifiedFanImportResult | null;

  @Field(() => PresaleSummary, { nullable: true, description: "The event's presale after the import; null on error." })
  presale!: PresaleSummary | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}
