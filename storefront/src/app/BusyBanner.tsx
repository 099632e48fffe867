import { useSyncExternalStore } from "react";
import { busyState } from "./backoff";

/** Shown while a request waits out an outage of the API's databases (outage-retry.ts and graphql-fetch.ts retry it). */
export function BusyBanner() {
  const busy = useSyncExternalStore(busyState.subscribe, busyState.isBusy);
  if (!busy) return null;
  return (
    <p className="busy-banner" role="status">
      We’re busy, retrying… Please keep this page open: nothing you asked for is lost or done twice.
    </p>
  );
}
