package auth_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
)

func TestHTTPMiddleware(t *testing.T) {
	a := authtest.StaticToken{Token: "good", Principal: auth.Principal{Subject: "u1"}}
	var seen string
	h := auth.HTTPMiddleware(a, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := auth.FromContext(r.Context())
		seen = p.Subject
	}))
	for _, tc := range []struct {
		header  string
		status  int
		subject string
	}{
		{"", 200, ""},
		{"Bearer good", 200, "u1"},
		{"bearer good", 200, "u1"},
		{"Bearer bad", 401, ""},
		{"Basic Z29vZA==", 401, ""},
		{"Bearer ", 401, ""},
	} {
		seen = ""
		req := httptest.NewRequest("GET", "/", nil)
		if tc.header != "" {
			req.Header.Set("Authorization", tc.header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.status || seen != tc.subject {
			t.Errorf("%q: status %d subject %q, want %d %q", tc.header, rec.Code, seen, tc.status, tc.subject)
		}
		if tc.status == 401 && rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%q: a refusal must be the JSON error body", tc.header)
		}
	}
}
