import { ArgsType, Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { RoleEnum } from "../auth/auth.types.js";
import type { Role } from "../auth/auth.tokens.js";
import { UserError } from "../platform/graphql.js";
import { AdminPageArgs } from "./admin.types.js";

export const ACCOUNT_ERRORS =
  "Errors: VALIDATION (incl. changing one's own access and leaving no active admin), NOT_FOUND, EMAIL_TAKEN. Admins only: anyone else gets FORBIDDEN (anonymous: UNAUTHENTICATED) as a GraphQL error.";

@ObjectType({ description: "An organization (a promoter company), as admins manage it." })
export class AdminOrganization {
  @Field(() => ID, { description: "Organization id." })
  id!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Field(() => String, { description: "URL-safe unique name." })
  slug!: string;

  @Field(() => Int, { description: "Accounts that belong to it." })
  users!: number;

  @Field(() => Int, { description: "Its venues." })
  venues!: number;

  @Field(() => Int, { description: "Its events." })
  events!: number;

  @Field(() => Date, { description: "When it was created." })
  createdAt!: Date;
}

@ObjectType({ description: "One page of organizations." })
export class AdminOrganizationPage {
  @Field(() => [AdminOrganization], { description: "The organizations of this page." })
  items!: AdminOrganization[];

  @Field(() => Int, { description: "Organizations matching the filter over all pages." })
  total!: number;
}

@InputType({ description: "Which organizations to list." })
export class AdminOrganizationFilter {
  @Field(() => String, { nullable: true, description: "Part of the name or slug (case-insensitive)." })
  q?: string | null;

  @Field(() => [ID], { nullable: true, description: "Only these organizations (react-admin's getMany)." })
  ids?: string[] | null;
}

@ArgsType()
export class AdminOrganizationsArgs extends AdminPageArgs {
  @Field(() => AdminOrganizationFilter, { nullable: true, description: "Filter; every organization when absent." })
  filter?: AdminOrganizationFilter | null;
}

@InputType({ description: "A new organization." })
export class CreateOrganizationInput {
  @Field(() => String, { description: "Name, 1 to 120 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: "URL-safe unique name; made from the name when absent." })
  slug?: string | null;
}

@InputType({ description: "Changes to an organization; omitted fields stay." })
export class UpdateOrganizationInput {
  @Field(() => ID, { description: "The organization." })
  id!: string;

  @Field(() => String, { nullable: true, description: "New name, 1 to 120 characters." })
  name?: string | null;
}

@ObjectType({ description: `Result of createOrganization and updateOrganization. ${ACCOUNT_ERRORS}` })
export class OrganizationPayload {
  @Field(() => AdminOrganization, { nullable: true, description: "The organization as it now stands; null on error." })
  organization!: AdminOrganization | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: "A user account, as admins manage it (never its password)." })
export class AdminUser {
  @Field(() => ID, { description: "User id." })
  id!: string;

  @Field(() => String, { description: "Sign-in email, lower-cased." })
  email!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Field(() => RoleEnum, { description: "What the account may do." })
  role!: Role;

  @Field(() => ID, { nullable: true, description: "Its organization (promoters always; fans never)." })
  organizationId!: string | null;

  @Field(() => String, { nullable: true, description: "Its organization's name." })
  organizationName!: string | null;

  @Field(() => Boolean, { description: "True when an admin disabled it: it cannot sign in and its tokens are refused." })
  disabled!: boolean;

  @Field(() => Date, { nullable: true, description: "When it was disabled." })
  disabledAt!: Date | null;

  @Field(() => Date, { description: "When it was created." })
  createdAt!: Date;
}

@ObjectType({ description: "One page of user accounts." })
export class AdminUserPage {
  @Field(() => [AdminUser], { description: "The accounts of this page." })
  items!: AdminUser[];

  @Field(() => Int, { description: "Accounts matching the filter over all pages." })
  total!: number;
}

@InputType({ description: "Which accounts to list." })
export class AdminUserFilter {
  @Field(() => String, { nullable: true, description: "Part of the email or name (case-insensitive)." })
  q?: string | null;

  @Field(() => [ID], { nullable: true, description: "Only these accounts (react-admin's getMany)." })
  ids?: string[] | null;

  @Field(() => RoleEnum, { nullable: true, description: "Only this role." })
  role?: Role | null;

  @Field(() => ID, { nullable: true, description: "Only this organization's accounts." })
  organizationId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Only disabled (true) or active (false) accounts." })
  disabled?: boolean | null;
}

@ArgsType()
export class AdminUsersArgs extends AdminPageArgs {
  @Field(() => AdminUserFilter, { nullable: true, description: "Filter; every account when absent." })
  filter?: AdminUserFilter | null;
}

@InputType({ description: "A new promoter or admin account (fans register on the storefront)." })
export class CreateUserAccountInput {
  @Field(() => String, { description: "Sign-in email." })
  email!: string;

  @Field(() => String, { description: "Display name, 1 to 100 characters." })
  name!: string;

  @Field(() => String, { description: "First password, 8 to 128 characters, handed to the person by the admin." })
  password!: string;

  @Field(() => RoleEnum, { description: "PROMOTER or ADMIN." })
  role!: Role;

  @Field(() => ID, { nullable: true, description: "Its organization: required for a promoter, optional for an admin." })
  organizationId?: string | null;
}

@InputType({ description: "Changes to an account; omitted fields stay. A change of role or organization, or disabling, ends its sessions." })
export class UpdateUserAccountInput {
  @Field(() => ID, { description: "The account." })
  id!: string;

  @Field(() => String, { nullable: true, description: "New display name." })
  name?: string | null;

  @Field(() => RoleEnum, { nullable: true, description: "New role." })
  role?: Role | null;

  @Field(() => ID, { nullable: true, description: "New organization; null moves the account out of its organization (not allowed for a promoter)." })
  organizationId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "true disables the account (it cannot sign in, its tokens are refused); false enables it again." })
  disabled?: boolean | null;
}

@ObjectType({ description: `Result of createUserAccount and updateUserAccount. ${ACCOUNT_ERRORS}` })
export class UserAccountPayload {
  @Field(() => AdminUser, { nullable: true, description: "The account as it now stands; null on error." })
  user!: AdminUser | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}
