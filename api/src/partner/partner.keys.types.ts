import { Field, ID, InputType, ObjectType } from "type-graphql";
import { UserError } from "../platform/graphql.js";
import { SCOPES } from "./partner.scopes.js";

export const KEY_ERRORS = `Errors: VALIDATION, NOT_FOUND, FORBIDDEN (another organization). Promoters and admins only: anyone else gets FORBIDDEN (anonymous: UNAUTHENTICATED) as a GraphQL error. Scopes: ${SCOPES.join(", ")}.`;

@ObjectType({ description: "A partner API key, as its organization sees it (never the key itself)." })
export class ApiKey {
  @Field(() => ID, { description: "Key id." })
  id!: string;

  @Field(() => ID, { description: "The organization whose data the key reaches." })
  organizationId!: string;

  @Field(() => String, { description: "What the key is for, e.g. the partner's name." })
  name!: string;

  @Field(() => String, { description: "bo_live_ and the key's first 8 random characters: names the key in logs." })
  prefix!: string;

  @Field(() => String, { description: "The key's last four characters." })
  lastFour!: string;

  @Field(() => [String], { description: `What the key may do: ${SCOPES.join(", ")}.` })
  scopes!: string[];

  @Field(() => Date, { description: "When it was made." })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: "When it was last used (to the minute); null if never." })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "When it was revoked; null while it works." })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Who made it." })
  createdByEmail!: string | null;
}

@InputType({ description: "A new partner API key." })
export class CreateApiKeyInput {
  @Field(() => String, { description: "What the key is for, 1 to 100 characters." })
  name!: string;

  @Field(() => [String], { description: `At least one of ${SCOPES.join(", ")}.` })
  scopes!: string[];

  @Field(() => ID, { nullable: true, description: "The organization (an admin must name it; a promoter's is their own)." })
  organizationId?: string | null;
}

@ObjectType({ description: `Result of createApiKey. ${KEY_ERRORS}` })
export class CreateApiKeyPayload {
  @Field(() => String, { nullable: true, description: "The key, bo_live_…: shown this once, only its hash is kept. Send it as Authorization: Bearer <key>." })
  key!: string | null;

  @Field(() => ApiKey, { nullable: true, description: "The key's record; null on error." })
  apiKey!: ApiKey | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of revokeApiKey. ${KEY_ERRORS}` })
export class RevokeApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: "The revoked key's record; null on error." })
  apiKey!: ApiKey | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}
