/** How the console names and colours an order's status. */
export const ORDER_STATUS_LABELS: Record<string, string> = {
  PENDING: "Pending",
  CONFIRMED: "Paid",
  CANCELLED: "Cancelled, refund pending",
  REFUNDED: "Refunded",
};

export const ORDER_STATUS_COLORS: Record<string, "default" | "success" | "warning" | "error"> = {
  PENDING: "default",
  CONFIRMED: "success",
  CANCELLED: "warning",
  REFUNDED: "error",
};

export const ORDER_STATUS_CHOICES = Object.entries(ORDER_STATUS_LABELS).map(([id, name]) => ({ id, name }));
