import { NextResponse, type NextRequest } from "next/server";
import { clientAddressOf } from "@/lib/client-address";
import { newNonce, pagePolicy } from "@/lib/csp";
import { newCsrfToken } from "@/lib/csrf";
import { keepSessionFresh } from "@/lib/server/refresh";
import { csrfCookie, names, type CookieChange } from "@/lib/server/session-cookies";

// Runs before every request without a body (pages, and the storefront
// routes' DELETEs; see the matcher):
// - gives the browser a CSRF token cookie if it has none;
// - refreshes the session on the server when the access token is missing or
//   about to expire (once per refresh token, see lib/session/single-flight),
//   handing the new tokens both to this request's rendering and to the
//   browser.

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const n = names();
  const changes: CookieChange[] = [];

  if (!request.cookies.get(n.csrf)?.value) changes.push(csrfCookie(newCsrfToken()));

  changes.push(...(await keepSessionFresh(request.cookies.get(n.refresh)?.value, request.cookies.get(n.access)?.value, clientAddressOf(request.headers))));

  for (const c of changes) {
    if (c.value) request.cookies.set(c.name, c.value);
    else request.cookies.delete(c.name);
  }
  // Next reads the nonce for its scripts from the request's policy (any
  // policy the client sent is replaced).
  const csp = pagePolicy(newNonce());
  request.headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.headers.set("Content-Security-Policy", csp);
  for (const c of changes) response.cookies.set(c.name, c.value, c.options);
  return response;
}

export const config = {
  matcher: [
    {
      // Not for static files, images, or the health routes.
      source: "/((?!_next/static|_next/image|favicon.ico|icon.svg|api/v1/images|healthz|readyz).*)",
      // Nor for requests with a body: Next reads the whole body before it
      // runs the proxy (to hand it a copy), whatever its size. The
      // storefront's JSON routes refresh the session themselves (bff.ts)
      // and read their bodies with a limit.
      missing: [
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
  ],
};
