import { useQuery } from "@apollo/client/react";
import { useCallback, useState } from "react";
import { eventStorage } from "../../../app/session";
import { HOLD_QUERY, type HoldData, type HoldWithEvent } from "../graphql";

/** The fan's live hold for this event, remembered across reloads; null once it ended or expired. */
export function useActiveHold(eventId: string, signedIn: boolean) {
  const [holdId, setHoldId] = useState<string | null>(() => eventStorage.get<string>(eventId, "hold"));
  const { data } = useQuery<{ hold: HoldWithEvent | null }>(HOLD_QUERY, {
    variables: { id: holdId ?? "" },
    skip: !holdId || !signedIn,
    fetchPolicy: "cache-and-network",
  });
  const hold = data?.hold && data.hold.status === "ACTIVE" && Date.parse(data.hold.expiresAt) > Date.now() ? data.hold : null;
  const remember = useCallback(
    (next: HoldData | null) => {
      eventStorage.set(eventId, "hold", next?.id ?? null);
      setHoldId(next?.id ?? null);
    },
    [eventId],
  );
  return { hold, holdId, remember };
}
