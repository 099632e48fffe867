/** The signed-in promoter's bearer token and identity, kept in localStorage (this origin only). */
const TOKEN_KEY = "boxoffice.admin.token";
const IDENTITY_KEY = "boxoffice.admin.identity";

export interface StoredIdentity {
  id: string;
  name: string;
  email: string;
  role: "PROMOTER" | "ADMIN";
}

export const getToken = (): string | null => localStorage.getItem(TOKEN_KEY);

export function getStoredIdentity(): StoredIdentity | null {
  const stored = localStorage.getItem(IDENTITY_KEY);
  return stored ? (JSON.parse(stored) as StoredIdentity) : null;
}

export function saveSession(token: string, identity: StoredIdentity): void {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
}

export function clearSession(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(IDENTITY_KEY);
}
