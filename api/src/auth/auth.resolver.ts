import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../request-context.js";
import type { Result } from "../platform/errors.js";
import { UserError } from "../platform/graphql.js";
import * as auth from "./auth.service.js";
import { AuthPayload, LoginInput, RegisterInput, User } from "./auth.types.js";

function toPayload(result: Result<auth.Session>): AuthPayload {
  if (!result.ok) return Object.assign(new AuthPayload(), { token: null, user: null, errors: [UserError.from(result.error)] });
  return Object.assign(new AuthPayload(), {
    token: result.value.token,
    user: Object.assign(new User(), result.value.user),
    errors: [],
  });
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, {
    description: "Create a fan account and sign in. Errors: VALIDATION, EMAIL_TAKEN, RATE_LIMITED (too many registrations from this address or for this email; see retryAfterSeconds).",
  })
  async register(@Arg("input", () => RegisterInput, { description: "The new account." }) input: RegisterInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return toPayload(await auth.register(ctx.app.auth, input, ctx.ip));
  }

  @Mutation(() => AuthPayload, {
    description:
      "Sign in. Errors: INVALID_CREDENTIALS (unknown email or wrong password, indistinguishable), RATE_LIMITED (too many failed attempts for this account or from this address; the password was not checked; see retryAfterSeconds).",
  })
  async login(@Arg("input", () => LoginInput, { description: "Credentials." }) input: LoginInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return toPayload(await auth.login(ctx.app.auth, input, ctx.ip));
  }

  @Query(() => User, { nullable: true, description: "The signed-in user, or null." })
  async viewer(@Ctx() ctx: Context): Promise<User | null> {
    if (!ctx.viewer) return null;
    const user = await ctx.loaders.userById.load(ctx.viewer.id);
    return user ? Object.assign(new User(), user) : null;
  }
}
