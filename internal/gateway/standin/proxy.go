package standin

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"google.golang.org/grpc/codes"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

// proxy serves a route backed by one call: same method, the route's
// backend path, query parameters and headers only; the backend's status,
// body, Content-Type and request id go back unchanged.
type proxy struct {
	route routes.Route
	up    *upstream
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target, err := backendURL(p.up.bases[p.route.Service], p.route.Backend, r, routeQuery(r, p.route.Query))
	if err != nil {
		writeError(w, r, http.StatusNotFound, codes.NotFound, "no route %s %s: %v", r.Method, r.URL.Path, err)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), p.up.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.Method, target, bytes.NewReader(body))
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, codes.Internal, "internal error")
		return
	}
	forwardHeaders(req.Header, r.Header, p.route.Headers)
	resp, err := p.up.client.Do(req)
	if err != nil {
		backendFailed(w, r, p.route.Service, ctx.Err() == context.DeadlineExceeded, p.up.timeout)
		return
	}
	defer resp.Body.Close()
	copyResponseHeaders(w.Header(), resp.Header)
	w.WriteHeader(resp.StatusCode)
	// The status is sent; a body cut short by the deadline or the client
	// leaving can only end the response early.
	_, _ = io.Copy(w, resp.Body)
}
