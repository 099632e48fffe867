/**
 * Sign-in through the API's `login` mutation. Only promoters and admins may enter: a fan's valid
 * credentials are refused with a message pointing to the storefront, and no token is kept. An
 * UNAUTHENTICATED answer from any later request (expired or revoked token) signs the user out.
 */
import type { AuthProvider } from "ra-core";
import type { GraphQLTransport, UserError } from "../dataProvider/graphql-client";
import { LOGIN_DOCUMENT, VIEWER_DOCUMENT } from "../dataProvider/operations";
import { clearSession, getStoredIdentity, getToken, saveSession, type StoredIdentity } from "./session";

export const FAN_REFUSED_MESSAGE = "This console is for promoters and admins. Fans can buy tickets in the storefront.";

const CONSOLE_ROLES = new Set(["PROMOTER", "ADMIN"]);

interface LoginPayload {
  token: string | null;
  user: { id: string; name: string; email: string; role: string } | null;
  errors: UserError[];
}

export function createAuthProvider(transport: GraphQLTransport): AuthProvider {
  return {
    async login(params: { email?: string; username?: string; password: string }) {
      const email = (params.email ?? params.username ?? "").trim();
      const data = await transport({ query: LOGIN_DOCUMENT, variables: { input: { email, password: params.password } } });
      const payload = data.login as LoginPayload;
      if (payload.errors.length) throw new Error(payload.errors[0]!.message);
      if (!payload.token || !payload.user) throw new Error("Sign-in failed; please try again.");
      if (!CONSOLE_ROLES.has(payload.user.role)) throw new Error(FAN_REFUSED_MESSAGE);
      saveSession(payload.token, payload.user as StoredIdentity);
    },

    async logout() {
      clearSession();
    },

    async checkAuth() {
      if (!getToken()) throw new Error("Please sign in.");
    },

    async checkError(error: { status?: number }) {
      if (error?.status === 401) {
        clearSession();
        throw new Error("Your session has ended; please sign in again.");
      }
    },

    async getIdentity() {
      let identity = getStoredIdentity();
      if (!identity) {
        const data = await transport({ query: VIEWER_DOCUMENT, variables: {} });
        identity = data.viewer as StoredIdentity | null;
        if (!identity) throw new Error("Please sign in.");
      }
      return { id: identity.id, fullName: identity.name, email: identity.email, role: identity.role };
    },

    async getPermissions() {
      return getStoredIdentity()?.role ?? null;
    },
  };
}
