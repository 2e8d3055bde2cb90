// The address of the storefront's client, for the gateway's per-client
// limits. The launcher (server/start.ts) replaces every request's
// X-Forwarded-For with the address it resolved from the socket and the
// trusted proxies' header, and marks the process; only then does that
// header name the client rather than whatever the client chose to send
// (Next itself keeps an incoming X-Forwarded-For as it is). Without the
// launcher (`next dev`) no address is passed on.

const RESOLVED = Symbol.for("shipshape.web.clientAddressResolved");

type Marked = { [RESOLVED]?: boolean };

/** markClientAddressResolved: called by the launcher once it resolves every request's address. */
export function markClientAddressResolved(): void {
  (globalThis as Marked)[RESOLVED] = true;
}

/** clientAddressOf returns the client's address from a request's headers, if the launcher resolved it. */
export function clientAddressOf(headers: { get(name: string): string | null }): string | undefined {
  if (!(globalThis as Marked)[RESOLVED]) return undefined;
  return headers.get("x-forwarded-for") ?? undefined;
}
