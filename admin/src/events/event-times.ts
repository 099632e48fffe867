/**
 * The event form holds its times as wall clocks in the venue's zone; the API holds instants. These
 * convert a whole record each way and check the times against each other, all in the venue's zone.
 */
import { instantOf, wallClockOf, wallClockProblem } from "./venue-time";

export const TIME_FIELDS = ["startsAt", "endsAt", "onSaleAt", "sellOutBy"] as const;

type Values = Record<string, unknown>;

/** The record as the form edits it: its times as wall clocks in `zone`. */
export function toFormTimes<T extends Values>(record: T, zone: string): T {
  const copy: Values = { ...record };
  for (const field of TIME_FIELDS) {
    const value = record[field];
    if (typeof value === "string" && value) copy[field] = wallClockOf(new Date(value), zone);
  }
  return copy as T;
}

/**
 * The form's values as the API takes them: wall clocks in `zone` → ISO instants, blanks → null. A time
 * whose wall clock was not edited keeps its stored instant, seconds included (the input shows minutes),
 * so an unchanged time is not sent: once the sale has begun the API refuses any change to it.
 */
export function toApiTimes(values: Values, zone: string, previous?: Values): Values {
  const copy: Values = { ...values };
  for (const field of TIME_FIELDS) {
    if (!(field in values)) continue;
    const value = values[field];
    if (value === null || value === undefined || value === "") {
      copy[field] = null;
      continue;
    }
    const result = instantOf(String(value), zone);
    // The form's validation refuses these before saving; sent as they are, the API would refuse them too.
    if (!result.ok) continue;
    const before = previous?.[field];
    const unchanged = typeof before === "string" && wallClockOf(new Date(before), zone) === value;
    copy[field] = unchanged ? before : result.instant.toISOString();
  }
  return copy;
}

/** Cross-field checks of the times, in the venue's zone (null: no venue chosen yet, compare as written). */
export function validateEventTimes(values: Values, zone: string | null): Record<string, string> {
  const errors: Record<string, string> = {};
  const time = (field: string): number | null => {
    const value = values[field];
    if (typeof value !== "string" || !value) return null;
    if (!zone) return Date.parse(`${value}Z`);
    const problem = wallClockProblem(value, zone);
    if (problem) {
      errors[field] = problem;
      return null;
    }
    const result = instantOf(value, zone);
    return result.ok ? result.instant.getTime() : null;
  };
  const startsAt = time("startsAt");
  const endsAt = time("endsAt");
  const onSaleAt = time("onSaleAt");
  const sellOutBy = time("sellOutBy");
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt) errors.endsAt = "The event must end after it starts";
  if (startsAt !== null && onSaleAt !== null && onSaleAt >= startsAt) errors.onSaleAt = "The sale must open before the event starts";
  if (sellOutBy !== null && ((onSaleAt !== null && sellOutBy <= onSaleAt) || (startsAt !== null && sellOutBy > startsAt))) {
    errors.sellOutBy = "The sell-out target falls after the sale opens and no later than the start";
  }
  return errors;
}
