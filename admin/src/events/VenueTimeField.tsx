/**
 * A time as the event's venue reads it, labelled with the zone ("Sun, 1 Aug 2027, 20:00 CDT"), for lists
 * and pages: never the browser's zone, which would show a promoter in another zone a different day for
 * the same show from one page to the next.
 */
import { Typography } from "@mui/material";
import { useRecordContext, type RaRecord } from "react-admin";
import { formatInVenueTime } from "./venue-time";

const at = (record: RaRecord, path: string): unknown =>
  path.split(".").reduce<unknown>((value, key) => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined), record);

export function VenueTimeField({ source, zoneSource }: { source: string; zoneSource: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  if (!record) return null;
  const zone = at(record, zoneSource);
  return (
    <Typography variant="body2" component="span">
      {formatInVenueTime(at(record, source) as string | null, typeof zone === "string" && zone ? zone : "UTC")}
    </Typography>
  );
}
