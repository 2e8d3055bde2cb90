package listeners

import (
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/fault"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/platform/metrics"
	"github.com/shipshape-dev/shipshape/internal/platform/recovery"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
	"github.com/shipshape-dev/shipshape/internal/platform/tracing"
)

// newGRPCServer builds the server with the chassis interceptors, outermost
// first: request id, access log and RED metrics see the final status code;
// recovery turns a panic into Internal before they do; the fault switch
// (off unless a release test turns it on) fails its share; apperr maps domain
// errors; the service's own interceptors (auth) run closest to the handler.
func newGRPCServer(o Options) *grpc.Server {
	m := metrics.NewGRPCServer(o.Registry)
	unary := []grpc.UnaryServerInterceptor{
		requestid.UnaryServerInterceptor(),
		logging.UnaryServerInterceptor(o.Logger),
		m.UnaryServerInterceptor(),
		recovery.UnaryServerInterceptor(o.Logger),
	}
	// after the log and the metrics, which count its failures as any; only
	// when on, so that no call of a normal run pays for it
	if sw := fault.New(o.Config.FaultErrorRatio); sw != nil {
		unary = append(unary, sw.UnaryServerInterceptor())
	}
	unary = append(unary, apperr.UnaryServerInterceptor(o.Logger))
	unary = append(unary, o.UnaryInterceptors...)
	stream := []grpc.StreamServerInterceptor{
		requestid.StreamServerInterceptor(),
		logging.StreamServerInterceptor(o.Logger),
		m.StreamServerInterceptor(),
		recovery.StreamServerInterceptor(o.Logger),
	}
	return grpc.NewServer(
		grpc.StatsHandler(tracing.ServerHandler()),
		grpc.ChainUnaryInterceptor(unary...),
		grpc.ChainStreamInterceptor(stream...),
		// Clients (and the gateway) reconnect after this, so long-lived HTTP/2
		// connections get spread over new pods when we scale out.
		grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionAge: 5 * time.Minute, MaxConnectionAgeGrace: 30 * time.Second}),
		grpc.MaxRecvMsgSize(1<<20),
	)
}
