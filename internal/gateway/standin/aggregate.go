package standin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"

	"google.golang.org/grpc/codes"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

// maxPartBytes bounds one part's response, which is held in memory.
const maxPartBytes = 8 << 20

// aggregate serves a route made of parts: every part is fetched at once and
// the answer is {"<group>": <part's JSON body>, ...} in the definition's
// order. All or nothing: a failed part fails the request, naming its group.
type aggregate struct {
	route routes.Route
	up    *upstream
}

// partResult is one part's JSON body, or why there is none.
type partResult struct {
	body     json.RawMessage
	err      error
	timedOut bool
}

func (a *aggregate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), a.up.timeout)
	defer cancel()
	results := make([]partResult, len(a.route.Parts))
	var wg sync.WaitGroup
	for i, part := range a.route.Parts {
		wg.Go(func() { results[i] = a.fetch(ctx, r, part) })
	}
	wg.Wait()

	var out bytes.Buffer
	out.WriteByte('{')
	for i, part := range a.route.Parts {
		res := results[i]
		what := fmt.Sprintf("part %q (%s)", part.Group, part.Service)
		if res.err != nil && (res.timedOut || r.Context().Err() != nil) {
			backendFailed(w, r, what, res.timedOut, a.up.timeout)
			return
		}
		if res.err != nil {
			writeError(w, r, http.StatusBadGateway, codes.Unavailable, "%s failed: %v", what, res.err)
			return
		}
		if i > 0 {
			out.WriteByte(',')
		}
		group, _ := json.Marshal(part.Group)
		out.Write(group)
		out.WriteByte(':')
		out.Write(res.body)
	}
	out.WriteByte('}')
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(out.Bytes())
}

// fetch GETs one part with the caller's credentials and request id.
func (a *aggregate) fetch(ctx context.Context, r *http.Request, part routes.Part) partResult {
	target, err := backendURL(a.up.bases[part.Service], part.Backend, r, fixedQuery(part.Query))
	if err != nil {
		return partResult{err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return partResult{err: err}
	}
	forwardHeaders(req.Header, r.Header, nil)
	req.Header.Del("Content-Type") // a GET without a body
	resp, err := a.up.client.Do(req)
	if err != nil {
		return partResult{err: fmt.Errorf("no answer"), timedOut: ctx.Err() == context.DeadlineExceeded}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPartBytes+1))
	switch {
	case err != nil:
		return partResult{err: fmt.Errorf("reading the answer"), timedOut: ctx.Err() == context.DeadlineExceeded}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return partResult{err: fmt.Errorf("%s answered %d", part.Service, resp.StatusCode)}
	case len(body) > maxPartBytes:
		return partResult{err: fmt.Errorf("answer larger than %d bytes", maxPartBytes)}
	case !json.Valid(body):
		return partResult{err: fmt.Errorf("answer is not JSON")}
	}
	return partResult{body: bytes.TrimSpace(body)}
}
