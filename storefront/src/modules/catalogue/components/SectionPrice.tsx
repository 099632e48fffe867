import { formatMoney } from "../../../shared/format";
import { feeLabel } from "../../hold/graphql";
import type { EventPageData, EventSectionData } from "../graphql";

/** "$55.50 all-in ($50.00 + $5.50 fees)": the all-in price first, the breakdown behind it. */
export function describeSectionPrice(section: Pick<EventSectionData, "price" | "allInPrice" | "fees">): string {
  const fees = section.allInPrice.amount - section.price.amount;
  if (fees === 0) return `${formatMoney(section.allInPrice)} all-in`;
  return `${formatMoney(section.allInPrice)} all-in (${formatMoney(section.price)} + ${formatMoney({ amount: fees, currency: section.price.currency })} fees)`;
}

/** A section's all-in price as the main figure, with base price and each fee per ticket on hover or focus. */
export function SectionPrice({ section }: { section: Pick<EventSectionData, "price" | "allInPrice" | "fees" | "dynamicPricing"> }) {
  const breakdown = [`Ticket ${formatMoney(section.price)}`, ...section.fees.map((fee) => `${feeLabel(fee.kind)} ${formatMoney(fee.amount)}`)].join(" + ");
  return (
    <span className="price" title={`${breakdown} per ticket`}>
      {formatMoney(section.allInPrice)}
      {section.dynamicPricing && <span className="dynamic-mark" aria-hidden="true"> ↕</span>}
      <span className="price-breakdown">{breakdown}</span>
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
