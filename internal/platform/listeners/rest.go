package listeners

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/platform/metrics"
	"github.com/shipshape-dev/shipshape/internal/platform/recovery"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
	"github.com/shipshape-dev/shipshape/internal/platform/tracing"
)

// maxBodyBytes bounds REST request bodies; larger ones are refused (413).
const maxBodyBytes = 1 << 20

// newREST builds the REST facade: grpc-gateway translating JSON to calls
// on our own gRPC listener over loopback, wrapped in the HTTP middleware.
func newREST(ctx context.Context, o Options, grpcAddr string) (http.Handler, *grpc.ClientConn, error) {
	conn, err := grpc.NewClient(loopback(grpcAddr),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(tracing.ClientHandler()),
		grpc.WithChainUnaryInterceptor(requestid.UnaryClientInterceptor()))
	if err != nil {
		return nil, nil, fmt.Errorf("rest facade: %w", err)
	}
	created := map[string]bool{}
	for _, m := range o.CreatedMethods {
		created[m] = true
	}
	gw := runtime.NewServeMux(
		runtime.WithErrorHandler(apperr.RESTErrorHandler),
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{
			MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: true},
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
		}),
		runtime.WithIncomingHeaderMatcher(forwardHeader),
		runtime.WithForwardResponseOption(func(ctx context.Context, w http.ResponseWriter, _ proto.Message) error {
			if m, ok := runtime.RPCMethod(ctx); ok && created[m] {
				w.WriteHeader(http.StatusCreated)
			}
			return nil
		}),
		runtime.WithMiddlewares(routeLabel),
	)
	if err := o.RegisterREST(ctx, gw, conn); err != nil {
		_ = conn.Close()
		return nil, nil, fmt.Errorf("rest facade: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", gw)
	for pattern, h := range o.HTTPRoutes {
		mux.Handle(pattern, routed(pattern, h))
	}
	var h http.Handler = limitBody(mux)
	h = recovery.HTTPMiddleware(o.Logger, h)
	h = metrics.NewHTTPServer(o.Registry).Middleware(h)
	h = logging.HTTPMiddleware(o.Logger, h)
	h = tracing.HTTPMiddleware(o.Name, h)
	h = requestid.HTTPMiddleware(h)
	return h, conn, nil
}

// IdempotencyKeyHeader makes retried writes safe (orders' checkout); it
// reaches gRPC handlers as IdempotencyKeyMetadata.
const (
	IdempotencyKeyHeader   = "Idempotency-Key"
	IdempotencyKeyMetadata = "idempotency-key"
)

// forwardHeader passes the request id and idempotency key to gRPC metadata
// besides grpc-gateway's defaults (Authorization and the permanent headers).
func forwardHeader(key string) (string, bool) {
	switch {
	case strings.EqualFold(key, requestid.Header):
		return requestid.MetadataKey, true
	case strings.EqualFold(key, IdempotencyKeyHeader):
		return IdempotencyKeyMetadata, true
	}
	return runtime.DefaultHeaderMatcher(key)
}

// routeLabel gives metrics the matched route pattern, never the raw path.
func routeLabel(next runtime.HandlerFunc) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		if p, ok := runtime.HTTPPattern(r.Context()); ok {
			metrics.SetRoute(r.Context(), p.String())
		}
		next(w, r, params)
	}
}

func routed(pattern string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		metrics.SetRoute(r.Context(), pattern)
		h.ServeHTTP(w, r)
	})
}

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBodyBytes {
			// 413, not the 429 that RESOURCE_EXHAUSTED maps to: retrying
			// the same body cannot succeed.
			apperr.WriteHTTPStatus(w, r, http.StatusRequestEntityTooLarge, apperr.ToStatus(&apperr.Error{
				Kind: apperr.KindResourceExhausted, Message: "request body too large",
				Fields: []apperr.FieldViolation{{Field: "body", Reason: fmt.Sprintf("at most %d bytes", maxBodyBytes)}}}))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// loopback turns a wildcard listen address into one we can dial.
func loopback(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
