package engine

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	cbproxy "github.com/krakend/krakend-circuitbreaker/v3/gobreaker/proxy"
	jose "github.com/krakend/krakend-jose/v2"
	ginjose "github.com/krakend/krakend-jose/v2/gin"
	jsonschema "github.com/krakend/krakend-jsonschema/v2"
	ratelimitproxy "github.com/krakend/krakend-ratelimit/v3/proxy"
	ratelimitgin "github.com/krakend/krakend-ratelimit/v3/router/gin"
	"github.com/luraproject/lura/v2/config"
	"github.com/luraproject/lura/v2/logging"
	"github.com/luraproject/lura/v2/proxy"
	luragin "github.com/luraproject/lura/v2/router/gin"
	"github.com/luraproject/lura/v2/transport/http/client"
	"github.com/luraproject/lura/v2/transport/http/server"
)

// The three factories below stack the components in the order KrakenD CE
// does, so a request meets them in the same sequence:
//
//	handler: auth/validator -> qos/ratelimit/router -> endpoint (timeout)
//	proxy:   validation/json-schema -> merge/group/mapping/allow -> backends
//	backend: qos/circuit-breaker -> qos/ratelimit/proxy -> HTTP call
//
// Load balancing over a backend's hosts, query-string and header filtering
// and aggregation are lura's own (proxy.NewDefaultFactory).

// newBackendFactory builds the call to one backend: lura's HTTP proxy
// (encoding, backend/http error handling) behind the backend rate limit
// and the circuit breaker, sent through transport (tracing).
func newBackendFactory(logger logging.Logger, transport http.RoundTripper) proxy.BackendFactory {
	httpClient := &http.Client{Transport: transport}
	executor := func(*config.Backend) client.HTTPRequestExecutor {
		return client.DefaultHTTPRequestExecutor(func(context.Context) *http.Client { return httpClient })
	}
	var bf proxy.BackendFactory = func(remote *config.Backend) proxy.Proxy {
		return proxy.NewHTTPProxyWithHTTPExecutor(remote, executor(remote), remote.Decoder)
	}
	bf = ratelimitproxy.BackendFactory(logger, bf)
	return cbproxy.BackendFactory(bf, logger)
}

// newProxyFactory builds an endpoint's pipe over its backends.
func newProxyFactory(logger logging.Logger, bf proxy.BackendFactory) proxy.Factory {
	return jsonschema.ProxyFactory(logger, proxy.NewDefaultFactory(bf, logger))
}

// newHandlerFactory builds the HTTP handler of an endpoint. Errors the
// gateway raises itself answer with KrakenD's status codes and no body
// (unless the router sets return_error_msg).
func newHandlerFactory(logger logging.Logger) luragin.HandlerFactory {
	hf := detachedContext(luragin.CustomErrorEndpointHandler(logger, server.DefaultToHTTPError))
	hf = ratelimitgin.NewRateLimiterMw(logger, hf)
	return ginjose.HandlerFactory(hf, logger, jose.NopRejecterFactory{})
}

// detachedContext runs Lura's endpoint handler on a copy of gin's context.
// That handler makes the request's timeout a child of the gin.Context
// itself; when the timer fires, its goroutine still reads the parent after
// the handler has returned, while gin hands the pooled context to the next
// request (a data race: TestEndpointTimeoutsUnderLoad). The copy is never
// reused; it writes to the same response writer, keeps the request (and so
// the client's cancellation), and its errors are handed back.
func detachedContext(hf luragin.HandlerFactory) luragin.HandlerFactory {
	return func(cfg *config.EndpointConfig, p proxy.Proxy) gin.HandlerFunc {
		h := hf(cfg, p)
		return func(c *gin.Context) {
			cp := c.Copy()
			cp.Writer = c.Writer
			h(cp)
			c.Errors = append(c.Errors, cp.Errors...)
		}
	}
}
