import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../request-context.js";
import { ApiError, type Result } from "../platform/errors.js";
import { isId, UserError } from "../platform/graphql.js";
import * as accounts from "./admin.accounts.service.js";
import {
  ACCOUNT_ERRORS,
  AdminOrganization,
  AdminOrganizationPage,
  AdminOrganizationsArgs,
  AdminUser,
  AdminUserPage,
  AdminUsersArgs,
  CreateOrganizationInput,
  CreateUserAccountInput,
  OrganizationPayload,
  UpdateOrganizationInput,
  UpdateUserAccountInput,
  UserAccountPayload,
} from "./admin.accounts.types.js";
import { pageWindow, sortColumn } from "./admin.types.js";

const toOrganization = (row: object) => Object.assign(new AdminOrganization(), row);
const toUser = (row: object) => Object.assign(new AdminUser(), row);

/** Page, sort and filter ids of an admin list, or a VALIDATION ApiError. */
function listQuery(args: { page: number; perPage: number; sortField?: string | null; sortOrder: string }, columns: Record<string, string>, fallback: string, filter: { q?: string | null; ids?: string[] | null } | null | undefined) {
  const window = pageWindow(args);
  if ("error" in window) throw new ApiError("VALIDATION", window.error, "page");
  const orderBy = sortColumn(columns, args.sortField, fallback);
  if (orderBy === null) throw new ApiError("VALIDATION", `sortField must be one of ${Object.keys(columns).join(", ")}`, "sortField");
  if ((filter?.ids?.length ?? 0) > 100) throw new ApiError("VALIDATION", "filter.ids takes at most 100 ids", "filter");
  const ids = filter?.ids ? filter.ids.filter(isId).map((id) => id.toLowerCase()) : null;
  return { ...window, orderBy, descending: args.sortOrder === "DESC", q: accounts.searchText(filter?.q), ids };
}

@Resolver()
export class AdminAccountsResolver {
  @Authorized("ADMIN")
  @Query(() => AdminOrganizationPage, { description: `Organizations, one page (admins only). Sort fields: ${accounts.ORGANIZATION_SORT_FIELDS.join(", ")}.` })
  async adminOrganizations(@Args(() => AdminOrganizationsArgs) args: AdminOrganizationsArgs, @Ctx() ctx: Context): Promise<AdminOrganizationPage> {
    const { rows, total } = await accounts.listOrganizations(ctx.app.db.pool, listQuery(args, accounts.ORGANIZATION_SORT_COLUMNS, "name", args.filter));
    return Object.assign(new AdminOrganizationPage(), { items: rows.map(toOrganization), total });
  }

  @Authorized("ADMIN")
  @Query(() => AdminOrganization, { nullable: true, description: "One organization (admins only); null when unknown." })
  async adminOrganization(@Arg("id", () => ID, { description: "The organization." }) id: string, @Ctx() ctx: Context): Promise<AdminOrganization | null> {
    const row = await accounts.findOrganization(ctx.app.db.pool, id);
    return row ? toOrganization(row) : null;
  }

  @Authorized("ADMIN")
  @Mutation(() => OrganizationPayload, { description: `Creates an organization. ${ACCOUNT_ERRORS}` })
  async createOrganization(@Arg("input", () => CreateOrganizationInput, { description: "The organization." }) input: CreateOrganizationInput, @Ctx() ctx: Context): Promise<OrganizationPayload> {
    return this.organizationPayload(ctx, await accounts.createOrganization(ctx.app.db.pool, ctx.viewer!, input));
  }

  @Authorized("ADMIN")
  @Mutation(() => OrganizationPayload, { description: `Renames an organization. ${ACCOUNT_ERRORS}` })
  async updateOrganization(@Arg("input", () => UpdateOrganizationInput, { description: "The changes." }) input: UpdateOrganizationInput, @Ctx() ctx: Context): Promise<OrganizationPayload> {
    return this.organizationPayload(ctx, await accounts.updateOrganization(ctx.app.db.pool, ctx.viewer!, input));
  }

  @Authorized("ADMIN")
  @Query(() => AdminUserPage, { description: `User accounts, one page (admins only). Sort fields: ${accounts.ACCOUNT_SORT_FIELDS.join(", ")}.` })
  async adminUsers(@Args(() => AdminUsersArgs) args: AdminUsersArgs, @Ctx() ctx: Context): Promise<AdminUserPage> {
    const filter = args.filter;
    if (filter?.organizationId != null && !isId(filter.organizationId)) throw new ApiError("VALIDATION", "filter.organizationId is not a valid id", "filter");
    const { rows, total } = await accounts.listAccounts(ctx.app.db.pool, {
      ...listQuery(args, accounts.ACCOUNT_SORT_COLUMNS, "email", filter),
      role: filter?.role ?? null,
      organizationId: filter?.organizationId?.toLowerCase() ?? null,
      disabled: filter?.disabled ?? null,
    });
    return Object.assign(new AdminUserPage(), { items: rows.map(toUser), total });
  }

  @Authorized("ADMIN")
  @Query(() => AdminUser, { nullable: true, description: "One account (admins only); null when unknown." })
  async adminUser(@Arg("id", () => ID, { description: "The account." }) id: string, @Ctx() ctx: Context): Promise<AdminUser | null> {
    const row = await accounts.findAccount(ctx.app.db.pool, id);
    return row ? toUser(row) : null;
  }

  @Authorized("ADMIN")
  @Mutation(() => UserAccountPayload, { description: `Creates a promoter or admin account with a first password. ${ACCOUNT_ERRORS}` })
  async createUserAccount(@Arg("input", () => CreateUserAccountInput, { description: "The account." }) input: CreateUserAccountInput, @Ctx() ctx: Context): Promise<UserAccountPayload> {
    return this.userPayload(ctx, await accounts.createAccount(this.deps(ctx), ctx.viewer!, input));
  }

  @Authorized("ADMIN")
  @Mutation(() => UserAccountPayload, {
    description: `Renames, moves, promotes, demotes, disables or enables an account; a change of access ends its sessions (its older tokens are refused). ${ACCOUNT_ERRORS}`,
  })
  async updateUserAccount(@Arg("input", () => UpdateUserAccountInput, { description: "The changes." }) input: UpdateUserAccountInput, @Ctx() ctx: Context): Promise<UserAccountPayload> {
    return this.userPayload(ctx, await accounts.updateAccount(this.deps(ctx), ctx.viewer!, input));
  }

  private deps(ctx: Context): accounts.AccountDependencies {
    return { pool: ctx.app.db.pool, sessions: ctx.app.auth.sessions };
  }

  private async organizationPayload(ctx: Context, result: Result<string>): Promise<OrganizationPayload> {
    if (!result.ok) return Object.assign(new OrganizationPayload(), { organization: null, errors: [UserError.from(result.error)] });
    const row = await accounts.findOrganization(ctx.app.db.pool, result.value);
    return Object.assign(new OrganizationPayload(), { organization: row ? toOrganization(row) : null, errors: [] });
  }

  private async userPayload(ctx: Context, result: Result<string>): Promise<UserAccountPayload> {
    if (!result.ok) return Object.assign(new UserAccountPayload(), { user: null, errors: [UserError.from(result.error)] });
    const row = await accounts.findAccount(ctx.app.db.pool, result.value);
    return Object.assign(new UserAccountPayload(), { user: row ? toUser(row) : null, errors: [] });
  }
}
