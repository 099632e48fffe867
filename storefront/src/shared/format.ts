/** Money and dates the way a fan reads them: the event's currency, the venue's time zone. */
export interface Money {
  amount: number;
  currency: string;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(money: Money): string {
  let format = moneyFormats.get(money.currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: "currency", currency: money.currency });
    moneyFormats.set(money.currency, format);
  }
  // Minor units: the currency's own number of decimals (0 for JPY, 2 for USD…).
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}

const FEE_LABELS: Record<string, string> = {
  SERVICE: "Service fee",
  FACILITY: "Facility fee",
};

/** A mandatory fee's name as a fan reads it ("Service fee"); a kind the storefront does not know yet reads as its own words. */
export function feeLabel(kind: string): string {
  return FEE_LABELS[kind] ?? kind.charAt(0) + kind.slice(1).toLowerCase().replace(/_/g, " ");
}

/** "Sat 9 Jan 2027, 19:30 CST" in the venue's zone, whatever the fan's own zone is. */
export function formatEventDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(new Date(iso));
}

export function formatShortDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", timeZone }).format(new Date(iso));
}

export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const minutes = Math.floor(seconds / 60);
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

export function formatDistance(km: number): string {
  return km < 10 ? `${km.toFixed(1)} km` : `${Math.round(km)} km`;
}

export const CATEGORY_LABELS: Record<string, string> = {
  CONCERT: "Concerts",
  SPORTS: "Sports",
  THEATER: "Theatre",
  COMEDY: "Comedy",
  FAMILY: "Family",
  FESTIVAL: "Festivals",
  OTHER: "Other",
};

/** A wait the way a fan reads it: "20 seconds", "15 minutes", "about 24 hours" (rounded up, never "0"). */
export function formatWait(seconds: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;
  if (seconds < 90) return plural(Math.max(1, Math.ceil(seconds)), "second");
  if (seconds < 90 * 60) return plural(Math.ceil(seconds / 60), "minute");
  return `about ${plural(Math.ceil(seconds / 3600), "hour")}`;
}
