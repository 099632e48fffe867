import { useApolloClient, useSubscription } from "@apollo/client/react";
import { EVENT_PAGE, SECTION_PRICE_CHANGED, type EventPageData, type EventSectionData } from "../graphql";

/** New section prices from the pricing engine go straight into the cached event page. */
export function useLivePrices(eventId: string): void {
  const client = useApolloClient();
  useSubscription<{ sectionPriceChanged: EventSectionData }>(SECTION_PRICE_CHANGED, {
    variables: { eventId },
    onData: ({ data }) => {
      const changed = data.data?.sectionPriceChanged;
      if (!changed) return;
      client.cache.updateQuery<{ event: EventPageData | null }>({ query: EVENT_PAGE, variables: { id: eventId } }, (current) =>
        current?.event
          ? {
              event: {
                ...current.event,
                sections: current.event.sections.map((section) => (section.section.id === changed.section.id ? changed : section)),
              },
            }
          : current,
      );
    },
  });
}
