import { REFRESH_SKEW_SECONDS } from "./refresh-policy";

// Reads an access token's claims WITHOUT verifying its signature: only to
// know when to refresh it and whose e-mail to show. Every service verifies
// the token itself; nothing here grants access.

export interface Claims {
  sub?: string;
  email?: string;
  exp?: number;
  roles?: string[];
}

function base64UrlDecode(part: string): string {
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
  const bin = atob(padded);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** readClaims returns the payload of a JWT, or null when it is not one. */
export function readClaims(token: string): Claims | null {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(parts[1]));
    if (typeof payload !== "object" || payload === null) return null;
    const p = payload as Record<string, unknown>;
    const claims: Claims = {};
    if (typeof p.sub === "string") claims.sub = p.sub;
    if (typeof p.email === "string") claims.email = p.email;
    if (typeof p.exp === "number") claims.exp = p.exp;
    if (Array.isArray(p.roles)) claims.roles = p.roles.filter((r): r is string => typeof r === "string");
    return claims;
  } catch {
    return null;
  }
}

/**
 * needsRefresh: the access token is missing, unreadable, or expires within
 * skewSeconds of nowMs (so a request never leaves with a token that dies
 * on the way).
 */
export function needsRefresh(token: string | undefined, nowMs: number, skewSeconds = REFRESH_SKEW_SECONDS): boolean {
  if (!token) return true;
  const exp = readClaims(token)?.exp;
  if (exp === undefined) return true;
  return exp * 1000 - nowMs <= skewSeconds * 1000;
}
