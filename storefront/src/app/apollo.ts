/**
 * One Apollo client: queries and mutations over HTTP, subscriptions over graphql-ws, both on the
 * storefront's own origin (the dev/preview server forwards /graphql to the API). The bearer token goes
 * in the Authorization header and in graphql-ws connectionParams; when it changes the cache is cleared
 * and the socket reconnects so nothing from the previous account leaks into the next.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { isSubscriptionOperation } from "@apollo/client/utilities";
import { createClient } from "graphql-ws";
import { createOutageRetryLink } from "./outage-retry";
import { getToken, onTokenChange } from "./session";

const httpUrl = "/graphql";
const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;

function createWsClient() {
  return createClient({
    url: wsUrl,
    lazy: true,
    // Reconnect after the API restarts or the network drops; subscriptions resume on their own.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 10_000))),
    connectionParams: () => {
      const token = getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
}

const wsClient = createWsClient();

const authLink = new SetContextLink((previous) => {
  const token = getToken();
  return token ? { headers: { ...previous.headers, authorization: `Bearer ${token}` } } : {};
});

const link = ApolloLink.split(
  ({ query }) => isSubscriptionOperation(query),
  new GraphQLWsLink(wsClient),
  // SERVICE_UNAVAILABLE answers are retried with backoff (queries and key-idempotent mutations only).
  ApolloLink.from([authLink, createOutageRetryLink(), new HttpLink({ uri: httpUrl })]),
);

export const client = new ApolloClient({
  link,
  cache: new InMemoryCache({
    typePolicies: {
      // Sections of an event have no id of their own: they live inside their Event and are replaced whole.
      Event: { fields: { sections: { merge: false }, seatMap: { merge: false } } },
      Hold: { fields: { lines: { merge: false }, fees: { merge: false } } },
      Order: { fields: { tickets: { merge: false } } },
      Query: {
        fields: {
          // One cache entry per search, so going back to results does not refetch.
          searchEvents: { keyArgs: ["input"] },
        },
      },
    },
  }),
  defaultOptions: {
    watchQuery: { fetchPolicy: "cache-first", nextFetchPolicy: "cache-first" },
  },
});

onTokenChange(() => {
  // Reconnect with the new identity, then drop everything the previous one could see.
  wsClient.terminate();
  // A refetch refused for the new identity (signed out on "My orders": UNAUTHENTICATED) reaches its own
  // page through the query's state; the combined promise would only be an uncaught rejection.
  void client
    .clearStore()
    .then(() => client.refetchQueries({ include: "active" }))
    .catch(() => undefined);
});
