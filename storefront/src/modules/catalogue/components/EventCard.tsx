import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { CATEGORY_LABELS, formatDistance, formatEventDate, formatMoney } from "../../../shared/format";
import { eventBadges } from "../badges";
import { observeCard } from "../event-prefetch";
import { INTENT_MS, preloadEvent, preloadOnIntent } from "../event-preload";
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

/** Handlers that start `eventId`'s reads once a mouse or pen rests on the link, or focus stays on it, for INTENT_MS. */
function useIntent(eventId: string) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const start = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => preloadOnIntent(eventId), INTENT_MS);
  };
  const cancel = () => clearTimeout(timer.current);
  return {
    // Not a finger: it lands on a card as it starts scrolling the list.
    onPointerEnter: (entered: { pointerType: string }) => entered.pointerType !== "touch" && start(),
    onPointerLeave: cancel,
    onFocus: start,
    onBlur: cancel,
  };
}

export function EventCard({ event, distanceKm }: { event: EventCardData; distanceKm?: number | null }) {
  const intent = useIntent(event.id);
  // In view, the card's page may be prefetched while the list is idle (event-prefetch.ts).
  const card = useRef<HTMLLIElement>(null);
  useEffect(() => (card.current ? observeCard(card.current, event.id) : undefined), [event.id]);
  const from = event.lowestAllInPrice;
  // The section the API's "from" price comes from, for its breakdown (same fee rules, same amount).
  const cheapest = from ? event.sections.find((section) => section.allInPrice.amount === from.amount) : undefined;
  // The event's name is the link (its accessible name is what it shows), stretched over the whole
  // card by CSS so the card is one big target; the price details toggle sits above it.
  return (
    <li className="card event-card" ref={card}>
      <div className="event-card-body">
        <span className="event-category">{CATEGORY_LABELS[event.category] ?? event.category}</span>
        <h3>
          {/* The event page's reads start as a mouse or pen rests on the link or presses it, or as keyboard focus
              stays on it (event-preload.ts); by touch, at the click: a finger on the card may be starting to
              scroll the list. */}
          <Link
            to={`/events/${event.id}`}
            className="event-card-link"
            {...intent}
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
