/** The shapes of AdminEvent the views read. */
export interface Money {
  amount: number;
  currency?: string;
}

export interface EventSectionRecord {
  section: { id: string; name: string; kind: string };
  price: Money;
  allInPrice: Money;
  floor: Money;
  ceiling: Money;
  dynamicPricing: boolean;
  maxStepPercent: number;
  pricingPaused: boolean;
  priceOverridden: boolean;
  available: number;
  total: number;
}

export interface EventRecord {
  id: string;
  name: string;
  status: string;
  currency: string;
  allowedTransitions: string[];
  sections: EventSectionRecord[];
  [field: string]: unknown;
}
