/**
 * What the development seed creates: organizations, accounts with documented credentials (README.md),
 * venues in real cities with real coordinates, and events relative to the moment of seeding.
 */
import type { VenueLayout } from "./venue-layouts.js";
import { amphitheatreLayout, arenaLayout, clubLayout, theatreLayout } from "./venue-layouts.js";

export const SEED_ORGANIZATIONS = [
  { slug: "lakeshore-live", name: "Lakeshore Live" },
  { slug: "northern-stages", name: "Northern Stages" },
] as const;

export type SeedOrganizationSlug = (typeof SEED_ORGANIZATIONS)[number]["slug"];

/** Development-only credentials; documented in README.md. Never used outside a development database. */
export const SEED_USERS = [
  { email: "fan@boxoffice.test", password: "fan-password", name: "Frankie Fan", role: "FAN", organization: null },
  { email: "fan2@boxoffice.test", password: "fan-password", name: "Sam Second", role: "FAN", organization: null },
  {
    email: "promoter@boxoffice.test",
    password: "promoter-password",
    name: "Pat Promoter",
    role: "PROMOTER",
    organization: "lakeshore-live",
  },
  {
    email: "promoter@northern-stages.test",
    password: "promoter-password",
    name: "Nora Stage",
    role: "PROMOTER",
    organization: "northern-stages",
  },
  { email: "admin@boxoffice.test", password: "admin-password", name: "Ada Admin", role: "ADMIN", organization: null },
] as const satisfies readonly {
  email: string;
  password: string;
  name: string;
  role: "FAN" | "PROMOTER" | "ADMIN";
  organization: SeedOrganizationSlug | null;
}[];

export interface SeedVenue {
  slug: string;
  name: string;
  address: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
  organization: SeedOrganizationSlug;
  layout: () => VenueLayout;
}

export const SEED_VENUES: SeedVenue[] = [
  {
    slug: "lakeshore-arena",
    name: "Lakeshore Arena",
    address: "1901 W Madison St",
    city: "Chicago",
    country: "US",
    latitude: 41.8807,
    longitude: -87.6742,
    timezone: "America/Chicago",
    organization: "lakeshore-live",
    layout: arenaLayout,
  },
  {
    slug: "strand-playhouse",
    name: "Strand Playhouse",
    address: "Aldwych",
    city: "London",
    country: "GB",
    latitude: 51.5115,
    longitude: -0.1196,
    timezone: "Europe/London",
    organization: "northern-stages",
    layout: () => theatreLayout(),
  },
  {
    slug: "kesselhaus-club",
    name: "Kesselhaus Club",
    address: "Knaackstraße 97",
    city: "Berlin",
    country: "DE",
    latitude: 52.5386,
    longitude: 13.4124,
    timezone: "Europe/Berlin",
    organization: "lakeshore-live",
    layout: clubLayout,
  },
  {
    slug: "red-mesa-amphitheatre",
    name: "Red Mesa Amphitheatre",
    address: "18300 W Alameda Pkwy",
    city: "Morrison",
    country: "US",
    latitude: 39.6654,
    longitude: -105.2057,
    timezone: "America/Denver",
    organization: "lakeshore-live",
    layout: amphitheatreLayout,
  },
  {
    slug: "congress-avenue-hall",
    name: "Congress Avenue Hall",
    address: "713 Congress Ave",
    city: "Austin",
    country: "US",
    latitude: 30.2694,
    longitude: -97.7425,
    timezone: "America/Chicago",
    organization: "lakeshore-live",
    layout: () => theatreLayout({ scale: 0.5 }),
  },
];

export interface SeedEvent {
  slug: string;
  name: string;
  artist: string;
  description: string;
  category: "CONCERT" | "SPORTS" | "THEATER" | "COMEDY" | "FAMILY" | "FESTIVAL" | "OTHER";
  status: "DRAFT" | "SCHEDULED" | "ON_SALE" | "SOLD_OUT" | "CANCELLED" | "ENDED";
  venue: string;
  currency: string;
  /** Days from the moment of seeding. */
  startsInDays: number;
  /** Minutes from the moment of seeding; negative = already on sale. */
  onSaleInMinutes: number;
  basePriceMinor: number;
  waitingRoomEnabled?: boolean;
  waitingRoomMaxActiveShoppers?: number;
  maxSeatsPerUser?: number;
  serviceFeeBasisPoints?: number;
  facilityFeeMinor?: number;
  /**
   * Dynamic pricing on every section, inside ±40% of its seeded price (the seed stands for a promoter
   * who published these rules weeks before the on-sale): the largest step per minute, and the day of
   * the sale by which the pacing target expects a sell-out (default: the event's start).
   */
  dynamicPricing?: { maxStepPercent: number; sellOutAfterDays?: number; curve?: "FRONT_LOADED" | "LINEAR"; freezeMinutes?: number };
}

const ON_SALE_SINCE = -60;

export const SEED_EVENTS: SeedEvent[] = [
  {
    slug: "nova-lights-chicago",
    name: "Nova Lights — Afterglow World Tour",
    artist: "Nova Lights",
    description: "The stadium-pop sensation's first arena tour. High demand: the waiting room is on.",
    category: "CONCERT",
    status: "ON_SALE",
    venue: "lakeshore-arena",
    currency: "USD",
    startsInDays: 45,
    onSaleInMinutes: ON_SALE_SINCE,
    basePriceMinor: 8900,
    waitingRoomEnabled: true,
    waitingRoomMaxActiveShoppers: 200,
    maxSeatsPerUser: 4,
    serviceFeeBasisPoints: 1200,
    facilityFeeMinor: 350,
    dynamicPricing: { maxStepPercent: 5, sellOutAfterDays: 7 },
  },
  {
    slug: "aurora-skies-reunion-chicago",
    name: "Aurora Skies — The Reunion",
    artist: "Aurora Skies",
    description: "Goes on sale soon: join the waiting room early to be placed in the randomized pre-queue.",
    category: "CONCERT",
    status: "SCHEDULED",
    venue: "lakeshore-arena",
    currency: "USD",
    startsInDays: 90,
    onSaleInMinutes: 60,
    basePriceMinor: 7500,
    waitingRoomEnabled: true,
    waitingRoomMaxActiveShoppers: 300,
    maxSeatsPerUser: 6,
    serviceFeeBasisPoints: 1200,
    facilityFeeMinor: 350,
    dynamicPricing: { maxStepPercent: 5, sellOutAfterDays: 7 },
  },
  {
    slug: "chicago-blaze-vs-detroit-ironworks",
    name: "Chicago Blaze vs Detroit Ironworks",
    artist: "Chicago Blaze",
    description: "Regular-season basketball.",
    category: "SPORTS",
    status: "ON_SALE",
    venue: "lakeshore-arena",
    currency: "USD",
    startsInDays: 12,
    onSaleInMinutes: ON_SALE_SINCE,
    basePriceMinor: 4500,
    facilityFeeMinor: 250,
    dynamicPricing: { maxStepPercent: 3, curve: "LINEAR", freezeMinutes: 120 },
  },
  {
    slug: "hamlet-strand",
    name: "Hamlet",
    artist: "The Strand Company",
    description: "Shakespeare's tragedy in a new production.",
    category: "THEATER",
    status: "ON_SALE",
    venue: "strand-playhouse",
    currency: "GBP",
    startsInDays: 20,
    onSaleInMinutes: ON_SALE_SINCE,
    basePriceMinor: 3500,
    serviceFeeBasisPoints: 800,
  },
  {
    slug: "late-night-laughs-austin",
    name: "Late Night Laughs",
    artist: "Dana Quip",
    description: "Stand-up comedy, two hours of it.",
    category: "COMEDY",
    status: "ON_SALE",
    venue: "congress-avenue-hall",
    currency: "USD",
    startsInDays: 9,
    onSaleInMinutes: ON_SALE_SINCE,
    basePriceMinor: 3000,
  },
  {
    slug: "techno-nacht-berlin",
    name: "Techno Nacht",
    artist: "Kaltfront",
    description: "All-night techno, standing only.",
    category: "CONCERT",
    status: "ON_SALE",
    venue: "kesselhaus-club",
    currency: "EUR",
    startsInDays: 6,
    onSaleInMinutes: ON_SALE_SINCE,
    basePriceMinor: 2800,
    serviceFeeBasisPoints: 900,
  },
  {
    slug: "solstice-festival-red-mesa",
    name: "Solstice Festival",
    artist: "Various Artists",
    description: "A day of music under the sky: reserved seats or the lawn.",
    category: "FESTIVAL",
    status: "ON_SALE",
    venue: "red-mesa-amphitheatre",
    currency: "USD",
    startsInDays: 60,
    onSaleInMinutes: ON_SALE_SINCE,
    basePriceMinor: 6500,
    facilityFeeMinor: 500,
  },
  {
    slug: "frozen-wonders-on-ice-chicago",
    name: "Frozen Wonders on Ice",
    artist: "Frozen Wonders",
    description: "A family ice show.",
    category: "FAMILY",
    status: "ON_SALE",
    venue: "lakeshore-arena",
    currency: "USD",
    startsInDays: 30,
    onSaleInMinutes: ON_SALE_SINCE,
    basePriceMinor: 3500,
  },
  {
    slug: "macbeth-strand",
    name: "Macbeth",
    artist: "The Strand Company",
    description: "Announced for next season; on sale in a month.",
    category: "THEATER",
    status: "SCHEDULED",
    venue: "strand-playhouse",
    currency: "GBP",
    startsInDays: 120,
    onSaleInMinutes: 30 * 24 * 60,
    basePriceMinor: 4000,
  },
  {
    slug: "jazz-at-sunset-red-mesa",
    name: "Jazz at Sunset",
    artist: "The Mesa Quartet",
    description: "Last season's closing night.",
    category: "CONCERT",
    status: "ENDED",
    venue: "red-mesa-amphitheatre",
    currency: "USD",
    startsInDays: -10,
    onSaleInMinutes: -60 * 24 * 60,
    basePriceMinor: 4000,
  },
  {
    slug: "unannounced-comedy-special",
    name: "Unannounced Comedy Special",
    artist: "Secret Guest",
    description: "A draft the public must not see.",
    category: "COMEDY",
    status: "DRAFT",
    venue: "congress-avenue-hall",
    currency: "USD",
    startsInDays: 75,
    onSaleInMinutes: 40 * 24 * 60,
    basePriceMinor: 3000,
  },
];
