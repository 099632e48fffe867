import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../request-context.js";
import { UserError } from "../platform/graphql.js";
import * as presale from "./admin.presale.service.js";
import {
  CreatePresaleCodesInput,
  ImportVerifiedFansInput,
  PRESALE_ERRORS,
  PresaleCodesPayload,
  PresaleSummary,
  VerifiedFanImportResult,
  VerifiedFansPayload,
} from "./admin.presale.types.js";

const toSummary = (summary: presale.PresaleSummary | null) => (summary ? Object.assign(new PresaleSummary(), summary) : null);

@Resolver()
export class AdminPresaleResolver {
  @Authorized("PROMOTER")
  @Query(() => PresaleSummary, { nullable: true, description: "An event's presale codes and verified-fan list at a glance; null when unknown or not the viewer's." })
  async adminPresale(@Arg("eventId", () => ID, { description: "The event." }) eventId: string, @Ctx() ctx: Context): Promise<PresaleSummary | null> {
    return toSummary(await presale.presaleSummary(ctx.app.db.pool, ctx.viewer!, eventId));
  }

  @Authorized("PROMOTER")
  @Mutation(() => PresaleCodesPayload, { description: `Makes presale access codes for an event; answers them in clear this once. ${PRESALE_ERRORS}` })
  async createPresaleCodes(@Arg("input", () => CreatePresaleCodesInput, { description: "How many codes." }) input: CreatePresaleCodesInput, @Ctx() ctx: Context): Promise<PresaleCodesPayload> {
    const result = await presale.createCodes(ctx.app.db.pool, ctx.viewer!, input);
    if (!result.ok) return Object.assign(new PresaleCodesPayload(), { codes: [], presale: null, errors: [UserError.from(result.error)] });
    return Object.assign(new PresaleCodesPayload(), { codes: result.value, presale: toSummary(await presale.presaleSummary(ctx.app.db.pool, ctx.viewer!, input.eventId)), errors: [] });
  }

  @Authorized("PROMOTER")
  @Mutation(() => VerifiedFansPayload, { description: `Adds the fans of a CSV file to an event's verified-fan list, matched to accounts by email. ${PRESALE_ERRORS}` })
  async importVerifiedFans(@Arg("input", () => ImportVerifiedFansInput, { description: "The file, or a piece of it." }) input: ImportVerifiedFansInput, @Ctx() ctx: Context): Promise<VerifiedFansPayload> {
    const result = await presale.importVerifiedFans(ctx.app.db.pool, ctx.viewer!, input);
    if (!result.ok) return Object.assign(new VerifiedFansPayload(), { result: null, presale: null, errors: [UserError.from(result.error)] });
    return Object.assign(new VerifiedFansPayload(), {
      result: Object.assign(new VerifiedFanImportResult(), result.value),
      presale: toSummary(await presale.presaleSummary(ctx.app.db.pool, ctx.viewer!, input.eventId)),
      errors: [],
    });
  }
}
