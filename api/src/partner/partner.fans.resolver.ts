import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { User } from "../auth/auth.types.js";
import type { Context } from "../request-context.js";
import { ApiError } from "../platform/errors.js";
import { UserError } from "../platform/graphql.js";
import * as fans from "./partner.fans.js";
import { FAN_ERRORS, UpsertPartnerFanInput, UpsertPartnerFanPayload } from "./partner.fans.types.js";

@Resolver()
export class PartnerFanResolver {
  // No @Authorized: a key is no viewer. The key's scopes were checked before this ran (partner.gate.ts).
  @Mutation(() => UpsertPartnerFanPayload, {
    description:
      "Registers one of the partner's customers as a fan its key can act for (or updates their email and name), by the " +
      "partner's own id. Then send `Boxoffice-Fan: <externalId>` with the key to hold, check out and read orders as that fan. " +
      "The account is the partner's alone: never an account someone registered directly, even with the same email, and it " +
      `cannot sign in. ${FAN_ERRORS}`,
  })
  async upsertPartnerFan(
    @Arg("input", () => UpsertPartnerFanInput, { description: "The customer." }) input: UpsertPartnerFanInput,
    @Ctx() ctx: Context,
  ): Promise<UpsertPartnerFanPayload> {
    const partner = ctx.partner;
    if (!partner) {
      if (!ctx.viewer) throw new ApiError("UNAUTHENTICATED", "upsertPartnerFan is for partner API keys with the holds:write scope");
      throw new ApiError("FORBIDDEN", "upsertPartnerFan is for partner API keys with the holds:write scope");
    }
    const result = await fans.upsertPartnerFan(ctx.app.db.pool, partner, input);
    if (!result.ok) return Object.assign(new UpsertPartnerFanPayload(), { fan: null, created: null, errors: [UserError.from(result.error)] });
    const { id, email, name, role, created } = result.value;
    return Object.assign(new UpsertPartnerFanPayload(), { fan: Object.assign(new User(), { id, email, name, role }), created, errors: [] });
  }
}
