// Package trustedproxy decides who a gateway's client is when requests
// arrive through proxies (the ingress controller, the storefront): the
// rule of KrakenD's router (gin's ClientIP with forwarded_by_client_ip and
// X-Forwarded-For), shared by the development stand-in, which applies it,
// and the configuration checks, which keep the trusted list narrow.
package trustedproxy

import (
	"fmt"
	"net/netip"
	"strings"
)

// Loopback is the default trusted list on one machine (`make run`: the
// storefront calls the gateway over loopback).
var Loopback = []string{"127.0.0.0/8", "::1/128"}

// Parse reads IPs and CIDRs ("10.244.0.0/16", "192.0.2.7"; a bare address
// is one address) and refuses any list entry that is malformed or trusts
// too much (TooBroad).
func Parse(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		p, err := parseOne(strings.TrimSpace(s))
		if err != nil {
			return nil, err
		}
		if why := TooBroad(p); why != "" {
			return nil, fmt.Errorf("trusted proxy %q %s", s, why)
		}
		out = append(out, p)
	}
	return out, nil
}

func parseOne(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("trusted proxy %q is not an IP address or CIDR", s)
		}
		return unmapPrefix(p.Masked()), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("trusted proxy %q is not an IP address or CIDR", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// unmapPrefix writes an IPv4-mapped IPv6 prefix (::ffff:10.0.0.0/104) as
// the IPv4 prefix it is, so the checks below see what it covers.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p
}

// wholeRanges are what no trusted list may cover in full: all addresses,
// and each private range, shared by every pod, node and VPN of a network.
var wholeRanges = []struct {
	prefix netip.Prefix
	name   string
}{
	{netip.MustParsePrefix("0.0.0.0/0"), "every IPv4 address"},
	{netip.MustParsePrefix("::/0"), "every IPv6 address"},
	{netip.MustParsePrefix("::ffff:0.0.0.0/96"), "every IPv4 address"},
	{netip.MustParsePrefix("10.0.0.0/8"), "all of the private range 10.0.0.0/8"},
	{netip.MustParsePrefix("172.16.0.0/12"), "all of the private range 172.16.0.0/12"},
	{netip.MustParsePrefix("192.168.0.0/16"), "all of the private range 192.168.0.0/16"},
	{netip.MustParsePrefix("100.64.0.0/10"), "all of the shared range 100.64.0.0/10"},
	{netip.MustParsePrefix("fc00::/7"), "all of the private range fc00::/7"},
}

// TooBroad says why trusting p would let clients choose their own address
// ("trusts every IPv4 address"), or "" when p is narrow enough: a proxy's
// own range, such as the pod network the ingress controller runs in.
func TooBroad(p netip.Prefix) string {
	p = unmapPrefix(p)
	for _, w := range wholeRanges {
		if p.Addr().Is4() == w.prefix.Addr().Is4() && p.Bits() <= w.prefix.Bits() && p.Contains(w.prefix.Addr()) {
			return "trusts " + w.name
		}
	}
	return ""
}

// ClientIP is the client's address of a request from peer with the
// X-Forwarded-For values forwardedFor: the peer itself unless it is
// trusted; then the header read from the right, skipping trusted proxies,
// up to the first address they did not add (the leftmost if all are
// trusted). A malformed entry ends the walk at the peer, as in gin. ""
// only when peer is not an address.
func ClientIP(peer string, forwardedFor []string, trusted []netip.Prefix) string {
	remote, err := netip.ParseAddr(peer)
	if err != nil {
		return ""
	}
	remote = remote.Unmap()
	header := strings.Join(forwardedFor, ",")
	if strings.TrimSpace(header) == "" || !contains(trusted, remote) {
		return remote.String()
	}
	hops := strings.Split(header, ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		hop = hop.Unmap()
		if i == 0 || !contains(trusted, hop) {
			return hop.String()
		}
	}
	return remote.String()
}

func contains(list []netip.Prefix, a netip.Addr) bool {
	for _, p := range list {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
