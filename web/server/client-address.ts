import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

// Who the client is: the socket's peer, unless the peer is a trusted proxy
// (the ingress controller), whose X-Forwarded-For is then read from the
// right, skipping further trusted proxies, to the first address it did not
// add itself. The same rule as KrakenD's router (gin's ClientIP), so the
// storefront and the gateway agree on who a client is.

/** normaliseAddress writes an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as IPv4. */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

export type IsTrusted = (address: string) => boolean;

/** trustedProxies matches addresses against CIDRs checked by parseCidrList. */
export function trustedProxies(cidrs: string[]): IsTrusted {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [addr = "", bits = ""] = cidr.split("/");
    list.addSubnet(addr, Number(bits), isIP(addr) === 6 ? "ipv6" : "ipv4");
  }
  return (address) => {
    const a = normaliseAddress(address);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 6 ? "ipv6" : "ipv4");
  };
}

/** resolveClientAddress applies the rule above; "" only when the socket has no peer (closed). */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, isTrusted: IsTrusted): string {
  const remote = normaliseAddress(peer ?? "");
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
  if (!remote || !header || !isTrusted(remote)) return remote;
  const hops = header.split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normaliseAddress((hops[i] ?? "").trim());
    // Garbage means the chain cannot be followed: the peer is all we know.
    if (isIP(hop) === 0) break;
    if (i === 0 || !isTrusted(hop)) return hop;
  }
  return remote;
}

/** clientAddressResolver sets each request's X-Forwarded-For to exactly its client's address. */
export function clientAddressResolver(isTrusted: IsTrusted) {
  return (req: IncomingMessage): void => {
    req.headers["x-forwarded-for"] = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], isTrusted);
  };
}
