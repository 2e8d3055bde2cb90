package standin

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
)

// forwardedFor carries the client's address to the backends, set by
// resolveClient to exactly that address.
const forwardedFor = "X-Forwarded-For"

// alwaysForwarded are the request headers every backend call carries; a
// route adds its own (e.g. Idempotency-Key). Nothing else reaches a backend.
var alwaysForwarded = []string{"Authorization", "Content-Type", requestid.Header, forwardedFor}

// errBadParam refuses path values that would change the backend path.
var errBadParam = errors.New("invalid path parameter")

// backendURL is base + backend with r's path values substituted, escaped as
// one segment each, plus query.
func backendURL(base, backend string, r *http.Request, query url.Values) (string, error) {
	path := backend
	for _, name := range routes.Params(backend) {
		v := r.PathValue(name)
		// ServeMux already redirects dot segments; refused here too, since
		// "/v1/products/.." would name another backend path.
		if v == "" || v == "." || v == ".." {
			return "", errBadParam
		}
		path = strings.Replace(path, "{"+name+"}", url.PathEscape(v), 1)
	}
	u := base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u, nil
}

// routeQuery keeps only the named query parameters of r.
func routeQuery(r *http.Request, names []string) url.Values {
	in := r.URL.Query()
	out := url.Values{}
	for _, name := range names {
		if vs, ok := in[name]; ok {
			out[name] = vs
		}
	}
	return out
}

// fixedQuery is a part's query, the same on every call.
func fixedQuery(q map[string]string) url.Values {
	out := url.Values{}
	for k, v := range q {
		out.Set(k, v)
	}
	return out
}

// forwardHeaders copies the always-forwarded and the route's extra headers.
func forwardHeaders(dst, src http.Header, extra []string) {
	for _, names := range [][]string{alwaysForwarded, extra} {
		for _, name := range names {
			if vs := src.Values(name); len(vs) > 0 {
				dst[http.CanonicalHeaderKey(name)] = append([]string(nil), vs...)
			}
		}
	}
}

// copyResponseHeaders returns the backend's Content-Type and request id.
func copyResponseHeaders(dst, src http.Header) {
	for _, name := range []string{"Content-Type", requestid.Header} {
		if v := src.Get(name); v != "" {
			dst.Set(name, v)
		}
	}
}
