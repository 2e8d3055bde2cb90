// Cookie names. With Secure cookies (everywhere but local http development)
// the __Host- prefix makes the browser refuse any such cookie that is not
// Secure, host-only and Path=/, so no subdomain can plant or shadow one.

export interface CookieNames {
  /** The access token (httpOnly). */
  access: string;
  /** The refresh token (httpOnly): the session itself. */
  refresh: string;
  /** The CSRF token, readable by the page's own script. */
  csrf: string;
}

export function cookieNames(secure: boolean): CookieNames {
  const p = secure ? "__Host-" : "";
  return { access: `${p}ss_access`, refresh: `${p}ss_session`, csrf: `${p}ss_csrf` };
}

/** Both possible CSRF cookie names; the browser finds whichever is set. */
export const CSRF_COOKIE_NAMES = [cookieNames(true).csrf, cookieNames(false).csrf];
