import "server-only";
import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { ApiError, isApiError, type ErrorBody } from "../api/errors";
import { BodyTooLargeError, readLimitedText } from "../body-limit";
import { clientAddressOf } from "../client-address";
import { checkCsrf, CSRF_HEADER } from "../csrf";
import { errorFields } from "../log";
import { logger } from "./env";
import { keepSessionFresh } from "./refresh";
import { applyCookies, clearedSessionCookies, names } from "./session-cookies";

// The storefront's own JSON routes (/api/...), called by its pages' client
// components: CSRF-checked, authenticated from the session cookie, and
// answering with the services' error JSON so the browser handles one format.

const MAX_BODY_BYTES = 16 * 1024;

export interface BffContext<P> {
  req: NextRequest;
  params: P;
  /** The access token; set when the route requires a session. */
  token: string;
}

export interface BffOptions {
  /** The route needs a signed-in user (401 otherwise). */
  auth: boolean;
}

export function errorResponse(status: number, body: ErrorBody): NextResponse {
  return NextResponse.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

/** readJson parses a small JSON body or throws a 400 ApiError. */
export async function readJson(req: NextRequest): Promise<Record<string, unknown>> {
  if (!(req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw new ApiError(415, "INVALID_ARGUMENT", "send JSON (Content-Type: application/json)");
  }
  const tooLarge = () => new ApiError(413, "INVALID_ARGUMENT", `request body too large (at most ${MAX_BODY_BYTES} bytes)`);
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  // Counted as it arrives: a chunked body declares no length.
  let text: string;
  try {
    text = await readLimitedText(req.body, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw tooLarge();
    throw err;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ApiError(400, "INVALID_ARGUMENT", "the body is not valid JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ApiError(400, "INVALID_ARGUMENT", "the body must be a JSON object");
  return v as Record<string, unknown>;
}

/** Field checks for bodies before they are forwarded. */
export function requireString(body: Record<string, unknown>, field: string, max = 512): string {
  const v = body[field];
  if (typeof v !== "string" || v.length > max) throw new ApiError(400, "INVALID_ARGUMENT", `invalid ${field}`, [{ field, reason: "must be a string" }]);
  return v;
}

export function requireInt(body: Record<string, unknown>, field: string, min: number, max: number): number {
  const v = body[field];
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new ApiError(400, "INVALID_ARGUMENT", `invalid ${field}: must be a whole number from ${min} to ${max}`, [
      { field, reason: `must be a whole number from ${min} to ${max}` },
    ]);
  }
  return v;
}

/**
 * route wraps a handler: CSRF check for mutations, the session for
 * authenticated routes (refreshed when about to expire), and errors as
 * JSON. A 401 from the API drops the access cookie, so the next request
 * refreshes the session.
 */
export function route<P>(opts: BffOptions, handler: (ctx: BffContext<P>) => Promise<NextResponse>) {
  return async (req: NextRequest, segment: { params: Promise<P> }): Promise<Response> => {
    const log = logger();
    const why = checkCsrf({
      method: req.method,
      cookieToken: req.cookies.get(names().csrf)?.value,
      headerToken: req.headers.get(CSRF_HEADER),
      origin: req.headers.get("origin"),
      secFetchSite: req.headers.get("sec-fetch-site"),
      host: req.headers.get("x-forwarded-host") ?? req.headers.get("host"),
    });
    if (why) {
      log.warn("request refused by CSRF check", { path: req.nextUrl.pathname, reason: why });
      return errorResponse(403, { code: "PERMISSION_DENIED", message: `refused: ${why}` });
    }
    const n = names();
    // Requests with a body skip the proxy (see proxy.ts): refresh here.
    const refreshed = opts.auth
      ? await keepSessionFresh(req.cookies.get(n.refresh)?.value, req.cookies.get(n.access)?.value, clientAddressOf(req.headers))
      : [];
    const access = refreshed.find((c) => c.name === n.access);
    const token = access ? access.value : (req.cookies.get(n.access)?.value ?? "");
    const answer = (res: NextResponse): NextResponse => {
      applyCookies(res.cookies, refreshed);
      return res;
    };
    if (opts.auth && !token) return answer(errorResponse(401, { code: "UNAUTHENTICATED", message: "sign in first" }));
    try {
      return answer(await handler({ req, params: await segment.params, token }));
    } catch (err) {
      if (isApiError(err)) {
        const res = answer(errorResponse(err.status, err.body()));
        if (err.status === 401 && opts.auth) applyCookies(res.cookies, clearedSessionCookies("access"));
        // The rest of an oversized body stays unread: close the connection.
        if (err.status === 413) res.headers.set("Connection", "close");
        if (err.status >= 500) log.warn("API call failed", { path: req.nextUrl.pathname, code: err.code, request_id: err.requestId });
        return res;
      }
      log.error("storefront route failed", { path: req.nextUrl.pathname, ...errorFields(err) });
      return answer(errorResponse(500, { code: "INTERNAL", message: "internal error" }));
    }
  };
}

/** json answers with data and no caching. */
export function json(data: unknown, status = 200): NextResponse {
  return NextResponse.json(data, { status, headers: { "Cache-Control": "no-store" } });
}
