/**
 * GraphQL of partner webhooks (partner.webhooks.service.ts does the work). No `@Authorized` here: a
 * partner key has no viewer, so `webhookActor` admits a key with webhooks:manage, a promoter or an admin.
 */
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../request-context.js";
import { ApiError } from "../platform/errors.js";
import { UserError, validatePageSize } from "../platform/graphql.js";
import type { AddressPolicy } from "./partner.webhooks.http.js";
import * as webhooks from "./partner.webhooks.service.js";
import {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
  DeleteWebhookEndpointPayload,
  ReplayWebhookDeliveryPayload,
  RotateWebhookSecretPayload,
  SendTestWebhookPayload,
  UpdateWebhookEndpointInput,
  UpdateWebhookEndpointPayload,
  WEBHOOK_ERRORS,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookDeliveryStatusEnum,
  WebhookEndpoint,
} from "./partner.webhooks.types.js";

const toEndpoint = (row: webhooks.EndpointRow) => Object.assign(new WebhookEndpoint(), row, { enabled: row.disabledAt === null });
const toDelivery = (row: webhooks.DeliveryRow) => Object.assign(new WebhookDelivery(), row);
const actor = (ctx: Context) => webhooks.webhookActor(ctx.viewer, ctx.partner);
const policy = (ctx: Context): AddressPolicy => ({ allowPrivate: ctx.app.config.webhooksAllowPrivateAddresses, production: ctx.app.config.environment === "production" });

@Resolver()
export class WebhookResolver {
  @Query(() => [WebhookEndpoint], { description: `Webhook endpoints of the caller's organization (an admin: of the one named, or all), newest first. ${WEBHOOK_ERRORS}` })
  async webhookEndpoints(
    @Arg("organizationId", () => ID, { nullable: true, description: "The organization (admins)." }) organizationId: string | null,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpoint[]> {
    const result = await webhooks.listEndpoints(ctx.app.db.pool, actor(ctx), organizationId);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.field);
    return result.value.map(toEndpoint);
  }

  @Query(() => WebhookDeliveryConnection, { description: `An endpoint's deliveries with their attempts, newest first. ${WEBHOOK_ERRORS}` })
  async webhookDeliveries(
    @Arg("endpointId", () => ID, { description: "The endpoint." }) endpointId: string,
    @Arg("status", () => WebhookDeliveryStatusEnum, { nullable: true, description: "Only deliveries in this status." }) status: webhooks.DeliveryStatus | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryConnection> {
    const who = actor(ctx);
    const size = validatePageSize(first);
    const result = await webhooks.listDeliveries(ctx.app.db.pool, who, endpointId, status, size, after);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.field);
    return WebhookDeliveryConnection.from({ ...result.value, items: result.value.items.map((item) => ({ cursor: item.cursor, node: toDelivery(item.node) })) });
  }

  @Mutation(() => CreateWebhookEndpointPayload, { description: `Registers a webhook endpoint; its signing secret is answered this once. ${WEBHOOK_ERRORS}` })
  async createWebhookEndpoint(
    @Arg("input", () => CreateWebhookEndpointInput, { description: "The endpoint." }) input: CreateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<CreateWebhookEndpointPayload> {
    const result = await webhooks.createEndpoint(ctx.app.db.pool, actor(ctx), policy(ctx), input);
    if (!result.ok) return Object.assign(new CreateWebhookEndpointPayload(), { endpoint: null, secret: null, errors: [UserError.from(result.error)] });
    return Object.assign(new CreateWebhookEndpointPayload(), { endpoint: toEndpoint(result.value.row), secret: result.value.secret, errors: [] });
  }

  @Mutation(() => UpdateWebhookEndpointPayload, { description: `Changes an endpoint's URL, event types, description, or enables/disables it. ${WEBHOOK_ERRORS}` })
  async updateWebhookEndpoint(
    @Arg("input", () => UpdateWebhookEndpointInput, { description: "The changes." }) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<UpdateWebhookEndpointPayload> {
    const result = await webhooks.updateEndpoint(ctx.app.db.pool, actor(ctx), policy(ctx), input.id, input);
    if (!result.ok) return Object.assign(new UpdateWebhookEndpointPayload(), { endpoint: null, errors: [UserError.from(result.error)] });
    return Object.assign(new UpdateWebhookEndpointPayload(), { endpoint: toEndpoint(result.value), errors: [] });
  }

  @Mutation(() => RotateWebhookSecretPayload, {
    description: `Gives an endpoint a new signing secret (answered this once); the old one keeps signing as a second signature for 24 hours. ${WEBHOOK_ERRORS}`,
  })
  async rotateWebhookSecret(@Arg("id", () => ID, { description: "The endpoint." }) id: string, @Ctx() ctx: Context): Promise<RotateWebhookSecretPayload> {
    const result = await webhooks.rotateSecret(ctx.app.db.pool, actor(ctx), id);
    if (!result.ok) return Object.assign(new RotateWebhookSecretPayload(), { endpoint: null, secret: null, errors: [UserError.from(result.error)] });
    return Object.assign(new RotateWebhookSecretPayload(), { endpoint: toEndpoint(result.value.row), secret: result.value.secret, errors: [] });
  }

  @Mutation(() => DeleteWebhookEndpointPayload, { description: `Deletes an endpoint and its delivery log. ${WEBHOOK_ERRORS}` })
  async deleteWebhookEndpoint(@Arg("id", () => ID, { description: "The endpoint." }) id: string, @Ctx() ctx: Context): Promise<DeleteWebhookEndpointPayload> {
    const result = await webhooks.deleteEndpoint(ctx.app.db.pool, actor(ctx), id);
    if (!result.ok) return Object.assign(new DeleteWebhookEndpointPayload(), { deletedId: null, errors: [UserError.from(result.error)] });
    return Object.assign(new DeleteWebhookEndpointPayload(), { deletedId: result.value, errors: [] });
  }

  @Mutation(() => ReplayWebhookDeliveryPayload, {
    description: `Sends a DELIVERED or FAILED delivery again, with the same webhook-id and a fresh schedule of attempts. ${WEBHOOK_ERRORS}`,
  })
  async replayWebhookDelivery(@Arg("id", () => ID, { description: "The delivery." }) id: string, @Ctx() ctx: Context): Promise<ReplayWebhookDeliveryPayload> {
    const result = await webhooks.replayDelivery(ctx.app.db.pool, actor(ctx), id);
    if (!result.ok) return Object.assign(new ReplayWebhookDeliveryPayload(), { delivery: null, errors: [UserError.from(result.error)] });
    ctx.app.webhooks.deliverSoon();
    return Object.assign(new ReplayWebhookDeliveryPayload(), { delivery: toDelivery(result.value), errors: [] });
  }

  @Mutation(() => SendTestWebhookPayload, {
    description: `Sends a signed {"type": "webhook.test", "data": {"endpointId"}} message to the endpoint now and answers what it said; not stored, not retried. ${WEBHOOK_ERRORS}`,
  })
  async sendTestWebhook(@Arg("id", () => ID, { description: "The endpoint." }) id: string, @Ctx() ctx: Context): Promise<SendTestWebhookPayload> {
    const result = await webhooks.sendTest(ctx.app.db.pool, actor(ctx), policy(ctx), ctx.app.config.webhookTimeoutMs, id);
    if (!result.ok) return Object.assign(new SendTestWebhookPayload(), { webhookId: null, statusCode: null, error: null, durationMs: null, errors: [UserError.from(result.error)] });
    return Object.assign(new SendTestWebhookPayload(), { ...result.value, errors: [] });
  }
}
