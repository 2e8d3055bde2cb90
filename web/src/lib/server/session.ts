import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { readClaims } from "../session/claims";
import { names } from "./session-cookies";

export interface Session {
  accessToken: string;
  email: string;
}

/**
 * getSession reads the signed-in user from the access-token cookie (kept
 * fresh by the proxy). The claims are only displayed; the API checks the
 * token on every call.
 */
export const getSession = cache(async (): Promise<Session | null> => {
  const jar = await cookies();
  const accessToken = jar.get(names().access)?.value;
  if (!accessToken) return null;
  const claims = readClaims(accessToken);
  if (!claims) return null;
  return { accessToken, email: claims.email ?? "" };
});

export function signInPath(returnTo: string): string {
  return `/signin?next=${encodeURIComponent(returnTo)}`;
}

/** requireSession sends a visitor without a session to sign in first. */
export async function requireSession(returnTo: string): Promise<Session> {
  const s = await getSession();
  if (!s) redirect(signInPath(returnTo));
  return s;
}
