package engine_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBodySizeLimit: every environment's router max_payload (1 MiB)
// refuses a larger body with 413 before any service sees it, whether its
// length is announced or not (chunked); a body of exactly 1 MiB goes
// through whole.
func TestBodySizeLimit(t *testing.T) {
	for _, env := range []string{"development", "staging", "production"} {
		t.Run(env, func(t *testing.T) { testBodySizeLimit(t, env) })
	}
}

func testBodySizeLimit(t *testing.T, env string) {
	const limit = 1 << 20
	g := startGateway(t, setup{env: env})
	defer stopBeforeNext(t, g)
	url := g.URL + "/api/v1/auth/signup"
	json := func(n int) []byte {
		return append(append([]byte(`{"name":"`), bytes.Repeat([]byte("a"), n-len(`{"name":""}`))...), `"}`...)
	}

	if r := call(t, nil, http.MethodPost, url, bytes.NewReader(json(limit+1)), "Content-Type", "application/json"); r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MiB + 1 with Content-Length: %d, want 413", r.Status)
	}
	// An io.Reader of unknown length is sent chunked.
	chunked := io.MultiReader(strings.NewReader(""), bytes.NewReader(json(2*limit)))
	if r := call(t, nil, http.MethodPost, url, chunked, "Content-Type", "application/json"); r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB chunked: %d, want 413", r.Status)
	}
	if n := g.upstream.calls.Load(); n != 0 {
		t.Fatalf("%d oversized bodies reached the service", n)
	}

	for name, body := range map[string]io.Reader{
		"with Content-Length": bytes.NewReader(json(limit)),
		"chunked":             io.MultiReader(bytes.NewReader(json(limit))),
	} {
		if r := call(t, nil, http.MethodPost, url, body, "Content-Type", "application/json"); r.Status != http.StatusOK {
			t.Fatalf("exactly 1 MiB %s: %d", name, r.Status)
		}
		if _, got := g.upstream.lastRequest(t); !bytes.Equal(got, json(limit)) {
			t.Errorf("exactly 1 MiB %s: the service got %d bytes", name, len(got))
		}
	}
}
