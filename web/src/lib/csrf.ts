// CSRF protection for the storefront's mutating routes (/api/...), on top of
// SameSite=Lax session cookies:
// - the browser must say the request is same-origin (Sec-Fetch-Site, Origin);
// - and it must echo the CSRF cookie in the X-CSRF-Token header (double
//   submit): another site can neither read that cookie nor set the header
//   without a CORS preflight, which the storefront never grants. In
//   production the cookie has the __Host- prefix, so a sibling subdomain
//   cannot plant its own.

export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** newCsrfToken is 32 random bytes, base64url. */
export function newCsrfToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** sameToken compares in time independent of where the strings differ. */
export function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export interface CsrfInput {
  method: string;
  /** The CSRF cookie's value. */
  cookieToken: string | undefined;
  /** The X-CSRF-Token header. */
  headerToken: string | null;
  /** The Origin and Sec-Fetch-Site headers, when the browser sent them. */
  origin: string | null;
  secFetchSite: string | null;
  /** The host the browser addressed (X-Forwarded-Host behind a proxy, else Host). */
  host: string | null;
}

/** checkCsrf returns why a request must be refused, or null to let it pass. */
export function checkCsrf(r: CsrfInput): string | null {
  if (SAFE_METHODS.has(r.method.toUpperCase())) return null;
  if (r.secFetchSite && r.secFetchSite !== "same-origin") return `cross-site request (Sec-Fetch-Site: ${r.secFetchSite})`;
  if (r.origin) {
    let originHost: string;
    try {
      originHost = new URL(r.origin).host;
    } catch {
      return "malformed Origin header";
    }
    if (!r.host || originHost.toLowerCase() !== r.host.toLowerCase()) return `origin ${r.origin} is not this site`;
  }
  if (!r.cookieToken || r.cookieToken.length < 32) return "no CSRF cookie: reload the page";
  if (!r.headerToken || !sameToken(r.cookieToken, r.headerToken)) return "CSRF token missing or wrong: reload the page";
  return null;
}
