import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { canManageOrganization } from "../auth/auth.guard.js";
import type { Context } from "../request-context.js";
import { ApiError } from "../platform/errors.js";
import { parseId, UserError, type DirectResolvers } from "../platform/graphql.js";
import type { Viewer } from "../auth/auth.tokens.js";
import type { FlatQueryLane } from "../platform/http-graphql-lanes.js";
import type { QueueMessage } from "../platform/pubsub.js";
import * as db from "./waiting-room.db.js";
import { precomputedView } from "./waiting-room.fan-out.js";
import * as room from "./waiting-room.service.js";
import { JoinWaitingRoomPayload, LeaveWaitingRoomPayload, QueueTicket, WaitingRoomInfo, WaitingRoomStats } from "./waiting-room.types.js";

const toTicket = (view: room.TicketView) => Object.assign(new QueueTicket(), view);

async function ticketStatus(ctx: Context, eventId: string, queueToken: string): Promise<QueueTicket> {
  const result = await room.status(ctx.app.waitingRoom, eventId, queueToken);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.field);
  return toTicket(result.value);
}

async function joinPayload(ctx: Context, viewer: Viewer, args: JoinArgs): Promise<JoinWaitingRoomPayload> {
  const result = await room.join(ctx.app.waitingRoom, { eventId: args.eventId, userId: viewer.id, ip: ctx.ip, accessCode: args.accessCode, proofOfWork: args.proofOfWork });
  return Object.assign(new JoinWaitingRoomPayload(), result.ok ? { ticket: toTicket(result.value), errors: [] } : { ticket: null, errors: [UserError.from(result.error)] });
}

interface JoinArgs {
  eventId: string;
  accessCode?: string | null;
  proofOfWork?: string | null;
}

/**
 * The flash crowd's two root fields resolved without type-graphql's wrapper (platform/graphql.ts,
 * `withDirectResolvers`): the same functions as the class below, called with graphql's coerced
 * arguments. Its per-call work (an async middleware chain for @Authorized, a promise per validated
 * argument) was ~5% of a join's CPU (docs/PERFORMANCE.md, "Waiting room"). Both arguments are scalars,
 * which type-graphql hands over unchanged and never validates; a join without a viewer goes to
 * type-graphql's own resolver, so its refusal stays @Authorized's.
 */
export const waitingRoomDirectResolvers: DirectResolvers<Context> = {
  Mutation: {
    joinWaitingRoom: (general) => (root, args, ctx, info) =>
      ctx.viewer ? joinPayload(ctx, ctx.viewer, args as unknown as JoinArgs) : general(root, args, ctx, info),
  },
  Query: {
    queueStatus: () => (_root, args, ctx) => ticketStatus(ctx, args.eventId as string, args.queueToken as string),
  },
};

/**
 * queueStatus written straight to JSON by the HTTP handler (platform/http-graphql-lanes.ts, `FlatQueryLane`)
 * when a poll selects only ticket fields: the answer a fan's browser asks for every few seconds while
 * it waits, so the one request the flash crowd repeats most skips graphql-jit's execution. Only a
 * ticket that is there is answered here; a refusal (bad id, no such ticket or room) or an outage
 * declines, and the general path (the resolver below) answers with its typed error. Partner keys
 * decline too: their budget is counted on the general path's result.
 */
export const waitingRoomLanes: Record<string, FlatQueryLane<Context>> = {
  queueStatus: {
    async resolve(ctx, args) {
      if (ctx.partner || args.eventId === undefined || args.queueToken === undefined) return null;
      const result = await room.status(ctx.app.waitingRoom, args.eventId, args.queueToken);
      return result.ok ? (result.value as unknown as Record<string, unknown>) : null;
    },
  },
};

@Resolver()
export class WaitingRoomResolver {
  @Authorized()
  @Mutation(() => JoinWaitingRoomPayload, { description: "Enter the virtual waiting room of a high-demand event." })
  async joinWaitingRoom(
    @Arg("eventId", () => ID, { description: "The event." }) eventId: string,
    @Arg("accessCode", () => String, { nullable: true, description: "Presale access code: admitted before the general queue." }) accessCode: string | null,
    @Arg("proofOfWork", () => String, { nullable: true, description: "Solved waitingRoomChallenge, when the event asks for one." }) proofOfWork: string | null,
    @Ctx() ctx: Context,
  ): Promise<JoinWaitingRoomPayload> {
    return joinPayload(ctx, ctx.viewer!, { eventId, accessCode, proofOfWork });
  }

  @Authorized()
  @Mutation(() => LeaveWaitingRoomPayload, { description: "Leave the queue, or give back an admission, so the next fan gets the place." })
  async leaveWaitingRoom(
    @Arg("eventId", () => ID, { description: "The event." }) eventId: string,
    @Arg("queueToken", () => String, { description: "The ticket's token." }) queueToken: string,
    @Ctx() ctx: Context,
  ): Promise<LeaveWaitingRoomPayload> {
    const result = await room.leave(ctx.app.waitingRoom, ctx.viewer!.id, eventId, queueToken);
    return Object.assign(new LeaveWaitingRoomPayload(), result.ok ? { ok: true, errors: [] } : { ok: false, errors: [UserError.from(result.error)] });
  }

  @Query(() => QueueTicket, { description: "Current state of a waiting-room ticket." })
  async queueStatus(
    @Arg("eventId", () => ID, { description: "The event." }) eventId: string,
    @Arg("queueToken", () => String, { description: "The ticket's token." }) queueToken: string,
    @Ctx() ctx: Context,
  ): Promise<QueueTicket> {
    return ticketStatus(ctx, eventId, queueToken);
  }

  @Subscription(() => QueueTicket, {
    topics: "QUEUE",
    topicId: ({ args }) => parseId(String(args.eventId), "eventId"),
    description: "Position updates for one waiting-room ticket, until it is admitted or expires.",
  })
  async queuePositionChanged(
    @Root() message: QueueMessage,
    @Arg("eventId", () => ID, { description: "The event." }) eventId: string,
    @Arg("queueToken", () => String, { description: "The ticket's token." }) queueToken: string,
    @Ctx() ctx: Context,
  ): Promise<QueueTicket> {
    // The fan-out (waiting-room.fan-out.ts) read this ticket with every other subscriber's.
    const view = precomputedView(message);
    return view ? toTicket(view) : ticketStatus(ctx, eventId, queueToken);
  }

  @Query(() => WaitingRoomInfo, { description: "An event's waiting room: queue length, outlook, and the commit-reveal draw of its pre-queue." })
  async waitingRoom(@Arg("eventId", () => ID, { description: "The event." }) eventId: string, @Ctx() ctx: Context): Promise<WaitingRoomInfo> {
    const id = parseId(eventId, "eventId");
    const deps = ctx.app.waitingRoom;
    const event = await deps.events.get(id);
    if (!event || event.status === "DRAFT") throw new ApiError("NOT_FOUND", "no such event", "eventId");
    const keys = deps.keys.waitingRoom(id);
    const [draw, waiting, preQueue, closed, order] = await Promise.all([
      db.findDraw(deps.pool, id),
      deps.redis.zcard(keys.queue),
      deps.redis.zcard(keys.preQueue),
      deps.redis.hget(keys.state, "closed"),
      deps.redis.lrange(keys.draw, 0, -1),
    ]);
    const remaining = await room.remainingInventory(deps, id);
    const queued = waiting + preQueue;
    return Object.assign(new WaitingRoomInfo(), {
      eventId: id,
      enabled: event.waitingRoomEnabled,
      waiting: queued,
      outlook: closed === "1" || remaining === 0 ? "SOLD_OUT" : queued + 1 <= remaining * event.conversionFactor ? "LIKELY" : "UNLIKELY",
      commitment: draw?.commitment ?? null,
      seed: draw?.revealedAt ? draw.seed : null,
      shuffledAt: draw?.shuffledAt ?? null,
      drawOrder: draw?.revealedAt ? order : null,
      recipe: room.DRAW_RECIPE,
    });
  }

  @Query(() => String, { description: "A proof-of-work challenge (ALTCHA, base64 JSON) for joining this event's waiting room." })
  async waitingRoomChallenge(@Arg("eventId", () => ID, { description: "The event." }) eventId: string, @Ctx() ctx: Context): Promise<string> {
    return ctx.app.waitingRoom.proofOfWork.challenge(parseId(eventId, "eventId"));
  }

  @Authorized("PROMOTER")
  @Query(() => WaitingRoomStats, { description: "Live numbers of an event's waiting room (its promoters and admins)." })
  async waitingRoomStats(@Arg("eventId", () => ID, { description: "The event." }) eventId: string, @Ctx() ctx: Context): Promise<WaitingRoomStats> {
    const event = await ctx.app.waitingRoom.events.get(parseId(eventId, "eventId"));
    if (!event) throw new ApiError("NOT_FOUND", "no such event", "eventId");
    if (!canManageOrganization(ctx.viewer, event.organizationId)) throw new ApiError("FORBIDDEN", "not your organization's event");
    return Object.assign(new WaitingRoomStats(), await room.stats(ctx.app.waitingRoom, event));
  }
}
