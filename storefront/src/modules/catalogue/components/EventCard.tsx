import { Link } from "react-router";
import { CATEGORY_LABELS, formatDistance, formatEventDate, formatMoney } from "../../../shared/format";
import { eventBadges, priceRange } from "../badges";
import type { EventCardData } from "../graphql";

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
  const range = priceRange(event);
  return (
    <li className="card event-card">
      <Link to={`/events/${event.id}`} className="event-card-link" aria-label={`${event.name} at ${event.venue.name}`}>
        <span className="event-category">{CATEGORY_LABELS[event.category] ?? event.category}</span>
        <h3>{event.name}</h3>
        <p className="muted">
          {event.venue.name}, {event.venue.city}
          {distanceKm != null && <> · {formatDistance(distanceKm)} away</>}
        </p>
        <p>{formatEventDate(event.startsAt, event.venue.timezone)}</p>
        <p className="event-card-foot">
          <BadgeList event={event} />
          {range && (
            <span className="price">
              from {formatMoney({ amount: range.min, currency: range.currency })} all-in
            </span>
          )}
        </p>
      </Link>
    </li>
  );
}
