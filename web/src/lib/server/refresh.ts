import "server-only";
import { isApiError } from "../api/errors";
import type { Tokens } from "../api/types";
import { needsRefresh } from "../session/claims";
import { refreshOncePerToken } from "../session/refresh-policy";
import { api, logger } from "./env";
import { clearedSessionCookies, sessionCookies, type CookieChange } from "./session-cookies";

// Server-side token refresh, once per refresh token in this process (see
// single-flight.ts for why, refresh-policy.ts for how long). Kept on globalThis so every bundle of the
// server (proxy, route handlers) shares the one map.

export type RefreshOutcome = { kind: "ok"; tokens: Tokens } | { kind: "ended" } | { kind: "unavailable" };

const KEY = Symbol.for("shipshape.web.refresh");

type Refresher = (refreshToken: string, clientAddress: string | undefined) => Promise<Tokens>;

function refresher(): Refresher {
  const g = globalThis as { [KEY]?: Refresher };
  // Concurrent callers share one call, made for the first one's client (one
  // session: one browser).
  g[KEY] ??= refreshOncePerToken((refreshToken, clientAddress: string | undefined) =>
    api().request<Tokens>("/auth/refresh", { method: "POST", body: { refreshToken }, clientAddress }),
  );
  return g[KEY];
}

export async function refreshSession(refreshToken: string, clientAddress: string | undefined): Promise<RefreshOutcome> {
  try {
    return { kind: "ok", tokens: await refresher()(refreshToken, clientAddress) };
  } catch (err) {
    if (isApiError(err) && err.status >= 400 && err.status < 500 && err.status !== 429) {
      // Expired, revoked or reused: the session is over.
      logger().info("session ended at refresh", { code: err.code });
      return { kind: "ended" };
    }
    logger().warn("token refresh failed; keeping the session", { error: isApiError(err) ? err.code : String(err) });
    return { kind: "unavailable" };
  }
}

/**
 * keepSessionFresh refreshes the session when the access token is missing
 * or about to expire and returns the cookie changes for the request and
 * the browser: new tokens, both cleared (the session ended), or none.
 */
export async function keepSessionFresh(
  refreshToken: string | undefined,
  accessToken: string | undefined,
  clientAddress: string | undefined,
): Promise<CookieChange[]> {
  if (!refreshToken || !needsRefresh(accessToken, Date.now())) return [];
  const outcome = await refreshSession(refreshToken, clientAddress);
  if (outcome.kind === "ok") return sessionCookies(outcome.tokens);
  if (outcome.kind === "ended") return clearedSessionCookies();
  // "unavailable": keep the cookies and try again on the next request.
  return [];
}
