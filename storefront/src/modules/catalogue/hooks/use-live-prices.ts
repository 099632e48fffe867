import { useSubscription } from "@apollo/client/react";
import { useState } from "react";
import { SECTION_PRICE_CHANGED, type EventSectionData } from "../graphql";

/**
 * New section prices from the pricing engine, by section id: the event page shows them over the
 * sections it read (the page's read is not in Apollo's cache: EventPage.tsx says why).
 */
export function useLivePrices(eventId: string): ReadonlyMap<string, EventSectionData> {
  const [live, setLive] = useState<{ eventId: string; sections: ReadonlyMap<string, EventSectionData> }>({ eventId, sections: new Map() });
  useSubscription<{ sectionPriceChanged: EventSectionData }>(SECTION_PRICE_CHANGED, {
    variables: { eventId },
    onData: ({ data }) => {
      const changed = data.data?.sectionPriceChanged;
      if (!changed) return;
      setLive((current) => ({
        eventId,
        sections: new Map(current.eventId === eventId ? current.sections : []).set(changed.section.id, changed),
      }));
    },
  });
  return live.eventId === eventId ? live.sections : NONE;
}

const NONE: ReadonlyMap<string, EventSectionData> = new Map();
