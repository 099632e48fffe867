import { useSyncExternalStore } from "react";
import { fetchGraphQL } from "../../../app/graphql-fetch";
import { getToken, onTokenChange } from "../../../app/session";
import type { Viewer } from "../graphql";

/**
 * The signed-in fan, asked once per token with the small fetch client (the header shows it on every
 * page, the home page included, which loads without Apollo) and asked again when the token changes
 * (sign-in, sign-out, another tab).
 */
const VIEWER_QUERY = `query Viewer { viewer { id name email role } }`;

interface ViewerState {
  viewer: Viewer | null;
  loading: boolean;
}

let state: ViewerState = { viewer: null, loading: false };
let askedFor: string | null | undefined;
const listeners = new Set<() => void>();

function set(next: ViewerState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** Asks who the token belongs to, unless that is already asked; the answer for an older token is dropped. */
function refresh(): void {
  const token = getToken();
  if (token === askedFor) return;
  askedFor = token;
  if (!token) return set({ viewer: null, loading: false });
  set({ viewer: null, loading: true });
  fetchGraphQL<{ viewer: Viewer | null }>(VIEWER_QUERY, {}).then(
    (data) => askedFor === token && set({ viewer: data.viewer, loading: false }),
    () => askedFor === token && set({ viewer: null, loading: false }),
  );
}

onTokenChange(refresh);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  refresh();
  return () => listeners.delete(listener);
}

/** The signed-in fan, or null; no request at all without a token. */
export function useViewer(): ViewerState {
  const current = useSyncExternalStore(subscribe, () => state);
  // Before the first answer for a stored token, say "loading" (never "signed out": pages that need an
  // account would send the fan to sign in).
  if (askedFor === undefined && getToken()) return { viewer: null, loading: true };
  return current;
}
