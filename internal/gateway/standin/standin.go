// Package standin is the development stand-in for the KrakenD gateway, used
// by `make run` when no krakend binary is installed. It serves the public API
// from the same definition (gateway/routes.yaml): routing, query and header
// filtering, the aggregated endpoints, JWT validation and roles at the edge,
// body limits, backend timeouts, and the client's address (X-Forwarded-For
// from trusted proxies only) passed to every backend. It is not a gateway: no rate limits, no
// circuit breakers, no CORS, no caching. Every response carries
// X-Shipshape-Gateway: standin so it is never mistaken for the real one.
package standin

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/gateway/trustedproxy"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
	"github.com/shipshape-dev/shipshape/internal/platform/tracing"
)

const (
	// MarkerHeader and MarkerValue mark every response of the stand-in.
	MarkerHeader = "X-Shipshape-Gateway"
	MarkerValue  = "standin"
	// HealthPath answers 200 while the stand-in serves (readiness polling).
	HealthPath = "/__health"
	// DefaultTimeout bounds a request's backend calls when Options.Timeout is 0.
	DefaultTimeout = 10 * time.Second
)

// Options configure New.
type Options struct {
	API routes.API
	// Backends maps each service to its REST base URL ("http://127.0.0.1:8082").
	Backends map[string]string
	// Auth verifies access tokens on user and admin routes.
	Auth auth.Authenticator
	// Timeout bounds all backend calls of one request; 0 means DefaultTimeout.
	Timeout time.Duration
	// Logger writes one access-log line per request; nil writes none.
	Logger *slog.Logger
	// Transport reaches the backends; nil means a direct (never proxied)
	// clone of http.DefaultTransport.
	Transport http.RoundTripper
	// TrustedProxies are the peers whose X-Forwarded-For names the client;
	// nil trusts none (every client is its connection's address).
	TrustedProxies []netip.Prefix
}

// upstream is what every route handler needs to call backends.
type upstream struct {
	bases   map[string]string
	client  *http.Client
	timeout time.Duration
}

// New builds the stand-in's handler: one ServeMux pattern per route.
func New(o Options) (http.Handler, error) {
	if o.Auth == nil {
		return nil, errors.New("standin: no authenticator")
	}
	bases, err := baseURLs(o.API, o.Backends)
	if err != nil {
		return nil, err
	}
	up := &upstream{bases: bases, client: newClient(o.Transport), timeout: o.Timeout}
	if up.timeout <= 0 {
		up.timeout = DefaultTimeout
	}
	mux := http.NewServeMux()
	for _, r := range o.API.Routes {
		var h http.Handler = &proxy{route: r, up: up}
		if r.Aggregated() {
			h = &aggregate{route: r, up: up}
		}
		if err := register(mux, r.Method+" "+r.Path, requireAuth(o.Auth, r.Auth, h)); err != nil {
			return nil, fmt.Errorf("standin: %s: %v", r.Name(), err)
		}
	}
	mux.HandleFunc("GET "+HealthPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	// Unknown routes, and known paths with another method, as KrakenD does.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, codes.NotFound, "no route %s %s", r.Method, r.URL.Path)
	})
	var h http.Handler = resolveClient(o.TrustedProxies, mux)
	if o.Logger != nil {
		h = logging.HTTPMiddleware(o.Logger, h)
	}
	// Continues the caller's trace (traceparent), so the access line and
	// the backend calls carry its ids.
	h = tracing.HTTPMiddleware("gateway-standin", h)
	// One request id for the whole request, every part of an aggregate included.
	return marked(requestid.HTTPMiddleware(h)), nil
}

// register turns ServeMux's panic on conflicting patterns into an error.
func register(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

// baseURLs checks that every service a route calls has a usable base URL.
func baseURLs(api routes.API, given map[string]string) (map[string]string, error) {
	bases := map[string]string{}
	var errs []error
	for _, r := range api.Routes {
		services := []string{r.Service}
		if r.Aggregated() {
			services = nil
			for _, p := range r.Parts {
				services = append(services, p.Service)
			}
		}
		for _, s := range services {
			if _, done := bases[s]; done {
				continue
			}
			base := strings.TrimSuffix(given[s], "/")
			u, err := url.Parse(base)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
				errs = append(errs, fmt.Errorf("standin: service %s: base URL %q: want http(s)://host[:port]", s, given[s]))
			}
			bases[s] = base
		}
	}
	return bases, errors.Join(errs...)
}

// newClient never follows redirects: the client gets the backend's answer.
func newClient(rt http.RoundTripper) *http.Client {
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil
		t.MaxIdleConnsPerHost = 32
		rt = t
	}
	// Each backend call is a client span and carries the trace context.
	return &http.Client{Transport: tracing.Transport(rt), CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// resolveClient replaces X-Forwarded-For with exactly the client's address
// (trustedproxy.ClientIP), which every backend call then carries, as
// KrakenD does: the services limit and log clients by it.
func resolveClient(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, _, _ := net.SplitHostPort(r.RemoteAddr)
		if client := trustedproxy.ClientIP(peer, r.Header.Values(forwardedFor), trusted); client != "" {
			r.Header.Set(forwardedFor, client)
		} else {
			r.Header.Del(forwardedFor)
		}
		next.ServeHTTP(w, r)
	})
}

func marked(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(MarkerHeader, MarkerValue)
		next.ServeHTTP(w, r)
	})
}
