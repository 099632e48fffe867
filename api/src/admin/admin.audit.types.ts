import { GraphQLJSON } from "graphql-scalars";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "One change made through the admin console or the pricing controls: who, what, when, and the record before and after." })
export class AuditEntry {
  @Field(() => ID, { description: "Stable id; larger is newer." })
  id!: string;

  @Field(() => String, { nullable: true, description: "Email of the user who made the change; null for the system or a deleted user." })
  actorEmail!: string | null;

  @Field(() => String, { description: "What was done, `<entity>.<verb>`, e.g. event.create, event.transition, section.price_override." })
  action!: string;

  @Field(() => String, { description: "Kind of record changed, e.g. event, venue." })
  entityType!: string;

  @Field(() => String, { description: "Id of the record changed." })
  entityId!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: "The record (or the part that changed) before; null for a creation." })
  before!: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: "The record (or the part that changed) after; null for a deletion." })
  after!: unknown;

  @Field(() => Date, { description: "When the change committed." })
  createdAt!: Date;
}

@ObjectType({ description: "One page of the audit log, newest first, with the total over all pages." })
export class AuditEntryPage {
  @Field(() => [AuditEntry], { description: "The entries of this page." })
  items!: AuditEntry[];

  @Field(() => Int, { description: "Entries matching the filter over all pages." })
  total!: number;
}

@InputType({ description: "Narrows the audit log to one kind of record, or one record." })
export class AuditLogFilter {
  @Field(() => String, { nullable: true, description: "Only this kind of record, e.g. event." })
  entityType?: string | null;

  @Field(() => String, { nullable: true, description: "Only this record's history." })
  entityId?: string | null;
}
