import "reflect-metadata";
import { GraphQLScalarType, type GraphQLSchema } from "graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { HoldResolver } from "./holds/holds.resolver.js";
import { buildSchema, type PubSub } from "type-graphql";
import { authChecker } from "./auth/auth.guard.js";
import { AuthResolver } from "./auth/auth.resolver.js";
import { EventResolver, VenueResolver } from "./catalogue/catalogue.resolver.js";
import { LiveResolver } from "./catalogue/catalogue.subscriptions.js";
import { OrderResolver } from "./checkout/checkout.resolver.js";
import { TicketResolver } from "./tickets/tickets.resolver.js";
import { WaitingRoomResolver } from "./waitingroom/waitingroom.resolver.js";
import { SearchResolver } from "./search/search.resolver.js";

/** The contract's `DateTime`: ISO 8601 with milliseconds and offset, parsed into a Date. */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeISOResolver.toConfig(),
  name: "DateTime",
  description: "An ISO 8601 date-time with offset, e.g. 2026-11-23T19:30:00.000Z.",
});

export const RESOLVERS = [AuthResolver, EventResolver, VenueResolver, LiveResolver, HoldResolver, OrderResolver, TicketResolver, WaitingRoomResolver, SearchResolver] as const;

export function createSchema(pubSub: PubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    pubSub,
    validate: true,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  });
}
