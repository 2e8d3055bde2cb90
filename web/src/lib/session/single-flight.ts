// Refresh tokens rotate, and presenting one twice revokes the whole session
// (identity's reuse detection). Several requests of one browser often carry
// the same expiring session at once (a page and its prefetches), so every
// refresh for one refresh token must happen exactly once: concurrent callers
// share the call in flight, and callers that arrive shortly after (the
// browser had not stored the new cookies yet) get the same result instead of
// presenting the spent token again.

export interface SingleFlightOptions {
  /** How long a successful result is handed to late callers. */
  keepMs: number;
  /** How long a failure is (so a burst does not retry at once). */
  keepFailureMs: number;
  /** Entries kept at most; the oldest are dropped beyond it. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry<T> {
  promise: Promise<T>;
  /** When the call settled, and whether it failed; unset while in flight. */
  settledAt?: number;
  failed?: boolean;
}

/**
 * singleFlight wraps fn so that it runs once per key at a time and its
 * result is shared as above. arg (e.g. who the call is for) is the first
 * caller's; the callers it shares with do not pass theirs on.
 */
export function singleFlight<T, A = void>(fn: (key: string, arg: A) => Promise<T>, o: SingleFlightOptions): (key: string, arg: A) => Promise<T> {
  const entries = new Map<string, Entry<T>>();
  const now = o.now ?? Date.now;
  const maxEntries = o.maxEntries ?? 10_000;

  const fresh = (e: Entry<T>, t: number): boolean =>
    e.settledAt === undefined || t - e.settledAt < (e.failed ? o.keepFailureMs : o.keepMs);

  return (key: string, arg: A) => {
    const t = now();
    const existing = entries.get(key);
    if (existing && fresh(existing, t)) return existing.promise;
    // Sweep stale entries so the map stays small.
    for (const [k, e] of entries) {
      if (!fresh(e, t)) entries.delete(k);
    }
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
    const entry: Entry<T> = {
      promise: fn(key, arg).then(
        (v) => {
          entry.settledAt = now();
          return v;
        },
        (err: unknown) => {
          entry.settledAt = now();
          entry.failed = true;
          throw err;
        },
      ),
    };
    entries.set(key, entry);
    return entry.promise;
  };
}
