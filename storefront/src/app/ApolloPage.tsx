import { ApolloProvider } from "@apollo/client/react";
import type { ReactNode } from "react";
import { client } from "./apollo";

/**
 * The Apollo client around a page that uses it. Loaded with the first such page (App.tsx), so the
 * home page, which fetches with app/graphql-fetch.ts, never downloads Apollo; every page shares the
 * one client, and with it the cache.
 */
export function ApolloPage({ children }: { children: ReactNode }) {
  return <ApolloProvider client={client}>{children}</ApolloProvider>;
}
