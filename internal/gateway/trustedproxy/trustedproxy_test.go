package trustedproxy

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParseReadsAddressesAndRanges(t *testing.T) {
	got, err := Parse([]string{"10.244.0.0/16", " 192.0.2.7 ", "::1", "fd00:1::/64", "10.244.3.9/16", "::ffff:10.1.0.0/112"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.244.0.0/16", "192.0.2.7/32", "::1/128", "fd00:1::/64", "10.244.0.0/16", "10.1.0.0/16"}
	for i, p := range got {
		if p.String() != want[i] {
			t.Errorf("entry %d: got %s, want %s", i, p, want[i])
		}
	}
}

func TestParseRefusesGarbageAndWholeRanges(t *testing.T) {
	cases := map[string]string{
		"ingress":             "is not an IP address or CIDR",
		"10.0.0.0/33":         "is not an IP address or CIDR",
		"0.0.0.0/0":           "trusts every IPv4 address",
		"::/0":                "trusts every IPv6 address",
		"::ffff:0.0.0.0/96":   "trusts every IPv4 address",
		"10.0.0.0/8":          "trusts all of the private range 10.0.0.0/8",
		"8.0.0.0/6":           "trusts all of the private range 10.0.0.0/8",
		"172.16.0.0/12":       "trusts all of the private range 172.16.0.0/12",
		"192.168.0.0/16":      "trusts all of the private range 192.168.0.0/16",
		"fc00::/7":            "trusts all of the private range fc00::/7",
		"100.64.0.0/10":       "trusts all of the shared range 100.64.0.0/10",
		"::ffff:10.0.0.0/104": "trusts all of the private range 10.0.0.0/8",
	}
	for entry, want := range cases {
		_, err := Parse([]string{"127.0.0.1", entry})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), entry) {
			t.Errorf("%s: got %v, want %q", entry, err, want)
		}
	}
	// Narrower parts of those ranges are a proxy's own network.
	for _, ok := range []string{"10.244.0.0/16", "172.18.0.0/16", "192.168.49.0/24", "fd00:1::/64"} {
		if _, err := Parse([]string{ok}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

func TestClientIPTrustsTheHeaderOnlyFromTrustedPeers(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.244.0.0/16"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		peer string
		xff  []string
		want string
	}{
		{"203.0.113.9", []string{"198.51.100.1"}, "203.0.113.9"}, // forged by an untrusted peer
		{"203.0.113.9", nil, "203.0.113.9"},
		{"10.244.3.7", []string{"203.0.113.9"}, "203.0.113.9"},
		{"10.244.3.7", []string{"198.51.100.1, 203.0.113.9"}, "203.0.113.9"},
		{"10.244.3.7", []string{"203.0.113.9, 10.244.9.9"}, "203.0.113.9"},
		{"10.244.3.7", []string{"10.244.1.1, 10.244.2.2"}, "10.244.1.1"},
		{"10.244.3.7", []string{"198.51.100.1", "203.0.113.9"}, "203.0.113.9"}, // two header lines are one list
		{"10.244.3.7", nil, "10.244.3.7"},
		{"10.244.3.7", []string{""}, "10.244.3.7"},
		{"10.244.3.7", []string{"198.51.100.1, unknown"}, "10.244.3.7"},
		{"::1", []string{"2001:db8::5"}, "2001:db8::5"},
		{"::ffff:10.244.3.7", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
		{"not-an-ip", []string{"203.0.113.9"}, ""},
	}
	for _, c := range cases {
		if got := ClientIP(c.peer, c.xff, trusted); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: got %q, want %q", c.peer, c.xff, got, c.want)
		}
	}
	if got := ClientIP("127.0.0.1", []string{"203.0.113.9"}, nil); got != "127.0.0.1" {
		t.Errorf("nothing trusted: got %q", got)
	}
}
