import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { UserError } from "../platform/graphql.js";
import type { Role } from "./auth.tokens.js";

export const RoleEnum = { FAN: "FAN", PROMOTER: "PROMOTER", ADMIN: "ADMIN" } as const satisfies Record<Role, Role>;
registerEnumType(RoleEnum, {
  name: "Role",
  description: "What a user may do: buy (FAN), manage their organization's events (PROMOTER), everything (ADMIN).",
});

@ObjectType({ description: "A person with an account." })
export class User {
  @Field(() => ID, { description: "Stable id." })
  id!: string;

  @Field(() => String, { description: "Sign-in email, lower-cased." })
  email!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Field(() => RoleEnum, { description: "Role that decides what the user may do." })
  role!: Role;
}

@InputType({ description: "A new fan account." })
export class RegisterInput {
  @Field(() => String, { description: "Email address; unique, case-insensitive." })
  email!: string;

  @Field(() => String, { description: "8 to 128 characters." })
  password!: string;

  @Field(() => String, { description: "Display name, 1 to 100 characters." })
  name!: string;
}

@InputType({ description: "Credentials of an existing account." })
export class LoginInput {
  @Field(() => String, { description: "Account email." })
  email!: string;

  @Field(() => String, { description: "Account password." })
  password!: string;
}

@ObjectType({ description: "Result of register or login. Errors: VALIDATION, EMAIL_TAKEN, INVALID_CREDENTIALS, RATE_LIMITED." })
export class AuthPayload {
  @Field(() => String, {
    nullable: true,
    description: "Bearer token for the Authorization header and for graphql-ws connectionParams { authorization }.",
  })
  token?: string | null;

  @Field(() => User, { nullable: true, description: "The signed-in user." })
  user?: User | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}
