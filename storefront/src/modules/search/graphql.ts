import { gql } from "@apollo/client";
import type { EventCardData } from "../catalogue/graphql";
import { EVENT_CARD_FIELDS } from "../catalogue/home-events";

export const SEARCH_EVENTS = gql`
  query SearchEvents($input: EventSearchInput!) {
    searchEvents(input: $input) {
      totalCount
      engine
      hits {
        score
        distanceKm
        event {
          ...EventCardFields
        }
      }
      facets {
        field
        buckets {
          value
          count
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${EVENT_CARD_FIELDS}
`;

export const CITIES = gql`
  query Cities {
    cities {
      name
      country
      location {
        lat
        lon
      }
    }
  }
`;

export interface SearchResult {
  totalCount: number;
  engine: string;
  hits: { score: number | null; distanceKm: number | null; event: EventCardData }[];
  facets: { field: string; buckets: { value: string; count: number }[] }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface City {
  name: string;
  country: string;
  location: { lat: number; lon: number };
}
