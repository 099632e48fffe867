import { GraphQLJSON } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";
import { PageInfo } from "../platform/graphql.js";

/** The kinds of partner events, with the scope a key needs to see each (webhooks and `changes` alike). */
export const CHANGE_TYPES = {
  "order.confirmed": "orders:read",
  "order.refunded": "orders:read",
  "ticket.voided": "orders:read",
  "event.updated": "catalogue:read",
  "event.on_sale": "catalogue:read",
  "event.sold_out": "catalogue:read",
  "section.price_changed": "catalogue:read",
} as const;
export type ChangeType = keyof typeof CHANGE_TYPES;
export const isChangeType = (value: string): value is ChangeType => Object.hasOwn(CHANGE_TYPES, value);

export const CHANGES_ERRORS =
  "Errors (GraphQL errors): VALIDATION (first outside 1–100, an unknown type, a cursor not from this feed), FORBIDDEN (a type the key's scopes do not cover: order.* and ticket.* need orders:read, event.* and section.* catalogue:read), UNAUTHENTICATED.";

@ObjectType({ description: "One change partners hear about; the same event a webhook delivers, with the same id." })
export class Change {
  @Field(() => ID, { description: "The event's id; a webhook's webhook-id header is msg_<this id>." })
  id!: string;

  @Field(() => String, { description: `What happened: ${Object.keys(CHANGE_TYPES).join(", ")}.` })
  type!: string;

  @Field(() => String, { description: "The order, ticket or event id, or <eventId>:<sectionId> for section.price_changed." })
  subjectId!: string;

  @Field(() => Date, { description: "When the change was written (its transaction's time)." })
  occurredAt!: Date;

  @Field(() => GraphQLJSON, { description: "The change's data, as a webhook's `data` (ids and the values after the change)." })
  data!: Record<string, unknown>;
}

@ObjectType({ description: "One change in a page of the feed." })
export class ChangeEdge {
  @Field(() => String, { description: "Cursor after this change." })
  cursor!: string;

  @Field(() => Change, { description: "The change." })
  node!: Change;
}

@ObjectType({ description: "A page of the change feed. Keep `pageInfo.endCursor` and pass it as `since` next time." })
export class ChangeConnection {
  @Field(() => [ChangeEdge], { description: "Changes in the order they are final, oldest first." })
  edges!: ChangeEdge[];

  @Field(() => PageInfo, {
    description: "endCursor is never null: with no new change it is the `since` given, so a poller can always pass it back. hasNextPage: more are ready now.",
  })
  pageInfo!: PageInfo;
}
