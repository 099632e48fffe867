import { useQuery } from "@apollo/client/react";
import { getToken } from "../../../app/session";
import { VIEWER, type Viewer } from "../graphql";

/** The signed-in fan, or null; no request at all without a token. */
export function useViewer(): { viewer: Viewer | null; loading: boolean } {
  const token = getToken();
  const { data, loading } = useQuery<{ viewer: Viewer | null }>(VIEWER, { skip: !token });
  return { viewer: token ? (data?.viewer ?? null) : null, loading: Boolean(token) && loading };
}
