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
          {from && (
            <span className="price" data-testid="card-price">
              from {formatMoney(from)} all-in
            </span>
          )}
        </p>
      </Link>
      {/* Outside the link: a control inside a link is neither valid HTML nor reachable on its own. */}
      {cheapest && (
        <div className="event-card-details">
          <PriceDetails quote={cheapest} name={event.name} />
        </div>
      )}
    </li>
  );
}
