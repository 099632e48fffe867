import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionTypes, enumOf, UserError } from "../platform/graphql.js";
import { MAX_ATTEMPTS } from "./partner.webhooks.worker.js";
import { MAX_ENDPOINTS, WEBHOOK_EVENT_TYPES } from "./partner.webhooks.service.js";

export const WEBHOOK_ERRORS = `Errors: VALIDATION (bad input, an address the SSRF guard refuses, too many endpoints), NOT_FOUND (none, or another organization's), FORBIDDEN (another organizationId; a key subscribing to a type its scopes cannot read: order.* and ticket.* need orders:read, event.* and section.* catalogue:read). A partner key needs the webhooks:manage scope; otherwise promoters (their organization) and admins only: anyone else gets FORBIDDEN (anonymous: UNAUTHENTICATED) as a GraphQL error.`;

export const WebhookDeliveryStatusEnum = enumOf(["PENDING", "DELIVERED", "FAILED"] as const);
registerEnumType(WebhookDeliveryStatusEnum, {
  name: "WebhookDeliveryStatus",
  description: `PENDING (waiting for its next attempt), DELIVERED (a 2xx answer), FAILED (${MAX_ATTEMPTS} attempts failed over about 3 days, or its endpoint answered 410 Gone or was disabled).`,
});

@ObjectType({ description: "Where an organization's partner events are POSTed, signed the Standard Webhooks way (the secret is never shown again after create or rotate)." })
export class WebhookEndpoint {
  @Field(() => ID, { description: "Endpoint id." })
  id!: string;

  @Field(() => ID, { description: "The organization whose events it receives." })
  organizationId!: string;

  @Field(() => String, { description: "Where deliveries are POSTed." })
  url!: string;

  @Field(() => String, { description: "What it is for (may be empty)." })
  description!: string;

  @Field(() => [String], { description: `The event types it receives: some of ${WEBHOOK_EVENT_TYPES.join(", ")}.` })
  eventTypes!: string[];

  @Field(() => Boolean, { description: "Whether it receives deliveries." })
  enabled!: boolean;

  @Field(() => Date, { nullable: true, description: "When it was disabled; null while enabled." })
  disabledAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why: GONE (it answered 410 Gone) or MANUAL (updateWebhookEndpoint); null while enabled." })
  disabledReason!: string | null;

  @Field(() => Date, { nullable: true, description: "Until when the secret before the last rotation still signs deliveries (a second signature); null when none does." })
  previousSecretExpiresAt!: Date | null;

  @Field(() => Date, { description: "When it was registered." })
  createdAt!: Date;

  @Field(() => Date, { description: "When it last changed." })
  updatedAt!: Date;
}

@ObjectType({ description: "One attempt to deliver a webhook." })
export class WebhookDeliveryAttempt {
  @Field(() => Date, { description: "When it started." })
  startedAt!: Date;

  @Field(() => Int, { description: "How long it took, in milliseconds." })
  durationMs!: number;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when none came (timeout, refused connection, refused address)." })
  statusCode!: number | null;

  @Field(() => String, { nullable: true, description: "What went wrong; null on success." })
  error!: string | null;
}

@ObjectType({ description: "One partner event sent (or to be sent) to one endpoint." })
export class WebhookDelivery {
  @Field(() => ID, { description: "Delivery id (for replayWebhookDelivery)." })
  id!: string;

  @Field(() => ID, { description: "The endpoint." })
  endpointId!: string;

  @Field(() => String, { description: "The webhook-id header: the same on every attempt and replay of this event (de-duplicate on it)." })
  webhookId!: string;

  @Field(() => String, { description: "The event type, e.g. order.confirmed." })
  eventType!: string;

  @Field(() => String, { description: "What the event is about: an order, ticket or event id, or <eventId>:<sectionId>." })
  subjectId!: string;

  @Field(() => WebhookDeliveryStatusEnum, { description: "Where it stands." })
  status!: string;

  @Field(() => Int, { description: `Attempts so far (since the last replay); at most ${MAX_ATTEMPTS}.` })
  attempts!: number;

  @Field(() => Date, { nullable: true, description: "When the next attempt is due; null unless PENDING." })
  nextAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "When the last attempt started." })
  lastAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true, description: "The last attempt's HTTP status." })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: "The last attempt's error." })
  lastError!: string | null;

  @Field(() => Int, { nullable: true, description: "The last attempt's duration in milliseconds." })
  lastDurationMs!: number | null;

  @Field(() => Date, { nullable: true, description: "When a 2xx answer came." })
  deliveredAt!: Date | null;

  @Field(() => Date, { description: "When it was made (when its event committed)." })
  createdAt!: Date;

  @Field(() => [WebhookDeliveryAttempt], { description: "Its last 20 attempts, newest first (replays included)." })
  attemptLog!: WebhookDeliveryAttempt[];
}

export const { Connection: WebhookDeliveryConnection } = connectionTypes(WebhookDelivery, "WebhookDelivery");
export type WebhookDeliveryConnection = InstanceType<typeof WebhookDeliveryConnection>;

@InputType({ description: "A new webhook endpoint." })
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: "http(s) URL on a public address (https in production)." })
  url!: string;

  @Field(() => [String], { description: `At least one of ${WEBHOOK_EVENT_TYPES.join(", ")}.` })
  eventTypes!: string[];

  @Field(() => String, { nullable: true, description: "What it is for, at most 500 characters." })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: `The organization (an admin must name it; a promoter's and a key's is their own). At most ${MAX_ENDPOINTS} endpoints each.` })
  organizationId?: string | null;
}

@InputType({ description: "Changes to a webhook endpoint; fields left out stay as they are." })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: "The endpoint." })
  id!: string;

  @Field(() => String, { nullable: true, description: "New URL (checked like a new one)." })
  url?: string | null;

  @Field(() => [String], { nullable: true, description: "New event types (replace the old)." })
  eventTypes?: string[] | null;

  @Field(() => String, { nullable: true, description: "New description." })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: "false disables it (its waiting deliveries fail; replay brings them back); true enables it again, e.g. after a 410." })
  enabled?: boolean | null;
}

@ObjectType({ description: `Result of createWebhookEndpoint. ${WEBHOOK_ERRORS}` })
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { nullable: true, description: "The endpoint; null on error." })
  endpoint!: WebhookEndpoint | null;

  @Field(() => String, { nullable: true, description: "Its signing secret, whsec_…: shown this once. Verify deliveries with it (e.g. the standardwebhooks package)." })
  secret!: string | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of updateWebhookEndpoint. ${WEBHOOK_ERRORS}` })
export class UpdateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { nullable: true, description: "The endpoint as it is now; null on error." })
  endpoint!: WebhookEndpoint | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of rotateWebhookSecret. ${WEBHOOK_ERRORS}` })
export class RotateWebhookSecretPayload {
  @Field(() => WebhookEndpoint, { nullable: true, description: "The endpoint; its previousSecretExpiresAt says until when the old secret still signs. Null on error." })
  endpoint!: WebhookEndpoint | null;

  @Field(() => String, { nullable: true, description: "The new secret, whsec_…: shown this once." })
  secret!: string | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of deleteWebhookEndpoint. ${WEBHOOK_ERRORS}` })
export class DeleteWebhookEndpointPayload {
  @Field(() => ID, { nullable: true, description: "The deleted endpoint's id; null on error." })
  deletedId!: string | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of replayWebhookDelivery. ${WEBHOOK_ERRORS}` })
export class ReplayWebhookDeliveryPayload {
  @Field(() => WebhookDelivery, { nullable: true, description: "The delivery, PENDING again; null on error." })
  delivery!: WebhookDelivery | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: `Result of sendTestWebhook: what the receiver answered (a failure to deliver is not an error here). ${WEBHOOK_ERRORS}` })
export class SendTestWebhookPayload {
  @Field(() => String, { nullable: true, description: "The test message's webhook-id (msg_test_…); null on error." })
  webhookId!: string | null;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when none came." })
  statusCode!: number | null;

  @Field(() => String, { nullable: true, description: "What went wrong (non-2xx status, timeout, refused address); null when it was delivered." })
  error!: string | null;

  @Field(() => Int, { nullable: true, description: "How long it took, in milliseconds." })
  durationMs!: number | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}
