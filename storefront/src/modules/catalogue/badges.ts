import type { EventCardData } from "./graphql";

export interface Badge {
  label: string;
  tone: "sale" | "hot" | "out" | "soon" | "off";
}

/** What an event card says at a glance: on sale, high demand, sold out, on sale soon, past… */
export function eventBadges(event: Pick<EventCardData, "status" | "waitingRoomEnabled" | "sections">): Badge[] {
  const total = event.sections.reduce((sum, section) => sum + section.total, 0);
  const available = event.sections.reduce((sum, section) => sum + section.available, 0);
  const badges: Badge[] = [];
  if (event.status === "SOLD_OUT" || (event.status === "ON_SALE" && total > 0 && available === 0)) {
    badges.push({ label: "Sold out", tone: "out" });
  } else if (event.status === "ON_SALE") {
    badges.push({ label: "On sale", tone: "sale" });
    if (event.waitingRoomEnabled || (total > 0 && available / total < 0.2)) badges.push({ label: "High demand", tone: "hot" });
  } else if (event.status === "SCHEDULED") {
    badges.push({ label: "On sale soon", tone: "soon" });
    if (event.waitingRoomEnabled) badges.push({ label: "High demand", tone: "hot" });
  } else if (event.status === "CANCELLED") {
    badges.push({ label: "Cancelled", tone: "off" });
  } else if (event.status === "ENDED") {
    badges.push({ label: "Past event", tone: "off" });
  }
  return badges;
}
