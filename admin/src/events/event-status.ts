/** How each event status reads in the console, and what the button moving an event into it says. */
export const STATUS_LABELS: Record<string, string> = {
  DRAFT: "Draft",
  SCHEDULED: "Scheduled",
  ON_SALE: "On sale",
  SOLD_OUT: "Sold out",
  ENDED: "Ended",
  CANCELLED: "Cancelled",
};

export const TRANSITION_LABELS: Record<string, string> = {
  DRAFT: "Back to draft",
  SCHEDULED: "Schedule",
  ON_SALE: "Open the sale",
  SOLD_OUT: "Mark sold out",
  ENDED: "End the event",
  CANCELLED: "Cancel the event",
};

export const STATUS_COLORS: Record<string, "default" | "info" | "success" | "warning" | "error"> = {
  DRAFT: "default",
  SCHEDULED: "info",
  ON_SALE: "success",
  SOLD_OUT: "warning",
  ENDED: "default",
  CANCELLED: "error",
};

export const STATUS_CHOICES = Object.entries(STATUS_LABELS).map(([id, name]) => ({ id, name }));

export const CATEGORY_CHOICES = ["CONCERT", "SPORTS", "THEATER", "COMEDY", "FAMILY", "FESTIVAL", "OTHER"].map((id) => ({
  id,
  name: id.charAt(0) + id.slice(1).toLowerCase(),
}));
