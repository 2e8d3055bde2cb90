import { NextResponse, type NextRequest } from "next/server";
import { newCsrfToken } from "@/lib/csrf";
import { needsRefresh } from "@/lib/session/claims";
import { refreshSession } from "@/lib/server/refresh";
import { clearedSessionCookies, csrfCookie, names, sessionCookies, type CookieChange } from "@/lib/server/session-cookies";

// Runs before every page and storefront route:
// - gives the browser a CSRF token cookie if it has none;
// - refreshes the session on the server when the access token is missing or
//   about to expire (once per refresh token, see lib/session/single-flight),
//   handing the new tokens both to this request's rendering and to the
//   browser.

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const n = names();
  const changes: CookieChange[] = [];

  if (!request.cookies.get(n.csrf)?.value) changes.push(csrfCookie(newCsrfToken()));

  const refreshToken = request.cookies.get(n.refresh)?.value;
  if (refreshToken && needsRefresh(request.cookies.get(n.access)?.value, Date.now())) {
    const outcome = await refreshSession(refreshToken);
    if (outcome.kind === "ok") changes.push(...sessionCookies(outcome.tokens));
    else if (outcome.kind === "ended") changes.push(...clearedSessionCookies());
    // "unavailable": keep the cookies and try again on the next request.
  }

  if (changes.length === 0) return NextResponse.next();
  for (const c of changes) {
    if (c.value) request.cookies.set(c.name, c.value);
    else request.cookies.delete(c.name);
  }
  const response = NextResponse.next({ request: { headers: request.headers } });
  for (const c of changes) response.cookies.set(c.name, c.value, c.options);
  return response;
}

export const config = {
  // Not for static files, images, or the health routes.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|api/v1/images|healthz|readyz).*)"],
};
