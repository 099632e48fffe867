import "reflect-metadata";
import { GraphQLScalarType, type GraphQLSchema } from "graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { holdDirectResolvers, HoldResolver, ViewerHoldsResolver } from "./hold/hold.resolver.js";
import { getMetadataStorage, validateOrReject, type ValidationError } from "class-validator";
import { ArgumentValidationError, buildSchema, type PubSub, type ValidatorFn } from "type-graphql";
import { authChecker } from "./auth/auth.guard.js";
import { AuthResolver } from "./auth/auth.resolver.js";
import { EventResolver, VenueResolver } from "./catalogue/catalogue.resolver.js";
import { LiveResolver } from "./catalogue/catalogue.subscriptions.js";
import { OrderResolver } from "./checkout/checkout.resolver.js";
import { TicketResolver } from "./ticket/ticket.resolver.js";
import { WaitingRoomResolver, waitingRoomDirectResolvers } from "./waiting-room/waiting-room.resolver.js";
import { withDirectResolvers } from "./platform/graphql.js";
import { SearchResolver } from "./search/search.resolver.js";
import { EventPricingResolver, SectionPricingResolver } from "./pricing/pricing.resolver.js";
import { AdminAccountsResolver } from "./admin/admin.accounts.resolver.js";
import { AdminPresaleResolver } from "./admin/admin.presale.resolver.js";
import { ChangesResolver } from "./partner/partner.changes.resolver.js";
import { ApiKeyResolver } from "./partner/partner.keys.resolver.js";
import { PartnerFanResolver } from "./partner/partner.fans.resolver.js";
import { PartnerOrderResolver } from "./partner/partner.orders.resolver.js";
import { WebhookResolver } from "./partner/partner.webhooks.resolver.js";
import { AdminDashboardResolver } from "./admin/admin.dashboard.resolver.js";
import { AdminAuditResolver } from "./admin/admin.audit.resolver.js";
import { AdminEventResolver } from "./admin/admin.events.resolver.js";
import { AdminOrderResolver } from "./admin/admin.orders.resolver.js";
import { AdminVenueResolver } from "./admin/admin.venues.resolver.js";

/** The contract's `DateTime`: ISO 8601 with milliseconds and offset, parsed into a Date. */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeISOResolver.toConfig(),
  name: "DateTime",
  description: "An ISO 8601 date-time with offset, e.g. 2026-11-23T19:30:00.000Z.",
});

export const RESOLVERS = [AuthResolver, EventResolver, VenueResolver, LiveResolver, HoldResolver, ViewerHoldsResolver, OrderResolver, TicketResolver, WaitingRoomResolver, SearchResolver, SectionPricingResolver, EventPricingResolver, AdminEventResolver, AdminAuditResolver, AdminVenueResolver, AdminAccountsResolver, AdminPresaleResolver, ApiKeyResolver, ChangesResolver, WebhookResolver, AdminOrderResolver, AdminDashboardResolver, PartnerFanResolver, PartnerOrderResolver] as const;

/**
 * Arguments are validated with class-validator, as type-graphql's `validate: true` does (missing
 * properties skipped, unknown values allowed), but with class-validator imported once: type-graphql
 * imports it anew (`await import`) for every validated argument, which cost about a tenth of each
 * request's CPU under load. An argument whose class declares no class-validator constraints (today,
 * every input type: the services check their own input and answer with typed errors) is not handed to
 * class-validator at all, which would still build a validation run and an extra promise per argument.
 */
const constrained = new WeakMap<object, boolean>();
function hasConstraints(value: object): boolean {
  const type = value.constructor;
  let known = constrained.get(type);
  if (known === undefined) {
    known = getMetadataStorage().getTargetValidationMetadatas(type, "", true, false).length > 0;
    constrained.set(type, known);
  }
  return known;
}

export const validateArgument: ValidatorFn = async (value) => {
  if (value === null || typeof value !== "object") return;
  const options = { skipMissingProperties: true, forbidUnknownValues: false };
  try {
    if (Array.isArray(value)) {
      const items = value.filter((item): item is object => item !== null && typeof item === "object" && hasConstraints(item));
      await Promise.all(items.map((item) => validateOrReject(item, options)));
    } else if (hasConstraints(value)) await validateOrReject(value, options);
  } catch (errors) {
    throw new ArgumentValidationError(errors as ValidationError[]);
  }
};

/** The API's schema; `direct: false` leaves every root field to type-graphql (tests compare the two). */
export async function createSchema(pubSub: PubSub, options: { direct?: boolean } = {}): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    pubSub,
    validateFn: validateArgument,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  });
  if (options.direct === false) return schema;
  withDirectResolvers(schema, holdDirectResolvers);
  return withDirectResolvers(schema, waitingRoomDirectResolvers);
}
