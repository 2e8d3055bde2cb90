package kubeapi

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseWarnings(t *testing.T) {
	got := ParseWarnings([]string{
		`299 - "Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': image x: a tag"`,
		`299 - "quoted \"inner\" text"`,
		`299 - "with a date" "Sat, 25 Aug 2012 23:34:45 GMT"`,
		`not a warning header`,
	})
	want := []string{
		"Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': image x: a tag",
		`quoted "inner" text`,
		"with a date",
		"not a warning header",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseWarnings:\n got %q\nwant %q", got, want)
	}
}

// TestDoWarnedReturnsWarningsAndStatus: warnings come back with a 2xx
// answer and with a refusal, and a refusal's Status message is the error's.
func TestDoWarnedReturnsWarningsAndStatus(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer secret-token" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		w.Header().Add("Warning", `299 - "first"`)
		w.Header().Add("Warning", `299 - "second"`)
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"kind":"Status","message":"refused by policy"}`))
			return
		}
		_, _ = w.Write([]byte(`{"name":"x"}`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	token, ca := filepath.Join(dir, "token"), filepath.Join(dir, "ca.crt")
	if err := os.WriteFile(token, []byte("secret-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{APIURL: srv.URL + "/", TokenFile: token, CAFile: ca})
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Name string }
	warnings, err := c.DoWarned(context.Background(), http.MethodGet, "/api/v1/x", nil, &out)
	if err != nil || out.Name != "x" || !reflect.DeepEqual(warnings, []string{"first", "second"}) {
		t.Fatalf("GET: %v, %+v, warnings %q", err, out, warnings)
	}
	warnings, err = c.DoWarned(context.Background(), http.MethodPost, "/api/v1/x", map[string]string{"a": "b"}, nil)
	if !HasStatus(err, http.StatusForbidden) || err.Error() != "HTTP 403 Forbidden: refused by policy" || len(warnings) != 2 {
		t.Fatalf("POST: %v, warnings %q", err, warnings)
	}
}

func TestBaseURL(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{ServiceHost: "10.0.0.1"}, "https://10.0.0.1:443"},
		{Config{ServiceHost: "fd00::1", ServicePort: "6443"}, "https://[fd00::1]:6443"},
		{Config{ServiceHost: "10.0.0.1", APIURL: "https://127.0.0.1:1234/"}, "https://127.0.0.1:1234"},
	} {
		if got := tc.cfg.BaseURL(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.cfg, got, tc.want)
		}
	}
}

func TestPointerEscape(t *testing.T) {
	if got := PointerEscape("shipshape.dev/postgres-role~x"); got != "shipshape.dev~1postgres-role~0x" {
		t.Errorf("PointerEscape: %q", got)
	}
}
