package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"time"
)

// client sends the generator's requests to the API.
type client struct {
	api     string // base URL, e.g. http://127.0.0.1:8080/api/v1
	http    *http.Client
	timeout time.Duration
	// spread, when set, gives each virtual shopper an address of its own
	// in X-Forwarded-For, so per-client rate limits see many shoppers, as
	// in production. Only a gateway that trusts our address (loopback in
	// make run) honours it.
	spread bool
}

// clientAddr is virtual shopper n's address, in 198.18.0.0/15, the range
// reserved for benchmarks (RFC 2544): never a real client.
func clientAddr(n int) string {
	base := netip.MustParseAddr("198.18.0.0").As4()
	n %= 1 << 17
	base[1] += byte(n >> 16)
	base[2] = byte(n >> 8)
	base[3] = byte(n)
	return netip.AddrFrom4(base).String()
}

// response is what a request came back with: status (0 for a transport
// error), the decoded JSON body when there is one, and how long it took.
type response struct {
	status  int
	body    map[string]any
	err     error
	elapsed time.Duration
}

func (c *client) do(ctx context.Context, method, path, body string, header http.Header, shopper int) response {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	}
	req, err := http.NewRequestWithContext(ctx, method, c.api+path, rd)
	if err != nil {
		return response{err: err}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.spread {
		req.Header.Set("X-Forwarded-For", clientAddr(shopper))
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return response{err: err, elapsed: time.Since(start)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	r := response{status: resp.StatusCode, elapsed: time.Since(start), err: err}
	if len(data) > 0 && data[0] == '{' {
		_ = json.Unmarshal(data, &r.body)
	}
	return r
}

// must is do for set-up calls: anything but want is an error naming the
// call and the answer.
func (c *client) must(ctx context.Context, want int, method, path, body string, header http.Header, shopper int) (map[string]any, error) {
	r := c.do(ctx, method, path, body, header, shopper)
	if r.err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, r.err)
	}
	if r.status != want {
		return nil, fmt.Errorf("%s %s: status %d, want %d: %v", method, path, r.status, want, r.body)
	}
	return r.body, nil
}
