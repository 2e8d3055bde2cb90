package app_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
)

// Two storefront replicas refreshing one session at the same moment, each
// through another identity process: both get the same successor and the
// session goes on.
func TestConcurrentRefreshFromOneClientKeepsTheSession(t *testing.T) {
	clock := identitytest.NewClock()
	a := startIdentity(t, options{now: clock.Now})
	b := startIdentity(t, options{dbURL: a.dbURL, now: clock.Now})
	a.signUp(t, "ada@example.org")
	_, token := a.signIn(t, "ada@example.org")
	const client = "198.51.100.7"

	statuses, successors := make([]int, 2), make([]string, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, id := range []*identity{a, b} {
		wg.Go(func() {
			<-start
			status, body := id.refreshFrom(t, client, token)
			statuses[i] = status
			successors[i], _ = body["refreshToken"].(string)
		})
	}
	close(start)
	wg.Wait()
	if statuses[0] != http.StatusOK || statuses[1] != http.StatusOK || successors[0] == "" || successors[0] != successors[1] {
		t.Fatalf("statuses %v, successors equal: %v", statuses, successors[0] == successors[1])
	}
	clock.Advance(time.Minute)
	status, body := b.refreshFrom(t, client, successors[0])
	if status != http.StatusOK {
		t.Fatalf("the shared successor: %d %v", status, body)
	}
	if status, _ := a.refreshFrom(t, client, body["refreshToken"].(string)); status != http.StatusOK {
		t.Fatalf("the session does not go on: %d", status)
	}
	total := func(outcome string) float64 {
		series := `identity_token_refreshes_total{outcome="` + outcome + `"}`
		return a.metric(t, series) + b.metric(t, series)
	}
	if total("ok") != 3 || total("replayed") != 1 {
		t.Fatalf("ok %v, replayed %v; want 3 and 1", total("ok"), total("replayed"))
	}
}

// A repeat after the grace, or from another client, is theft: the family
// is revoked, on whichever process it arrives.
func TestRefreshReplayOutsideTheGraceRevokesTheSession(t *testing.T) {
	clock := identitytest.NewClock()
	a := startIdentity(t, options{now: clock.Now, env: map[string]string{"REFRESH_GRACE": "5s"}})
	b := startIdentity(t, options{dbURL: a.dbURL, now: clock.Now, env: map[string]string{"REFRESH_GRACE": "5s"}})
	a.signUp(t, "ada@example.org")
	for name, repeat := range map[string]func(token string) int{
		"after the grace": func(token string) int {
			clock.Advance(6 * time.Second)
			status, _ := b.refreshFrom(t, "198.51.100.7", token)
			return status
		},
		"from another client": func(token string) int {
			status, _ := b.refreshFrom(t, "198.51.100.8", token)
			return status
		},
	} {
		_, token := a.signIn(t, "ada@example.org")
		status, body := a.refreshFrom(t, "198.51.100.7", token)
		if status != http.StatusOK {
			t.Fatalf("%s: refresh %d %v", name, status, body)
		}
		if status := repeat(token); status != http.StatusUnauthorized {
			t.Fatalf("%s: repeat %d, want 401", name, status)
		}
		if status, _ := a.refreshFrom(t, "198.51.100.7", body["refreshToken"].(string)); status != http.StatusUnauthorized {
			t.Fatalf("%s: the successor still works (%d): the session was not revoked", name, status)
		}
	}
}
