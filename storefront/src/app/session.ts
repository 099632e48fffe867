/**
 * The signed-in fan's bearer token, kept in localStorage so a reload keeps the session. Listeners are
 * told when it changes (sign-in, sign-out, another tab) so the Apollo client can reset its cache and
 * reconnect the WebSocket with the new identity.
 */
const KEY = "boxoffice.token";
const listeners = new Set<(token: string | null) => void>();

export function getToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener(token);
}

export function onTokenChange(listener: (token: string | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

window.addEventListener("storage", (event) => {
  if (event.key === KEY) for (const listener of listeners) listener(event.newValue);
});

/** Per-event values that belong to this browser tab's purchase (queue ticket, admission, hold). */
export const eventStorage = {
  get<T>(eventId: string, name: string): T | null {
    try {
      const raw = localStorage.getItem(`boxoffice.${name}.${eventId}`);
      return raw ? (JSON.parse(raw) as T) : null;
    } catch {
      return null;
    }
  },
  set(eventId: string, name: string, value: unknown): void {
    if (value === null || value === undefined) localStorage.removeItem(`boxoffice.${name}.${eventId}`);
    else localStorage.setItem(`boxoffice.${name}.${eventId}`, JSON.stringify(value));
  },
};
