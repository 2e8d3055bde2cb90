import { singleFlight } from "./single-flight";

// When the storefront refreshes a session, and for how long one refresh
// answers for a refresh token in this process.
//
// Identity rotates refresh tokens and revokes the session when a rotated
// one comes back, except once: the same client (browser address) may repeat
// it within identity's REFRESH_GRACE (10 s) and gets the same successor.
// That covers two replicas of the storefront refreshing one session at
// once. Within a replica the refresh is made once and its answer handed to
// the requests that bring the same token shortly after (they left the
// browser before the new cookies arrived) for SHARE_MS, which stays within
// the grace: the storefront never answers for a token longer than identity
// would, so a rotated token replayed later reaches identity, which treats
// it as theft.

/** Refresh when the access token expires within this many seconds: a page's API calls (API_TIMEOUT each) and clock skew fit in it. */
export const REFRESH_SKEW_SECONDS = 30;

/** How long a refresh's answer is shared in one process: at most identity's REFRESH_GRACE. */
export const SHARE_MS = 10_000;

/** How long a failed refresh is shared, so a burst of requests does not repeat it at once. */
export const SHARE_FAILURE_MS = 2_000;

/** refreshOncePerToken wraps the refresh call with the sharing above. */
export function refreshOncePerToken<T, A>(refresh: (refreshToken: string, arg: A) => Promise<T>, now?: () => number) {
  return singleFlight(refresh, { keepMs: SHARE_MS, keepFailureMs: SHARE_FAILURE_MS, ...(now ? { now } : {}) });
}
