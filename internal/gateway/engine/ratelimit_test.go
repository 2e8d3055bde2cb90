package engine_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// burst sends n requests one after the other and returns how many were
// served before the first 429, how many were served in all, and every
// status other than 200 and 429.
func burst(t *testing.T, n int, send func() int) (beforeFirst429, served int, other []int) {
	t.Helper()
	limited := false
	for range n {
		switch status := send(); status {
		case http.StatusOK:
			served++
			if !limited {
				beforeFirst429++
			}
		case http.StatusTooManyRequests:
			limited = true
		default:
			other = append(other, status)
		}
	}
	return beforeFirst429, served, other
}

// TestClientRateLimitDevelopment: the development default class allows
// one client 100 requests/s with a burst of 200. A burst beyond that from
// 127.0.0.1 gets 429s after its 200, none of which reaches the service,
// while a client on 127.0.0.2 is still served, and so is a shopper the
// storefront names in X-Forwarded-For (development trusts loopback peers
// as proxies, ADR 0015); the service learns that shopper's address.
func TestClientRateLimitDevelopment(t *testing.T) {
	g := startGateway(t, setup{env: "development"})
	url := g.URL + "/api/v1/categories"
	// Send until the first 429: however slow the machine, the bucket's 200
	// tokens plus what it refilled (100/s) bound what was served.
	const most = 5000
	start := time.Now()
	served, limited := 0, false
	for !limited && served < most {
		switch s := get(t, url).Status; s {
		case http.StatusOK:
			served++
		case http.StatusTooManyRequests:
			limited = true
		default:
			t.Fatalf("request %d: %d", served+1, s)
		}
	}
	elapsed := time.Since(start)
	refill := int(100*elapsed.Seconds()) + 1
	t.Logf("client 127.0.0.1: first 429 after %d requests served in %s (burst 200, at most %d refilled)", served, elapsed.Round(time.Millisecond), refill)
	if !limited || served < 200 || served > 200+refill {
		t.Fatalf("served %d in %s before a 429 (limited: %v), want 200 plus at most %d refilled", served, elapsed, limited, refill)
	}
	if got := g.upstream.calls.Load(); got != int64(served) {
		t.Errorf("the service got %d requests, the gateway served %d: limited requests must not reach it", got, served)
	}

	if s := get(t, url, "X-Forwarded-For", "203.0.113.7").Status; s != http.StatusOK {
		t.Errorf("a shopper behind the loopback storefront got %d, want 200 (a budget of its own)", s)
	}
	if got, _ := g.upstream.lastRequest(t); got.Header.Get("X-Forwarded-For") != "203.0.113.7" {
		t.Errorf("the service got X-Forwarded-For %q, want the shopper's 203.0.113.7", got.Header.Get("X-Forwarded-For"))
	}
	other2 := call(t, clientFrom("127.0.0.2"), http.MethodGet, url, nil)
	t.Logf("client 127.0.0.2 right after: %d", other2.Status)
	if other2.Status != http.StatusOK {
		t.Errorf("another client got %d, want 200", other2.Status)
	}
}

// TestSignInLimitProduction: production allows one IP 10 sign-ins per
// minute (the auth class), far fewer than browsing. The 11th sign-in is
// refused, also when it claims another address in X-Forwarded-For (the
// peer is no trusted proxy), while the same client can still browse and
// another client can still sign in. Checkout is limited per token, not
// per IP.
func TestSignInLimitProduction(t *testing.T) {
	g := startGateway(t, setup{env: "production"})
	signin := func(c *http.Client) func() int {
		return func() int {
			return call(t, c, http.MethodPost, g.URL+"/api/v1/auth/signin", strings.NewReader(`{"email":"a@example.com","password":"x"}`)).Status
		}
	}
	first, served, other := burst(t, 15, signin(nil))
	t.Logf("sign-in from 127.0.0.1: 15 attempts, %d served before the first 429, %d in all", first, served)
	if first != 10 || served != 10 || len(other) > 0 {
		t.Fatalf("served %d (first 429 after %d, others %v), want exactly 10", served, first, other)
	}
	spoofed := call(t, nil, http.MethodPost, g.URL+"/api/v1/auth/signin", strings.NewReader(`{}`), "X-Forwarded-For", "203.0.113.7")
	if spoofed.Status != http.StatusTooManyRequests {
		t.Errorf("sign-in claiming another address from an untrusted peer: %d, want 429", spoofed.Status)
	}
	if s := get(t, g.URL+"/api/v1/categories").Status; s != http.StatusOK {
		t.Errorf("browsing after the sign-in limit: %d, want 200", s)
	}
	if s := signin(clientFrom("127.0.0.2"))(); s != http.StatusOK {
		t.Errorf("sign-in from another client: %d, want 200", s)
	}

	alice := "Bearer " + g.issuer.Token(t, "alice")
	bob := "Bearer " + g.issuer.Token(t, "bob")
	checkout := func(token string) func() int {
		return func() int {
			return post(t, g.URL+"/api/v1/orders", `{}`, "Authorization", token, "Idempotency-Key", "k").Status
		}
	}
	first, served, _ = burst(t, 8, checkout(alice))
	t.Logf("checkout with one token: 8 attempts, %d served", served)
	if first != 5 || served != 5 {
		t.Fatalf("checkout served %d (first 429 after %d), want 5 per token per minute", served, first)
	}
	if s := checkout(bob)(); s != http.StatusOK {
		t.Errorf("checkout with another token from the same IP: %d, want 200", s)
	}
}
