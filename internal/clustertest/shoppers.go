package clustertest

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/http"
	"sync/atomic"
)

// ActAsShoppers makes every request of the process that names no client
// (X-Forwarded-For) come from a new one. The tests reach the gateway's
// ClusterIP from the node; kube-proxy masquerades that traffic to the
// node's address on the pod bridge (10.244.0.1), which is inside the
// gateway's trusted_proxies, as the ingress controller is. So the node
// plays the ingress controller: each request says which client it comes
// from, and the gateway's per-client rate limits (staging's, e.g. 10
// sign-ups a minute) count each test request as a different shopper's, as
// on a public site. A test package calls it from an init function.
func ActAsShoppers() {
	http.DefaultTransport = shoppers{next: http.DefaultTransport}
}

type shoppers struct{ next http.RoundTripper }

func (s shoppers) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("X-Forwarded-For") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("X-Forwarded-For", NewClientAddress())
	}
	return s.next.RoundTrip(r)
}

// clientCounter numbers the clients of this run, from a random start so
// that a rerun against a kept cluster meets no earlier run's buckets.
var clientCounter atomic.Uint32

func init() {
	var b [2]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand's contract)
	clientCounter.Store(uint32(binary.BigEndian.Uint16(b[:])))
}

// NewClientAddress is a fresh address of 198.18.0.0/15, the range reserved
// for benchmarking, which no real client has.
func NewClientAddress() string {
	n := clientCounter.Add(1) % (1 << 17)
	return fmt.Sprintf("198.%d.%d.%d", 18+n>>16, n>>8&0xff, n&0xff)
}
