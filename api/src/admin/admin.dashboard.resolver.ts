import { Arg, Authorized, Ctx, ID, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../request-context.js";
import { ApiError } from "../platform/errors.js";
import * as dashboard from "./admin.dashboard.service.js";
import { SaleDashboard } from "./admin.dashboard.types.js";

const ERRORS = "Errors: UNAUTHENTICATED, FORBIDDEN (a fan, or a promoter of another organization), NOT_FOUND.";

const toSaleDashboard = (snapshot: dashboard.DashboardSnapshot) => Object.assign(new SaleDashboard(), snapshot);

/** The viewer may watch the event's sale, or the request fails with the contract code. */
async function authorized(ctx: Context, eventId: string): Promise<string> {
  if (!ctx.viewer) throw new ApiError("UNAUTHENTICATED", "sign in first");
  const result = await dashboard.authorize(ctx.app.db.pool, ctx.viewer, eventId);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.field);
  return result.value.id;
}

@Resolver()
export class AdminDashboardResolver {
  @Authorized("PROMOTER")
  @Query(() => SaleDashboard, { description: `The live sale dashboard of an event, computed now. ${ERRORS}` })
  async adminSaleDashboard(@Arg("eventId", () => ID, { description: "The event." }) eventId: string, @Ctx() ctx: Context): Promise<SaleDashboard> {
    const id = await authorized(ctx, eventId);
    const snapshot = await dashboard.snapshot(ctx.app.dashboards.dependencies, id);
    if (!snapshot) throw new ApiError("NOT_FOUND", "no such event", "eventId");
    return toSaleDashboard(snapshot);
  }

  // Authorization runs in `subscribe`, before any feed starts: @Authorized guards only the per-message
  // resolver, which would open the Redis subscriptions first and refuse afterwards.
  @Subscription(() => SaleDashboard, {
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const id = await authorized(ctx, String(args.eventId));
      return ctx.app.dashboards.feeds.follow(id);
    },
    description:
      "The event's sale dashboard, live: the current snapshot at once, then a new one within about a second of a sale, a hold " +
      `or a price change (at most one a second), and every 5 seconds for the queue and expiring holds. ${ERRORS}`,
  })
  adminSaleDashboardChanged(
    @Root() snapshot: dashboard.DashboardSnapshot,
    @Arg("eventId", () => ID, { description: "The event to follow." }) _eventId: string,
  ): SaleDashboard {
    return toSaleDashboard(snapshot);
  }
}
