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
  const viewer = context.viewer;
  if (!viewer) throw new ApiError("UNAUTHENTICATED", "sign in first");
  if (roles.length === 0 || viewer.role === "ADMIN" || roles.includes(viewer.role)) return true;
  throw new ApiError("FORBIDDEN", "your role may not do this");
};

export function canManageOrganization(viewer: Viewer | null, organizationId: string): boolean {
  if (!viewer) return false;
  return viewer.role === "ADMIN" || (viewer.role === "PROMOTER" && viewer.organizationId === organizationId);
}
