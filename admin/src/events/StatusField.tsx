import { Chip } from "@mui/material";
import { useRecordContext } from "react-admin";
import { STATUS_COLORS, STATUS_LABELS } from "./event-status";

export function StatusField(_props: { label?: string; source?: string; sortable?: boolean }) {
  const record = useRecordContext<{ status: string }>();
  if (!record) return null;
  return <Chip size="small" label={STATUS_LABELS[record.status] ?? record.status} color={STATUS_COLORS[record.status] ?? "default"} />;
}
