import { ApiError, parseErrorBody } from "../api/errors";
import { CSRF_HEADER } from "../csrf";
import { CSRF_COOKIE_NAMES } from "../session/cookie-names";

// The browser's calls to the storefront's own routes (/api/...): same
// origin, JSON, the CSRF token echoed from its cookie, and failures as
// ApiError just like on the server.

/** readCookie finds one cookie's value in a document.cookie string. */
export function readCookie(cookieString: string, name: string): string | undefined {
  for (const part of cookieString.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function csrfToken(cookieString: string): string {
  for (const name of CSRF_COOKIE_NAMES) {
    const v = readCookie(cookieString, name);
    if (v) return v;
  }
  return "";
}

export type SendFetch = (url: string, init: RequestInit) => Promise<Response>;

export async function send<T>(
  method: "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  env: { fetch: SendFetch; cookie: () => string } = { fetch: (u, i) => fetch(u, i), cookie: () => document.cookie },
): Promise<T> {
  const h: Record<string, string> = { Accept: "application/json", [CSRF_HEADER]: csrfToken(env.cookie()), ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  let res: Response;
  let text: string;
  try {
    res = await env.fetch(path, {
      method,
      headers: h,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
    text = await res.text();
  } catch {
    throw new ApiError(503, "UNAVAILABLE", "the shop cannot be reached");
  }
  if (!res.ok) throw parseErrorBody(res.status, text, res.headers.get("x-request-id"));
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(502, "UNAVAILABLE", "unexpected answer from the shop");
  }
}
