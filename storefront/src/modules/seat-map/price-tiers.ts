/**
 * Price tiers for colouring the map: the distinct all-in prices of the seated sections, lowest first,
 * grouped into at most `TIER_COLORS.length` bands of neighbouring prices when there are more.
 */
export interface PriceTier {
  /** All-in price per ticket, minor units. */
  low: number;
  high: number;
  color: string;
}

/**
 * Each at least 3:1 against the map's background (#f6f7fb) and against white, as WCAG 2.2's
 * non-text contrast asks of the only thing telling a seat's tier apart; none is the orange of "yours".
 */
export const TIER_COLORS = ["#1b7f3b", "#2f6fed", "#7b3fe4", "#c0267a", "#0f6e7a", "#8a5a00"];

export function priceTiers(prices: readonly number[]): PriceTier[] {
  const distinct = [...new Set(prices)].sort((a, b) => a - b);
  if (distinct.length === 0) return [];
  const bands = Math.min(TIER_COLORS.length, distinct.length);
  const tiers: PriceTier[] = [];
  for (let band = 0; band < bands; band++) {
    const from = Math.floor((band * distinct.length) / bands);
    const to = Math.floor(((band + 1) * distinct.length) / bands) - 1;
    tiers.push({ low: distinct[from]!, high: distinct[to]!, color: TIER_COLORS[band]! });
  }
  return tiers;
}

/** The tier a price falls in (the last whose low is at or under it). */
export function tierOf(tiers: readonly PriceTier[], price: number): number {
  let found = 0;
  for (let index = 0; index < tiers.length; index++) if (tiers[index]!.low <= price) found = index;
  return found;
}
