// The signed-in session: the bearer token from `login`, kept in this browser's storage, and
// what `me` says of its user. An API answer of 401 (expired or revoked) ends it.
import { reactive } from "vue";

const KEY = "jiandu.session";

export type Role = "PUBLIC" | "DEPUTY" | "STAFF" | "HANDLER" | "FINANCE" | "ADMIN";

export interface SessionUser {
  username: string;
  displayName: string;
  role: Role;
}

interface Stored {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

function load(): Stored | null {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? "null") as Stored | null;
    return stored && Date.parse(stored.expiresAt) > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

export const session = reactive<{ current: Stored | null; expired: boolean }>({
  current: load(),
  expired: false,
});

export function signedIn(token: string, expiresAt: string, user: SessionUser): void {
  session.current = { token, expiresAt, user };
  session.expired = false;
  localStorage.setItem(KEY, JSON.stringify(session.current));
}

export function signOut(expired = false): void {
  session.current = null;
  session.expired = expired;
  localStorage.removeItem(KEY);
}

export function token(): string | null {
  return session.current?.token ?? null;
}
