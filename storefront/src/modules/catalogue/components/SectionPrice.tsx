import { useId, useRef, useState } from "react";
import { feeLabel, formatMoney, type Money } from "../../../shared/format";
import type { EventPageData, EventSectionData } from "../graphql";

/** One ticket's price as the API quotes it: base, each mandatory fee, and their sum (the all-in price). */
export type PriceQuote = Pick<EventSectionData, "price" | "allInPrice" | "fees">;

/** "$55.50 all-in ($50.00 + $5.50 fees)": the all-in price first, the breakdown behind it. */
export function describeSectionPrice(section: PriceQuote): string {
  const fees = section.allInPrice.amount - section.price.amount;
  if (fees === 0) return `${formatMoney(section.allInPrice)} all-in`;
  return `${formatMoney(section.allInPrice)} all-in (${formatMoney(section.price)} + ${formatMoney({ amount: fees, currency: section.price.currency })} fees)`;
}

/** "$30.25 – $112.50 all-in": where a dynamically priced section's all-in price may go. */
export function describeRange(range: { allInFloor: Money; allInCeiling: Money }): string {
  return `${formatMoney(range.allInFloor)} – ${formatMoney(range.allInCeiling)} all-in`;
}

/**
 * The breakdown of one ticket's all-in price behind a small "Price details" toggle: a real button
 * (keyboard and screen readers reach it; aria-expanded says whether the details show), the details
 * right after it in the reading order, Escape closing them and keeping focus on the button. A
 * toggle rather than a hover tooltip, so a phone and a keyboard get it as easily as a mouse.
 */
/** `name` tells several toggles on one page apart for screen readers ("Price details, Section A"). */
export function PriceDetails({ quote, name }: { quote: PriceQuote; name?: string }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  return (
    <span
      className="price-details"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.stopPropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="link price-details-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={name ? `Price details, ${name}` : undefined}
        onClick={(event) => {
          // A toggle inside a clickable card must not also follow the card's link.
          event.preventDefault();
          event.stopPropagation();
          setOpen((value) => !value);
        }}
      >
        Price details
      </button>
      <span id={panelId} className="price-details-panel" role="group" aria-label="Price per ticket" hidden={!open} data-testid="price-details">
        <span>
          Ticket <span>{formatMoney(quote.price)}</span>
        </span>
        {quote.fees.map((fee) => (
          <span key={fee.kind}>
            {feeLabel(fee.kind)} <span>{formatMoney(fee.amount)}</span>
          </span>
        ))}
        <span className="price-details-total">
          All-in <span>{formatMoney(quote.allInPrice)}</span>
        </span>
      </span>
    </span>
  );
}

/** A section's all-in price as the main figure; its range and a dynamic-pricing note when the engine moves it. */
export function SectionPrice({ section }: { section: Pick<EventSectionData, "allInPrice" | "dynamicPricing" | "allInFloor" | "allInCeiling"> }) {
  return (
    <span className="section-price">
      <span className="price" data-testid="section-price">
        {formatMoney(section.allInPrice)}
      </span>
      {section.dynamicPricing && (
        <span className="price-range" data-testid="section-range">
          {describeRange(section)} · prices are dynamic
        </span>
      )}
    </span>
  );
}

/**
 * The public rules of a dynamically priced event, shown before and during the sale: prices move, the
 * all-in range they move in, who sets it, and that a held price is the price paid.
 */
export function DynamicPricingNotice({ event }: { event: Pick<EventPageData, "dynamicPricing" | "dynamicPriceRange"> }) {
  if (!event.dynamicPricing || !event.dynamicPriceRange) return null;
  const { minAllIn, maxAllIn } = event.dynamicPriceRange;
  return (
    <p className="info dynamic-pricing" role="note" data-testid="dynamic-pricing">
      Prices for this event are dynamic between {formatMoney(minAllIn)} and {formatMoney(maxAllIn)} (all-in), set by the promoter; the
      price you hold is the price you pay.
    </p>
  );
}
