package grpcclient

import (
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
)

// countingBuilder is a manual resolver that counts ResolveNow calls.
func countingBuilder(n *atomic.Int32) *manual.Resolver {
	r := manual.NewBuilderWithScheme("counting")
	r.ResolveNowCallback = func(resolver.ResolveNowOptions) { n.Add(1) }
	return r
}

// The polling resolver asks its inner resolver again on every tick, and
// stops asking once closed.
func TestPollingResolverResolvesAgainUntilClosed(t *testing.T) {
	var n atomic.Int32
	b := pollingBuilder{inner: countingBuilder(&n), every: 5 * time.Millisecond}
	r, err := b.Build(resolver.Target{}, nopClientConn{}, resolver.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for n.Load() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("%d re-resolutions in 5s, want at least 3", n.Load())
		}
		time.Sleep(time.Millisecond)
	}
	r.Close()
	p := r.(*pollingResolver)
	select {
	case <-p.stop:
	default:
		t.Fatal("Close did not stop the polling")
	}
	r.Close() // a second Close must not panic
}

func TestPollingBuilderKeepsTheScheme(t *testing.T) {
	if s := (pollingBuilder{inner: resolver.Get("dns")}).Scheme(); s != "dns" {
		t.Fatalf("scheme %q, want dns", s)
	}
}

type nopClientConn struct{ resolver.ClientConn }

func (nopClientConn) UpdateState(resolver.State) error { return nil }
