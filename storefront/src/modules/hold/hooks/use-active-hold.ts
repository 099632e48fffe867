import { useQuery } from "@apollo/client/react";
import { useCallback, useState } from "react";
import { eventStorage } from "../../../app/session";
import { ACTIVE_HOLDS, HOLD_QUERY, type HoldData, type HoldWithEvent } from "../graphql";

const live = <T extends HoldData>(hold: T | null | undefined): T | null =>
  hold && hold.status === "ACTIVE" && Date.parse(hold.expiresAt) > Date.now() ? hold : null;

/**
 * The fan's live hold for this event, remembered across reloads; null once it ended or expired. A hold
 * placed in another tab or on another device comes from the API (`viewer.activeHolds`) and is marked
 * `elsewhere`, so the page says "You already hold these seats" instead of offering to hold again.
 * `refresh` asks the API again (after holdSeats answered that the fan already holds seats).
 */
export function useActiveHold(eventId: string, signedIn: boolean) {
  const [holdId, setHoldId] = useState<string | null>(() => eventStorage.get<string>(eventId, "hold"));
  const { data } = useQuery<{ hold: HoldWithEvent | null }>(HOLD_QUERY, {
    variables: { id: holdId ?? "" },
    skip: !holdId || !signedIn,
    fetchPolicy: "cache-and-network",
  });
  const active = useQuery<{ viewer: { id: string; activeHolds: HoldData[] } | null }>(ACTIVE_HOLDS, {
    variables: { eventId },
    skip: !signedIn,
    fetchPolicy: "cache-and-network",
  });
  const mine = live(data?.hold);
  const other = mine ? null : live(active.data?.viewer?.activeHolds[0]);
  const remember = useCallback(
    (next: HoldData | null) => {
      eventStorage.set(eventId, "hold", next?.id ?? null);
      setHoldId(next?.id ?? null);
    },
    [eventId],
  );
  const { refetch } = active;
  const refresh = useCallback(async () => {
    const result = await refetch().catch(() => null);
    return live(result?.data?.viewer?.activeHolds[0]);
  }, [refetch]);
  return { hold: mine ?? other, elsewhere: Boolean(other), holdId, remember, refresh };
}
