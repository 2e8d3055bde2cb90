package engine_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// TestNotReadyUntilTheJWKSAnswers: with AwaitJWKS the gateway listens but
// reports 503 on /__health, retrying the JWK set, until the set answers;
// then it is ready.
func TestNotReadyUntilTheJWKSAnswers(t *testing.T) {
	var up atomic.Bool
	var fetches atomic.Int64
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetches.Add(1)
		if !up.Load() {
			http.Error(w, "not yet", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"keys":[]}`))
	}))
	t.Cleanup(jwks.Close)
	cfg := enginetest.Rendered(t, "development")
	cfg.Retarget(t, nil, newUpstream(t).URL, jwks.URL)
	g := enginetest.Launch(t, cfg, engine.Options{AwaitJWKS: true})
	health := g.URL + "/__health"

	stacktest.Eventually(t, 10*time.Second, "the gateway to retry the JWK set", func() bool { return fetches.Load() >= 3 })
	if s := stacktest.Probe(health); s != http.StatusServiceUnavailable {
		t.Fatalf("/__health while the JWK set fails: %d, want 503", s)
	}
	up.Store(true)
	stacktest.Eventually(t, 5*time.Second, "ready once the JWK set answers", func() bool { return stacktest.Probe(health) == http.StatusOK })
}
