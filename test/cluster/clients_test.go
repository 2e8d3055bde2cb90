//go:build cluster

package cluster_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
)

// The tests reach the gateway's ClusterIP from the node; kube-proxy
// masquerades that traffic to the node's address on the pod bridge
// (10.244.0.1), which is inside the gateway's trusted_proxies, as the
// ingress controller is. So the node plays the ingress controller: each
// request says in X-Forwarded-For which client it comes from, and the
// gateway's per-client rate limits (staging's, e.g. 10 sign-ups a minute)
// count each test request as a different shopper's, as on a public site.
// TestGatewayEnforcesItsEdgeRules sends from fixed clients instead.
func init() {
	http.DefaultTransport = shoppers{next: http.DefaultTransport}
}

// shoppers sets X-Forwarded-For to a new client address on every request
// that does not name one.
type shoppers struct{ next http.RoundTripper }

func (s shoppers) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("X-Forwarded-For") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("X-Forwarded-For", newClientAddress())
	}
	return s.next.RoundTrip(r)
}

// clientCounter numbers the clients of this run, from a random start so
// that a rerun against a kept cluster meets no earlier run's buckets.
var clientCounter atomic.Uint32

func init() { clientCounter.Store(rand.Uint32N(1 << 16)) }

// newClientAddress is a fresh address of 198.18.0.0/15, the range reserved
// for benchmarking, which no real client has.
func newClientAddress() string {
	n := clientCounter.Add(1) % (1 << 17)
	return fmt.Sprintf("198.%d.%d.%d", 18+n>>16, n>>8&0xff, n&0xff)
}
