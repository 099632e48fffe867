/**
 * The GraphQL the live dashboard sends (validated against api/schema.graphql in live.test.ts) and the
 * shapes it receives. Money is in minor units with its currency, as everywhere in the console.
 */
export interface Money {
  amount: number;
  currency: string;
}

export interface DashboardSection {
  sectionId: string;
  name: string;
  kind: "SEATED" | "GENERAL_ADMISSION";
  total: number;
  sold: number;
  held: number;
  blocked: number;
  available: number;
  sellThrough: number;
  price: Money;
  floor: Money;
  ceiling: Money;
  dynamicPricing: boolean;
  pricingPaused: boolean;
  overridden: boolean;
  lastExplanation: string | null;
  lastComputedAt: string | null;
  priceHistory: { price: Money; reason: string; explanation: string; at: string }[];
}

export interface SaleSnapshot {
  eventId: string;
  eventName: string;
  venueId: string;
  status: string;
  generatedAt: string;
  ticketsSold: number;
  orders: number;
  revenue: Money;
  grossRevenue: Money;
  salesPerMinute: { minute: string; tickets: number; revenue: Money }[];
  sections: DashboardSection[];
  waitingRoom: { enabled: boolean; waiting: number; preQueue: number; admitted: number; active: number; admissionRatePerMinute: number; soldOut: boolean };
  holdsExpiring: { minutesFromNow: number; holds: number; tickets: number }[];
}

export interface VenueSeat {
  id: string;
  sectionId: string;
  x: number;
  y: number;
}

const MONEY = "{ amount currency }";

export const SALE_DASHBOARD_SUBSCRIPTION = `subscription LiveSaleDashboard($eventId: ID!) {
  adminSaleDashboardChanged(eventId: $eventId) {
    eventId eventName venueId status generatedAt ticketsSold orders revenue ${MONEY} grossRevenue ${MONEY}
    salesPerMinute { minute tickets revenue ${MONEY} }
    sections {
      sectionId name kind total sold held blocked available sellThrough price ${MONEY} floor ${MONEY} ceiling ${MONEY}
      dynamicPricing pricingPaused overridden lastExplanation lastComputedAt
      priceHistory { price ${MONEY} reason explanation at }
    }
    waitingRoom { enabled waiting preQueue admitted active admissionRatePerMinute soldOut }
    holdsExpiring { minutesFromNow holds tickets }
  }
}`;

export const VENUE_SEATS_QUERY = `query LiveVenueSeats($venueId: ID!) { adminVenueSeats(venueId: $venueId) { id sectionId x y } }`;
