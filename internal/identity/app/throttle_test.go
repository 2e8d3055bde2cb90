package app_test

import (
	"net/http"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// signInFrom signs in over REST as the gateway forwards a client at addr.
func (id *identity) signInFrom(t *testing.T, addr, email, password string) (int, map[string]any) {
	t.Helper()
	return stacktest.Call(t, "POST", id.rest+"/v1/auth/signin", `{"email":"`+email+`","password":"`+password+`"}`,
		stacktest.Header{"X-Forwarded-For": addr})
}

// Two identity processes on one database share the failure counters: the
// guesses alternate between them and the refusal comes from either.
func TestSignInThrottleIsSharedByReplicas(t *testing.T) {
	clock := identitytest.NewClock()
	env := map[string]string{"SIGNIN_ACCOUNT_FREE_FAILURES": "3", "SIGNIN_ADDRESS_FREE_FAILURES": "6", "SIGNIN_BACKOFF": "1m"}
	a := startIdentity(t, options{env: env, now: clock.Now})
	b := startIdentity(t, options{dbURL: a.dbURL, env: env, now: clock.Now})
	replicas := []*identity{a, b}
	for _, email := range []string{"ada@example.org", "bob@example.org", "cy@example.org"} {
		a.signUp(t, email)
	}
	const x, y, z, w = "198.51.100.7", "198.51.100.8", "2001:db8:1:2::7", "203.0.113.9"

	for i := range 3 {
		if status, body := replicas[i%2].signInFrom(t, x, "ada@example.org", "wrong password"); status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %v", i+1, status, body)
		}
	}
	var refusal map[string]any
	for _, id := range replicas {
		for _, pw := range []string{"wrong password", goodPassword} {
			status, body := id.signInFrom(t, x, "ada@example.org", pw)
			if status != http.StatusTooManyRequests || body["code"] != "RESOURCE_EXHAUSTED" ||
				body["message"] != "too many failed sign-ins; try again in 60 seconds" {
				t.Fatalf("blocked account, %q: %d %v", pw, status, body)
			}
			refusal = body
		}
	}
	// gRPC clients get the wait as a RetryInfo detail.
	_, err := identityv1.NewIdentityServiceClient(b.conn).SignIn(t.Context(),
		&identityv1.SignInRequest{Email: "ada@example.org", Password: goodPassword})
	if st := status.Convert(err); st.Code() != codes.ResourceExhausted || len(st.Details()) != 1 ||
		st.Details()[0].(*errdetails.RetryInfo).GetRetryDelay().AsDuration() != time.Minute {
		t.Fatalf("gRPC: %v %v", err, st.Details())
	}
	if status, _ := b.signInFrom(t, x, "bob@example.org", goodPassword); status != http.StatusOK {
		t.Fatalf("another account from the same address: %d", status)
	}

	// An unknown e-mail is refused the same way.
	for i := range 4 {
		status, body := replicas[i%2].signInFrom(t, y, "nobody@example.org", "wrong password")
		if i == 3 {
			delete(body, "requestId")
			delete(refusal, "requestId")
			if status != http.StatusTooManyRequests || len(body) != len(refusal) || body["message"] != refusal["message"] {
				t.Fatalf("unknown e-mail: %d %v, want %v", status, body, refusal)
			}
		}
	}

	// One address guessing many accounts is refused for any account.
	for i, email := range []string{"u1@example.org", "u2@example.org", "u3@example.org", "u4@example.org", "u5@example.org", "u6@example.org"} {
		if status, _ := replicas[i%2].signInFrom(t, z, email, "wrong password"); status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, status)
		}
	}
	if status, _ := a.signInFrom(t, "2001:db8:1:2::8", "cy@example.org", goodPassword); status != http.StatusTooManyRequests {
		t.Fatalf("same /64 as the guesser: %d, want 429", status)
	}
	if status, _ := b.signInFrom(t, w, "cy@example.org", goodPassword); status != http.StatusOK {
		t.Fatalf("another address: %d", status)
	}

	// After the backoff the right password works, and clears the count.
	clock.Advance(time.Minute + time.Second)
	if status, body := b.signInFrom(t, x, "ada@example.org", goodPassword); status != http.StatusOK {
		t.Fatalf("after the backoff: %d %v", status, body)
	}
	if status, _ := a.signInFrom(t, x, "ada@example.org", "wrong password"); status != http.StatusUnauthorized {
		t.Fatalf("a failure after the reset: %d, want 401", status)
	}
	total := func(series string) float64 { return a.metric(t, series) + b.metric(t, series) }
	if got := total(`identity_signins_throttled_total{by="account"}`); got != 6 {
		t.Fatalf("throttled by account: %v, want 6", got)
	}
	if got := total(`identity_signins_throttled_total{by="address"}`); got != 1 {
		t.Fatalf("throttled by address: %v, want 1", got)
	}
}
