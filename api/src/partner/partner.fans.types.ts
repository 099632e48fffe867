import { Field, InputType, ObjectType } from "type-graphql";
import { User } from "../auth/auth.types.js";
import { UserError } from "../platform/graphql.js";

export const FAN_ERRORS = "Errors: VALIDATION. API keys with holds:write only: anyone else gets FORBIDDEN (anonymous: UNAUTHENTICATED) as a GraphQL error.";

@InputType({ description: "One of the partner's customers, as the partner knows them." })
export class UpsertPartnerFanInput {
  @Field(() => String, {
    description: "The partner's own id of the customer: 1 to 128 visible ASCII characters, no spaces. Sent as the Boxoffice-Fan header to act for them.",
  })
  externalId!: string;

  @Field(() => String, { description: "Where confirmations and tickets are emailed; may be the email of any other account." })
  email!: string;

  @Field(() => String, { description: "Display name, 1 to 100 characters." })
  name!: string;
}

@ObjectType({ description: `Result of upsertPartnerFan. ${FAN_ERRORS}` })
export class UpsertPartnerFanPayload {
  @Field(() => User, { nullable: true, description: "The fan's account (role FAN), created or updated." })
  fan?: User | null;

  @Field(() => Boolean, { nullable: true, description: "Whether this call created the account (false: it existed and its email and name were updated)." })
  created?: boolean | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}
