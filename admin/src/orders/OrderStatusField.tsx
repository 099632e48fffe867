import { Chip } from "@mui/material";
import { useRecordContext } from "react-admin";
import { ORDER_STATUS_COLORS, ORDER_STATUS_LABELS } from "./order-status";

export function OrderStatusField(_props: { label?: string; source?: string; sortable?: boolean }) {
  const record = useRecordContext<{ status: string }>();
  if (!record) return null;
  return <Chip size="small" label={ORDER_STATUS_LABELS[record.status] ?? record.status} color={ORDER_STATUS_COLORS[record.status] ?? "default"} />;
}
