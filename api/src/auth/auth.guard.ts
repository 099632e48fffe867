/**
 * Role guard for `@Authorized(...)`: no viewer ⇒ UNAUTHENTICATED; a viewer without one of the roles
 * ⇒ FORBIDDEN. ADMIN passes every role check. Organization scoping (a promoter only manages its own
 * organization's events) is checked in services with `canManageOrganization`.
 */
import type { AuthChecker } from "type-graphql";
import type { Context } from "../request-context.js";
import { ApiError } from "../platform/errors.js";
import type { Role, Viewer } from "./auth.tokens.js";

export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  const viewer = signedIn(context);
  if (roles.length === 0 || viewer.role === "ADMIN" || roles.includes(viewer.role)) return true;
  throw new ApiError("FORBIDDEN", "your role may not do this");
};

export function canManageOrganization(viewer: Viewer | null, organizationId: string): boolean {
  if (!viewer) return false;
  return viewer.role === "ADMIN" || (viewer.role === "PROMOTER" && viewer.organizationId === organizationId);
}

/** The viewer, or UNAUTHENTICATED (for a key: how to act for a fan). */
export function signedIn(context: Pick<Context, "viewer" | "partner">): Viewer {
  if (context.viewer) return context.viewer;
  // An API key is no viewer; it acts for a fan only when it names one (partner/partner.fans.ts).
  if (context.partner) throw new ApiError("UNAUTHENTICATED", "this operation acts for a fan: send the Boxoffice-Fan header with the fan's externalId (see upsertPartnerFan)");
  throw new ApiError("UNAUTHENTICATED", "sign in first");
}
