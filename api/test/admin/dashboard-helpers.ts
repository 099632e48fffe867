/** GraphQL documents and a one-message subscription helper shared by the sale dashboard tests. */
import type { Client } from "graphql-ws";
import type { GraphQLResponse } from "../support/test-api.js";

const MONEY = "{ amount currency }";
export const DASHBOARD_FIELDS = `eventId eventName venueId status generatedAt ticketsSold orders revenue ${MONEY} grossRevenue ${MONEY}
  salesPerMinute { minute tickets revenue ${MONEY} }
  sections { sectionId name kind total sold held blocked available sellThrough price ${MONEY} floor ${MONEY} ceiling ${MONEY}
    dynamicPricing pricingPaused overridden priceUpdatedAt lastExplanation lastReasonCodes lastComputedAt
    priceHistory { price ${MONEY} previousPrice ${MONEY} reason explanation at } }
  waitingRoom { enabled waiting preQueue admitted active purchased admissionRatePerMinute soldOut }
  holdsExpiring { minutesFromNow holds tickets }`;

export const DASHBOARD = `query($eventId: ID!) { adminSaleDashboard(eventId: $eventId) { ${DASHBOARD_FIELDS} } }`;
export const DASHBOARD_LIVE = `subscription($eventId: ID!) { adminSaleDashboardChanged(eventId: $eventId) { ${DASHBOARD_FIELDS} } }`;

/** The first message of a subscription (data or errors), then unsubscribes. */
export function firstMessage<T>(client: Client, query: string, variables: Record<string, unknown>, timeoutMs = 5_000): Promise<GraphQLResponse<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no message")), timeoutMs);
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (message) => {
          clearTimeout(timer);
          unsubscribe();
          resolve(message as GraphQLResponse<T>);
        },
        error: (error) => {
          clearTimeout(timer);
          // graphql-ws hands refusals at subscribe time over as an array of GraphQL errors.
          if (Array.isArray(error)) resolve({ errors: error as GraphQLResponse["errors"] });
          else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => undefined,
      },
    );
  });
}
