import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../request-context.js";
import { ApiError } from "../platform/errors.js";
import { UserError } from "../platform/graphql.js";
import * as keys from "./partner.keys.service.js";
import { ApiKey, CreateApiKeyInput, CreateApiKeyPayload, KEY_ERRORS, RevokeApiKeyPayload } from "./partner.keys.types.js";

const toApiKey = (row: keys.ApiKeyRow) => Object.assign(new ApiKey(), row);

@Resolver()
export class ApiKeyResolver {
  @Authorized("PROMOTER")
  @Query(() => [ApiKey], { description: `Partner API keys of the viewer's organization (an admin: of the one named, or all), newest first. ${KEY_ERRORS}` })
  async apiKeys(
    @Arg("organizationId", () => ID, { nullable: true, description: "The organization (admins)." }) organizationId: string | null,
    @Arg("includeRevoked", () => Boolean, { defaultValue: false, description: "Also list revoked keys." }) includeRevoked: boolean,
    @Ctx() ctx: Context,
  ): Promise<ApiKey[]> {
    const result = await keys.listKeys(ctx.app.db.pool, ctx.viewer!, organizationId, includeRevoked);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.field);
    return result.value.map(toApiKey);
  }

  @Authorized("PROMOTER")
  @Mutation(() => CreateApiKeyPayload, { description: `Makes a partner API key; the key is answered this once. ${KEY_ERRORS}` })
  async createApiKey(@Arg("input", () => CreateApiKeyInput, { description: "The key." }) input: CreateApiKeyInput, @Ctx() ctx: Context): Promise<CreateApiKeyPayload> {
    const result = await keys.createKey(ctx.app.db.pool, ctx.viewer!, input);
    if (!result.ok) return Object.assign(new CreateApiKeyPayload(), { key: null, apiKey: null, errors: [UserError.from(result.error)] });
    return Object.assign(new CreateApiKeyPayload(), { key: result.value.key, apiKey: toApiKey(result.value.row), errors: [] });
  }

  @Authorized("PROMOTER")
  @Mutation(() => RevokeApiKeyPayload, { description: `Revokes a key: refused by every API process within PARTNER_KEY_CACHE_MS (0.8 s by default). ${KEY_ERRORS}` })
  async revokeApiKey(@Arg("id", () => ID, { description: "The key." }) id: string, @Ctx() ctx: Context): Promise<RevokeApiKeyPayload> {
    const result = await keys.revokeKey(ctx.app.db.pool, ctx.app.partnerKeys, ctx.viewer!, id);
    if (!result.ok) return Object.assign(new RevokeApiKeyPayload(), { apiKey: null, errors: [UserError.from(result.error)] });
    return Object.assign(new RevokeApiKeyPayload(), { apiKey: toApiKey(result.value), errors: [] });
  }
}
