import { Link } from "react-router";
import { CATEGORY_LABELS, formatDistance, formatEventDate, formatMoney } from "../../../shared/format";
import { eventBadges } from "../badges";
import { preloadEvent } from "../event-preload";
import type { EventCardData } from "../graphql";
import { PriceDetails } from "./SectionPrice";

export function BadgeList({ event }: { event: Pick<EventCardData, "status" | "waitingRoomEnabled" | "sections"> }) {
  return (
    <span className="badges">
      {eventBadges(event).map((badge) => (
        <span key={badge.label} className={`badge badge-${badge.tone}`}>
          {badge.label}
        </span>
      ))}
    </span>
  );
}

/** A plain primary press or click, one that navigates in this tab: not one that opens a new tab or window. */
function startReads(pressed: { button: number; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }, eventId: string): void {
  if (pressed.button === 0 && !pressed.ctrlKey && !pressed.metaKey && !pressed.shiftKey && !pressed.altKey) preloadEvent(eventId);
}

export function EventCard({ event, distanceKm }: { event: EventCardData; distanceKm?: number | null }) {
  const from = event.lowestAllInPrice;
  // The section the API's "from" price comes from, for its breakdown (same fee rules, same amount).
  const cheapest = from ? event.sections.find((section) => section.allInPrice.amount === from.amount) : undefined;
  // The event's name is the link (its accessible name is what it shows), stretched over the whole
  // card by CSS so the card is one big target; the price details toggle sits above it.
  return (
    <li className="card event-card">
      <div className="event-card-body">
        <span className="event-category">{CATEGORY_LABELS[event.category] ?? event.category}</span>
        <h3>
          {/* The event page's reads start as the link is pressed with a mouse or pen (event-preload.ts), else at
              the click: a finger on the card may be starting to scroll the list. */}
          <Link
            to={`/events/${event.id}`}
            className="event-card-link"
            onPointerDown={(pressed) => pressed.pointerType !== "touch" && startReads(pressed, event.id)}
            onClick={(clicked) => startReads(clicked, event.id)}
          >
            {event.name}
          </Link>
        </h3>
        <p className="muted">
          {event.venue.name}, {event.venue.city}
          {distanceKm != null && <> · {formatDistance(distanceKm)} away</>}
        </p>
        <p>{formatEventDate(event.startsAt, event.venue.timezone)}</p>
        <p className="event-card-foot">
          <BadgeList event={event} />
          {from && (
            <span className="price" data-testid="card-price">
              from {formatMoney(from)} all-in
            </span>
          )}
        </p>
      </div>
      {cheapest && (
        <div className="event-card-details">
          <PriceDetails quote={cheapest} name={event.name} />
        </div>
      )}
    </li>
  );
}
