import { Link } from "react-router";
import { CATEGORY_LABELS, formatDistance, formatEventDate, formatMoney } from "../../../shared/format";
import { eventBadges } from "../badges";
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
          <Link to={`/events/${event.id}`} className="event-card-link">
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
