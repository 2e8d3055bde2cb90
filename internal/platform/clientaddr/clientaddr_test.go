package clientaddr_test

import (
	"context"
	"net"
	"net/netip"
	"testing"

	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"

	"github.com/shipshape-dev/shipshape/internal/platform/clientaddr"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":                 "192.0.2.7",
		" 192.0.2.7 ":               "192.0.2.7",
		"192.0.2.7:51234":           "192.0.2.7",
		"2001:DB8::1":               "2001:db8::1",
		"[2001:db8::1]":             "2001:db8::1",
		"[2001:db8::1]:443":         "2001:db8::1",
		"::ffff:192.0.2.7":          "192.0.2.7", // IPv4-mapped: one client, one form
		"fe80::1%eth0":              "fe80::1",
		"[fe80::1%25eth0]:8080":     "fe80::1",
		"0000:0000::0000:0000:0001": "::1",
	} {
		got, ok := clientaddr.Parse(in)
		if !ok || got.String() != want {
			t.Errorf("%q: got %v %v, want %s", in, got, ok, want)
		}
	}
	for _, junk := range []string{"", "unknown", "192.0.2", "192.0.2.7.1", "example.org", "[192.0.2.7", "192.0.2.7:port",
		"<script>", "1.2.3.4, 5.6.7.8"} {
		if got, ok := clientaddr.Parse(junk); ok {
			t.Errorf("%q accepted as %v", junk, got)
		}
	}
}

func TestFromContext(t *testing.T) {
	gatewayPeer := &peer.Peer{Addr: &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 40000}}
	withPeer := func(p *peer.Peer, xff ...string) context.Context {
		ctx := context.Background()
		if p != nil {
			ctx = peer.NewContext(ctx, p)
		}
		if len(xff) > 0 {
			md := metadata.MD{}
			for _, v := range xff {
				md.Append(clientaddr.MetadataKey, v)
			}
			ctx = metadata.NewIncomingContext(ctx, md)
		}
		return ctx
	}
	cases := []struct {
		name string
		ctx  context.Context
		want string // "" means not ok
	}{
		{"through the gateway", withPeer(gatewayPeer, "198.51.100.9, 10.1.2.3"), "198.51.100.9"},
		{"IPv6 client", withPeer(gatewayPeer, "2001:db8:1:2::9, 10.1.2.3"), "2001:db8:1:2::9"},
		{"only the first value counts", withPeer(gatewayPeer, "198.51.100.9", "203.0.113.1"), "198.51.100.9"},
		{"junk first entry falls back to the peer", withPeer(gatewayPeer, "unknown, 10.1.2.3"), "127.0.0.1"},
		{"empty header falls back to the peer", withPeer(gatewayPeer, ""), "127.0.0.1"},
		{"direct gRPC call", withPeer(&peer.Peer{Addr: &net.TCPAddr{IP: net.ParseIP("::ffff:10.0.0.5"), Port: 1}}), "10.0.0.5"},
		{"peer of another kind", withPeer(&peer.Peer{Addr: fakeAddr("[2001:db8::5]:9090")}), "2001:db8::5"},
		{"in-memory peer", withPeer(&peer.Peer{Addr: fakeAddr("bufconn")}), ""},
		{"nothing known", context.Background(), ""},
	}
	for _, tc := range cases {
		got, ok := clientaddr.FromContext(tc.ctx)
		if tc.want == "" {
			if ok {
				t.Errorf("%s: got %v, want none", tc.name, got)
			}
			continue
		}
		if !ok || got != netip.MustParseAddr(tc.want) {
			t.Errorf("%s: got %v %v, want %s", tc.name, got, ok, tc.want)
		}
	}
}

type fakeAddr string

func (a fakeAddr) Network() string { return "fake" }
func (a fakeAddr) String() string  { return string(a) }
