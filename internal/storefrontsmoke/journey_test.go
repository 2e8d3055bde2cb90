package storefrontsmoke

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// storefront serves pages shaped as the storefront's (web/src/app); what
// a test changes is in broken: a path's status, type or body.
type storefront struct {
	broken map[string]http.HandlerFunc
	seen   []string
	// unready is how many readiness checks answer 503 before the first 200
	unready int
}

func (s *storefront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/readyz" {
		if s.unready > 0 {
			s.unready--
			http.Error(w, "not ready: starting", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
		return
	}
	s.seen = append(s.seen, r.URL.RequestURI())
	if f, ok := s.broken[r.URL.Path]; ok {
		f(w, r)
		return
	}
	html := func(body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!DOCTYPE html><html><body>" + body + "</body></html>"))
	}
	switch r.URL.Path {
	case "/":
		html(`<h1>Everything for life on board</h1><a href="/product/brass-compass"><img src="/api/v1/images/brass-compass.svg"></a>` +
			`<a href="/category/navigation">Navigation</a><a href="/products">See all</a>`)
	case "/category/navigation", "/products", "/search", "/signin":
		html(`<h1>` + r.URL.Path + `</h1>`)
	case "/product/brass-compass":
		html(`<h1>Brass compass</h1><img src="/api/v1/images/brass-compass.svg?v=2" alt="">`)
	case "/api/v1/images/brass-compass.svg":
		w.Header().Set("Content-Type", "image/svg+xml")
		_, _ = w.Write([]byte("<svg/>"))
	default:
		http.NotFound(w, r)
	}
}

// walk runs the command's walk against s and returns its report, the
// number of loads it lists, and its error.
func walk(t *testing.T, s *storefront) (string, int, error) {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	var out bytes.Buffer
	err := Walk(context.Background(), Config{BaseURL: srv.URL + "/", Timeout: 200 * time.Millisecond, ReadyWait: time.Second}, &out)
	loads := 0
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "ok ") || strings.HasPrefix(line, "FAIL ") {
			loads++
		}
	}
	return out.String(), loads, err
}

func TestTheJourneyVisitsEveryPageOnce(t *testing.T) {
	s := &storefront{}
	out, loads, err := walk(t, s)
	if err != nil {
		t.Fatalf("a storefront serving every page: %v\n%s", err, out)
	}
	want := []string{"/", "/category/navigation", "/product/brass-compass", "/api/v1/images/brass-compass.svg?v=2",
		"/products", "/search?q=brass", "/signin"}
	if got := s.seen[:len(want)]; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("visited %v, want %v", got, want)
	}
	if loads != len(want) {
		t.Errorf("%d loads reported, want %d", loads, len(want))
	}
	if !strings.Contains(out, "7 page loads at") || strings.Contains(out, "FAIL") {
		t.Errorf("report:\n%s", out)
	}
}

func TestEveryBrokenPageIsAFailedLoad(t *testing.T) {
	for _, tc := range []struct {
		name, path, wantErr string
		fail                http.HandlerFunc
		loads               int
	}{
		{"server error", "/products", "status 500", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", 500) }, 7},
		{"no heading", "/signin", "no heading", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<p>Application error</p>"))
		}, 7},
		{"not HTML", "/category/navigation", `content type "application/json"`, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"h1":1}`))
		}, 7},
		{"an image that is a page", "/api/v1/images/brass-compass.svg", `want image/`, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<h1>not found</h1>"))
		}, 7},
		{"a product page without its image", "/product/brass-compass", "no catalog image", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<h1>Brass compass</h1>"))
		}, 6},
		{"a home page without links ends the walk", "/", "links no product", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<h1>Everything for life on board</h1>"))
		}, 1},
		{"a page too slow", "/search", "Client.Timeout", func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // answers only once the client gave up
		}, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, loads, err := walk(t, &storefront{broken: map[string]http.HandlerFunc{tc.path: tc.fail}})
			if err == nil || !strings.Contains(err.Error(), "1 of") {
				t.Errorf("Walk: %v, want one failed load", err)
			}
			if !strings.Contains(out, "FAIL") || !strings.Contains(out, tc.wantErr) {
				t.Errorf("report without %q:\n%s", tc.wantErr, out)
			}
			if loads != tc.loads {
				t.Errorf("%d loads, want %d", loads, tc.loads)
			}
		})
	}
}

func TestTheJourneyWaitsForTheStorefrontToBeReady(t *testing.T) {
	s := &storefront{unready: 2}
	out, loads, err := walk(t, s)
	if err != nil || loads != 7 || s.unready != 0 {
		t.Errorf("a storefront ready after two checks: %v, %d loads, %d checks left:\n%s", err, loads, s.unready, out)
	}
	_, loads, err = walk(t, &storefront{unready: 1000})
	if err == nil || !strings.Contains(err.Error(), "was not ready within 1s: status 503") || loads != 0 {
		t.Errorf("a storefront never ready: %v, %d loads", err, loads)
	}
}

func TestConfigNamesTheBadVariable(t *testing.T) {
	for env, want := range map[string]string{
		"":                                 "SMOKE_BASE_URL: required",
		"SMOKE_BASE_URL=web-preview:3000":  "SMOKE_BASE_URL: must be the storefront's http(s) URL",
		"SMOKE_BASE_URL=ftp://web-preview": "SMOKE_BASE_URL: must be",
		"SMOKE_BASE_URL=http://web-preview:3000 SMOKE_PAGE_TIMEOUT=0s": "SMOKE_PAGE_TIMEOUT: must be positive",
		"SMOKE_BASE_URL=http://web-preview:3000 SMOKE_READY_WAIT=-1s":  "SMOKE_READY_WAIT: must not be negative",
	} {
		vars := map[string]string{}
		for _, kv := range strings.Fields(env) {
			k, v, _ := strings.Cut(kv, "=")
			vars[k] = v
		}
		var c Config
		err := config.LoadFrom(func(k string) (string, bool) { v, ok := vars[k]; return v, ok }, &c)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", env, err, want)
		}
	}
	var c Config
	if err := config.LoadFrom(func(k string) (string, bool) {
		return map[string]string{"SMOKE_BASE_URL": "http://web-preview.shipshape.svc:3000"}[k], k == "SMOKE_BASE_URL"
	}, &c); err != nil || c.Timeout != 10*time.Second || c.ReadyWait != time.Minute {
		t.Errorf("a good configuration: %v, timeout %s, ready wait %s", err, c.Timeout, c.ReadyWait)
	}
}
