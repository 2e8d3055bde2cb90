// Package clientaddr tells a gRPC handler the address of the end client
// behind a request, for per-client limits and checks.
//
// The contract it relies on:
//   - the public gateway (KrakenD's engine, and the development stand-in)
//     sends backends X-Forwarded-For set to exactly the client address it
//     resolved, replacing whatever the client sent;
//   - a service's REST facade (grpc-gateway) passes that header on as the
//     gRPC metadata x-forwarded-for with its own peer's address appended
//     ("client, gateway").
//
// So the client is the first entry of x-forwarded-for when there is one,
// and otherwise the gRPC peer (a direct gRPC call from another service).
//
// This is trustworthy only because NetworkPolicy lets nothing but the
// gateway (and, on identity's port that also serves the JWKS, the shop's
// own services) reach a service's REST port, and only sibling services its
// gRPC port: anyone who could connect directly could claim any address.
package clientaddr

import (
	"context"
	"net"
	"net/netip"
	"strings"

	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
)

// MetadataKey is the gRPC metadata grpc-gateway fills from X-Forwarded-For.
const MetadataKey = "x-forwarded-for"

// FromContext returns the end client's address for an incoming gRPC call:
// the first x-forwarded-for entry when it is an IP address, else the peer's
// address. ok is false when neither is known (e.g. an in-memory listener).
func FromContext(ctx context.Context) (addr netip.Addr, ok bool) {
	if md, found := metadata.FromIncomingContext(ctx); found {
		if values := md.Get(MetadataKey); len(values) > 0 {
			first, _, _ := strings.Cut(values[0], ",")
			if a, ok := Parse(first); ok {
				return a, true
			}
		}
	}
	if p, found := peer.FromContext(ctx); found && p.Addr != nil {
		if tcp, isTCP := p.Addr.(*net.TCPAddr); isTCP {
			return normalize(tcp.AddrPort().Addr())
		}
		return Parse(p.Addr.String())
	}
	return netip.Addr{}, false
}

// Parse reads one address as proxies write them: "192.0.2.1",
// "2001:db8::1", "[2001:db8::1]", or either with a port. The result is
// normalized: IPv4-mapped IPv6 becomes IPv4 and zones are dropped, so one
// client always has one form. Anything else is not ok.
func Parse(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if inner, ok := strings.CutPrefix(s, "["); ok {
		if inner, ok = strings.CutSuffix(inner, "]"); ok {
			s = inner
		}
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return normalize(a)
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return normalize(ap.Addr())
	}
	return netip.Addr{}, false
}

func normalize(a netip.Addr) (netip.Addr, bool) {
	if !a.IsValid() {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}
