package standin

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/trustedproxy"
)

// trusting starts the stand-in trusting the given proxies; its test client
// connects from 127.0.0.1.
func trusting(t *testing.T, proxies ...string) *testStandin {
	t.Helper()
	trusted, err := trustedproxy.Parse(proxies)
	if err != nil {
		t.Fatal(err)
	}
	return start(t, func(o *Options) { o.TrustedProxies = trusted })
}

// backendSaw sends one request with the given X-Forwarded-For lines and
// returns the X-Forwarded-For lines the backend got.
func backendSaw(t *testing.T, s *testStandin, path string, forwardedFor ...string) []string {
	t.Helper()
	var header []string
	for _, v := range forwardedFor {
		header = append(header, "X-Forwarded-For", v)
	}
	before := len(s.backend.requests())
	if res := s.do(t, "GET", path, "", header...); res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	got := s.backend.requests()[before:]
	if len(got) == 0 {
		t.Fatal("the backend got nothing")
	}
	for _, r := range got[1:] {
		if !slices.Equal(r.Header.Values("X-Forwarded-For"), got[0].Header.Values("X-Forwarded-For")) {
			t.Errorf("the parts of one request disagree: %q and %q", got[0].Header.Values("X-Forwarded-For"), r.Header.Values("X-Forwarded-For"))
		}
	}
	return got[0].Header.Values("X-Forwarded-For")
}

func TestAClientBehindATrustedProxyKeepsItsAddress(t *testing.T) {
	s := trusting(t, trustedproxy.Loopback...)
	cases := []struct {
		sent []string
		want string
	}{
		{[]string{"203.0.113.9"}, "203.0.113.9"},
		// The ingress controller appends the client to whatever it claimed.
		{[]string{"198.51.100.1, 203.0.113.9"}, "203.0.113.9"},
		{[]string{"198.51.100.1", "203.0.113.9"}, "203.0.113.9"},
		{[]string{"203.0.113.9, 127.0.0.5"}, "203.0.113.9"},
		// Nothing forwarded: the proxy is the client.
		{nil, "127.0.0.1"},
	}
	for _, c := range cases {
		for _, path := range []string{"/api/v1/categories", "/api/v1/storefront/home"} {
			if got := backendSaw(t, s, path, c.sent...); !slices.Equal(got, []string{c.want}) {
				t.Errorf("%s with X-Forwarded-For %q: the backend got %q, want exactly %q", path, c.sent, got, c.want)
			}
		}
	}
}

func TestAnUntrustedPeersForgedAddressIsIgnored(t *testing.T) {
	for name, s := range map[string]*testStandin{
		"another proxy's range": trusting(t, "10.244.0.0/16"),
		"no proxy":              start(t, func(o *Options) { o.TrustedProxies = []netip.Prefix{} }),
	} {
		if got := backendSaw(t, s, "/api/v1/categories", "203.0.113.9"); !slices.Equal(got, []string{"127.0.0.1"}) {
			t.Errorf("%s: the backend got %q, want the connection's address", name, got)
		}
	}
}
