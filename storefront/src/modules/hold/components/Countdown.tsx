import { useEffect } from "react";
import { formatDuration } from "../../../shared/format";
import { useNow } from "../../../shared/use-now";

/** Time left on a hold; announces politely in the last minute, not every second. */
export function Countdown({ expiresAt, onExpired }: { expiresAt: string; onExpired?: () => void }) {
  const now = useNow(1000);
  const left = Math.max(0, (Date.parse(expiresAt) - now) / 1000);
  const expired = left === 0;
  useEffect(() => {
    if (expired) onExpired?.();
  }, [expired, onExpired]);
  const urgent = left <= 60;
  return (
    <span className={`countdown ${urgent ? "urgent" : ""}`} role="timer" aria-live={urgent ? "polite" : "off"} aria-atomic="true">
      <span className="visually-hidden">Time left to buy: </span>
      {formatDuration(left)}
    </span>
  );
}
