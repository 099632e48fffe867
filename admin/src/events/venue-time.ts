/**
 * An event's times are entered and shown as wall-clock time in its VENUE's time zone, whatever the
 * browser's: a promoter in London scheduling a Chicago show types 20:00 and means 20:00 in Chicago.
 * The API stores instants. This converts between the two with the browser's Intl time-zone data (no
 * library: Intl knows every IANA zone and its daylight-saving history; the rest is a few lines).
 *
 * Wall clock → instant is not a function everywhere: when the clocks go forward an hour does not
 * exist (02:30 on the night US summer time starts), and when they go back one happens twice. A time
 * in the gap is refused (the form says so); a repeated time means its first occurrence, and the form
 * shows the offset it resolved to, so the promoter sees which one.
 */

/** "YYYY-MM-DDTHH:mm", the value of an <input type="datetime-local">. */
export type WallClock = string;

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether Intl knows the zone (an IANA name such as Europe/London). */
export function isTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical spelling ("europe/london" → "Europe/London"), or null when unknown. */
export function canonicalTimeZone(zone: string): string | null {
  return isTimeZone(zone) ? new Intl.DateTimeFormat("en-US", { timeZone: zone.trim() }).resolvedOptions().timeZone : null;
}

/** The wall clock in `zone` at `instant`, to the minute. */
export function wallClockOf(instant: Date, zone: string): WallClock {
  const parts = Object.fromEntries(partsFormatter(zone).formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The wall clock as if it were UTC, in ms (seconds dropped), or null when malformed or not a calendar date. */
function wallClockMs(wall: WallClock): number | null {
  const match = WALL_CLOCK.exec(wall);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  return ms;
}

/** Minutes the zone is ahead of UTC at `instant` (Chicago in winter: -360). */
export function offsetMinutes(instant: Date, zone: string): number {
  const local = wallClockMs(wallClockOf(instant, zone))!;
  const truncated = Math.floor(instant.getTime() / MINUTE) * MINUTE;
  return Math.round((local - truncated) / MINUTE);
}

export type InstantResult =
  | { ok: true; instant: Date; offsetMinutes: number; repeated: boolean }
  | { ok: false; reason: "MALFORMED" | "SKIPPED" };

/**
 * The instant a wall clock in `zone` means: SKIPPED inside a clocks-forward gap, the first occurrence
 * (`repeated: true`) inside a clocks-back overlap. Candidates come from the offsets a day either side,
 * which covers every real zone (no zone changes its offset twice within two days).
 */
export function instantOf(wall: WallClock, zone: string): InstantResult {
  const ms = wallClockMs(wall);
  if (ms === null) return { ok: false, reason: "MALFORMED" };
  const offsets = new Set([offsetMinutes(new Date(ms - DAY), zone), offsetMinutes(new Date(ms + DAY), zone)]);
  const matches = [...offsets]
    .map((offset) => ({ instant: new Date(ms - offset * MINUTE), offset }))
    .filter((candidate) => wallClockOf(candidate.instant, zone) === wall)
    .sort((a, b) => a.instant.getTime() - b.instant.getTime());
  const first = matches[0];
  if (!first) return { ok: false, reason: "SKIPPED" };
  return { ok: true, instant: first.instant, offsetMinutes: first.offset, repeated: matches.length > 1 };
}

/** "UTC−06:00", "UTC+05:30", "UTC". */
export function formatOffset(minutes: number): string {
  if (minutes === 0) return "UTC";
  const sign = minutes < 0 ? "\u2212" : "+";
  const absolute = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}:${String(absolute % 60).padStart(2, "0")}`;
}

/** The zone's short name at that instant where Intl has one ("CST", "BST"), else its offset. */
export function zoneAbbreviation(instant: Date, zone: string): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" }).formatToParts(instant).find((part) => part.type === "timeZoneName")?.value;
  return name && !/^GMT[+-]/.test(name) ? name : formatOffset(offsetMinutes(instant, zone));
}

/** An instant as the venue reads it: "Fri, 15 Jan 2027, 20:00 CST". */
export function formatInVenueTime(instant: Date | string | null | undefined, zone: string): string {
  if (instant === null || instant === undefined || instant === "") return "—";
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) return "—";
  const text = new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(date);
  return `${text} ${zoneAbbreviation(date, zone)}`;
}

/** Why a wall clock cannot be used in the zone, for a form (null when it can). */
export function wallClockProblem(wall: WallClock, zone: string): string | null {
  const result = instantOf(wall, zone);
  if (result.ok) return null;
  if (result.reason === "MALFORMED") return "Enter a date and a time";
  return `This time does not exist in ${zone}: the clocks go forward that night. Choose a time an hour later.`;
}
