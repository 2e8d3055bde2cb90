package standin

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestBodiesAreLimitedTo1MiB(t *testing.T) {
	s := start(t, nil)
	fits := strings.Repeat("a", MaxBodyBytes)
	if res := s.do(t, "POST", "/api/v1/auth/signup", fits); res.Status != 200 {
		t.Fatalf("exactly 1 MiB: %d %s", res.Status, res.Body)
	}
	if got := s.backend.last(t); len(got.Body) != MaxBodyBytes {
		t.Fatalf("backend got %d bytes", len(got.Body))
	}

	res := s.do(t, "POST", "/api/v1/auth/signup", fits+"a")
	if body := res.errorBody(t); res.Status != 413 || body["code"] != "RESOURCE_EXHAUSTED" {
		t.Fatalf("declared length: %d %v", res.Status, body)
	}
	// Without a declared length (chunked), the limit holds while reading.
	req, err := http.NewRequest("POST", s.URL+"/api/v1/auth/signup", io.MultiReader(strings.NewReader(fits), strings.NewReader("a")))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Fatalf("chunked: %d", resp.StatusCode)
	}
	if n := len(s.backend.requests()); n != 1 {
		t.Fatalf("oversized bodies reached the backend: %d requests", n)
	}
}
