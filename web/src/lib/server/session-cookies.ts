import "server-only";
import type { Tokens } from "../api/types";
import { cookieNames } from "../session/cookie-names";
import { getConfig } from "./env";

// The session lives in two httpOnly cookies (access and refresh token) and
// the CSRF token in a third. Only server code ever sees the tokens.

export interface CookieOptions {
  httpOnly: boolean;
  secure: boolean;
  sameSite: "lax" | "strict";
  path: string;
  maxAge: number;
}

export interface CookieChange {
  name: string;
  /** "" removes the cookie. */
  value: string;
  options: CookieOptions;
}

/** The part of Next's cookie stores (request, response, cookies()) we use. */
export interface CookieJar {
  set(name: string, value: string, options: CookieOptions): unknown;
}

export function names() {
  return cookieNames(getConfig().cookieSecure);
}

function options(httpOnly: boolean, maxAge: number, sameSite: "lax" | "strict" = "lax"): CookieOptions {
  return { httpOnly, secure: getConfig().cookieSecure, sameSite, path: "/", maxAge };
}

export function sessionCookies(tokens: Tokens): CookieChange[] {
  const n = names();
  return [
    { name: n.access, value: tokens.accessToken, options: options(true, Math.max(1, tokens.expiresIn)) },
    { name: n.refresh, value: tokens.refreshToken, options: options(true, getConfig().sessionMaxAgeSeconds) },
  ];
}

/**
 * Removal sets an empty, expired cookie with the same attributes: a
 * __Host- cookie is only replaced by one that is Secure and Path=/ too.
 */
export function clearedSessionCookies(which: "all" | "access" = "all"): CookieChange[] {
  const n = names();
  const list = which === "all" ? [n.access, n.refresh] : [n.access];
  return list.map((name) => ({ name, value: "", options: options(true, 0) }));
}

export function csrfCookie(token: string): CookieChange {
  // Readable by the page's script (it echoes it in X-CSRF-Token); Strict, as
  // no other site has any business sending it.
  return { name: names().csrf, value: token, options: options(false, getConfig().sessionMaxAgeSeconds, "strict") };
}

export function applyCookies(jar: CookieJar, changes: CookieChange[]): void {
  for (const c of changes) jar.set(c.name, c.value, c.options);
}
