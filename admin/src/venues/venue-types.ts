/** The shapes of AdminVenue the views read. */
import type { SeatLayout } from "@boxoffice/api/seat-map";

export interface SectionRecord {
  id: string;
  venueId: string;
  name: string;
  kind: "SEATED" | "GENERAL_ADMISSION";
  capacity: number;
  sortOrder: number;
  rows: number;
  seats: number;
  layout: SeatLayout | null;
}

export interface VenueRecord {
  id: string;
  name: string;
  city: string;
  country: string;
  timezone: string;
  sections: SectionRecord[];
  [field: string]: unknown;
}
