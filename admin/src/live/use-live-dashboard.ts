/**
 * Follows one event's sale dashboard over graphql-ws on the console's own origin (/graphql; the Vite
 * server forwards WebSocket upgrades to the API). The API sends the current snapshot at once and a new
 * one after every change, so the page never polls.
 *
 * Connection state for the banner: "connecting" until the socket is acknowledged, "live" while it is
 * open, "reconnecting" after it dropped (graphql-ws retries with growing pauses and, once back,
 * subscribes again: the first message is a full snapshot, so nothing needs to be replayed).
 * A refusal (FORBIDDEN, NOT_FOUND) is final and shown as an error; it is not retried.
 */
import { createClient } from "graphql-ws";
import { useEffect, useState } from "react";
import { getToken } from "../auth/session";
import { SALE_DASHBOARD_SUBSCRIPTION, type SaleSnapshot } from "./live-documents";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "refused";

export interface LiveDashboard {
  snapshot: SaleSnapshot | null;
  connection: ConnectionState;
  /** Why the API refused the subscription (state "refused"). */
  error: string | null;
  /** When the last snapshot arrived (ms since epoch). */
  receivedAt: number | null;
}

/** ws: or wss: on the page's own host. */
export function webSocketUrl(location: Pick<Location, "protocol" | "host">, path = "/graphql"): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
}

export function useLiveDashboard(eventId: string | undefined): LiveDashboard {
  const [state, setState] = useState<LiveDashboard>({ snapshot: null, connection: "connecting", error: null, receivedAt: null });

  useEffect(() => {
    if (!eventId) return;
    let refused = false;
    const client = createClient({
      url: webSocketUrl(window.location),
      // Read at every (re)connection: a new sign-in's token is used without reloading the page.
      connectionParams: () => ({ authorization: `Bearer ${getToken() ?? ""}` }),
      retryAttempts: Number.POSITIVE_INFINITY,
      // Also retry closes graphql-ws would treat as fatal (a proxy restart, a laptop waking up).
      shouldRetry: () => !refused,
      // A ping every 10 s notices a dead connection that never closed.
      keepAlive: 10_000,
      on: {
        connected: () => setState((previous) => ({ ...previous, connection: refused ? "refused" : "live" })),
        closed: () => setState((previous) => ({ ...previous, connection: refused ? "refused" : "reconnecting" })),
      },
    });
    const unsubscribe = client.subscribe<{ adminSaleDashboardChanged: SaleSnapshot }>(
      { query: SALE_DASHBOARD_SUBSCRIPTION, variables: { eventId } },
      {
        next: (message) => {
          if (message.errors?.length) {
            refused = true;
            setState((previous) => ({ ...previous, connection: "refused", error: message.errors![0]!.message }));
            return;
          }
          const snapshot = message.data?.adminSaleDashboardChanged;
          if (snapshot) setState({ snapshot, connection: "live", error: null, receivedAt: Date.now() });
        },
        error: (error) => {
          refused = true;
          const message = Array.isArray(error) ? String((error[0] as { message?: string })?.message ?? "refused") : "the live connection failed";
          setState((previous) => ({ ...previous, connection: "refused", error: message }));
        },
        complete: () => undefined,
      },
    );
    return () => {
      unsubscribe();
      void client.dispose();
    };
  }, [eventId]);

  return state;
}
