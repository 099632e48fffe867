import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../request-context.js";
import { ApiError } from "../platform/errors.js";
import { auditLog } from "./admin.events.service.js";
import { AuditEntry, AuditEntryPage, AuditLogFilter } from "./admin.audit.types.js";

@Resolver(() => AuditEntry)
export class AdminAuditResolver {
  @Authorized("PROMOTER")
  @Query(() => AuditEntryPage, {
    description:
      "The audit log, newest first: a promoter sees its organization's changes, an admin everyone's. " +
      "Errors: VALIDATION (page out of bounds), UNAUTHENTICATED, FORBIDDEN (a fan).",
  })
  async adminAuditLog(
    @Arg("page", () => Int, { defaultValue: 1, description: "1-based page number." }) page: number,
    @Arg("perPage", () => Int, { defaultValue: 25, description: "Entries per page, 1 to 100." }) perPage: number,
    @Arg("filter", () => AuditLogFilter, { nullable: true, description: "Narrow the log." }) filter: AuditLogFilter | null,
    @Ctx() ctx: Context,
  ): Promise<AuditEntryPage> {
    const result = await auditLog(ctx.app.db.pool, ctx.viewer!, { page, perPage, entityType: filter?.entityType, entityId: filter?.entityId });
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.field);
    return Object.assign(new AuditEntryPage(), {
      total: result.value.total,
      items: result.value.rows.map((row) =>
        Object.assign(new AuditEntry(), {
          id: row.id,
          actorEmail: row.actorEmail,
          action: row.action,
          entityType: row.entityType,
          entityId: row.entityId,
          before: row.before,
          after: row.after,
          createdAt: row.createdAt,
        }),
      ),
    });
  }
}
