package listeners

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	goruntime "runtime"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/shipshape-dev/shipshape/internal/platform/adminserver"
	"github.com/shipshape-dev/shipshape/internal/platform/memlimit"
)

// Options describe one service to Run.
type Options struct {
	// Name is the service's name (logs, health, metrics).
	Name   string
	Config Config
	Logger *slog.Logger
	// Registry receives the RED metrics; /metrics serves it.
	Registry *prometheus.Registry
	// GRPCServices are the fully qualified gRPC service names, reported by
	// the gRPC health service next to the overall "" status.
	GRPCServices []string
	// RegisterGRPC registers the service implementations.
	RegisterGRPC func(*grpc.Server)
	// RegisterREST registers the REST facade; conn reaches our own gRPC
	// listener, so REST calls pass the same interceptors as gRPC calls.
	RegisterREST func(ctx context.Context, mux *runtime.ServeMux, conn *grpc.ClientConn) error
	// CreatedMethods are full gRPC method names whose REST success is 201.
	CreatedMethods []string
	// HTTPRoutes adds plain handlers (e.g. images) beside the REST facade.
	HTTPRoutes map[string]http.Handler
	// UnaryInterceptors run innermost, after the chassis' (e.g. auth).
	UnaryInterceptors []grpc.UnaryServerInterceptor
	// ReadyChecks decide /readyz and gRPC health.
	ReadyChecks map[string]Check
	// Closers run in order once no request is in flight (close the pool,
	// flush telemetry).
	Closers []func(context.Context) error
	// Listening, if set, is called with the bound addresses once serving.
	Listening func(Addrs)
}

// Addrs are the addresses actually bound (useful with port 0 in tests).
type Addrs struct{ HTTP, GRPC, Admin string }

// Run serves until ctx is cancelled (SIGTERM), then shuts down in order:
// readiness false, drain delay, stop accepting and finish in-flight requests
// within ShutdownTimeout, run Closers, stop the admin listener. It returns
// nil only when everything finished inside the deadline.
func Run(ctx context.Context, o Options) error {
	lis, err := listen(o.Config)
	if err != nil {
		return err
	}
	ready := &readiness{checks: o.ReadyChecks, timeout: time.Second}
	hs := health.NewServer()
	grpcSrv := newGRPCServer(o)
	if o.Config.FaultErrorRatio > 0 {
		o.Logger.Warn("fault switch on: a share of calls fails on purpose", "fault_error_ratio", o.Config.FaultErrorRatio)
	}
	healthpb.RegisterHealthServer(grpcSrv, hs)
	o.RegisterGRPC(grpcSrv)
	if o.Config.Reflection {
		reflection.Register(grpcSrv)
	}

	serveErr := make(chan error, 3)
	go func() { serveErr <- serveGRPC(grpcSrv, lis.grpc) }()

	gw, conn, err := newREST(ctx, o, lis.grpc.Addr().String())
	if err != nil {
		grpcSrv.Stop()
		lis.close()
		return err
	}
	httpSrv := &http.Server{Handler: closeAged(o.Config.HTTPMaxConnectionAge, gw), ConnContext: connStart,
		ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(o.Logger.Handler(), slog.LevelWarn)}
	adminSrv := &http.Server{Handler: adminserver.Handler(o.Registry, http.HandlerFunc(ready.serveHTTP)), ReadHeaderTimeout: 5 * time.Second}
	go func() { serveErr <- serveHTTP(httpSrv, lis.http) }()
	go func() { serveErr <- serveHTTP(adminSrv, lis.admin) }()

	watchCtx, stopWatch := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWatch()
	go ready.watch(watchCtx, hs, append([]string{""}, o.GRPCServices...), o.Config.HealthInterval)

	addrs := Addrs{HTTP: lis.http.Addr().String(), GRPC: lis.grpc.Addr().String(), Admin: lis.admin.Addr().String()}
	// The CPUs and memory the runtime sized itself for (from the container's
	// limits), so a log shows what a pod was given.
	o.Logger.Info("serving", "http", addrs.HTTP, "grpc", addrs.GRPC, "admin", addrs.Admin,
		"gomaxprocs", goruntime.GOMAXPROCS(0), "memory_limit", memlimit.Describe())
	if o.Listening != nil {
		o.Listening(addrs)
	}

	var runErr error
	select {
	case <-ctx.Done():
		o.Logger.Info("shutdown: signal received, readiness now false", "drain_delay", o.Config.DrainDelay.String())
	case runErr = <-serveErr:
		o.Logger.Error("shutdown: listener failed", "error", runErr)
	}

	// 1. Readiness false: /readyz 503 and gRPC health NOT_SERVING.
	stopWatch()
	ready.draining.Store(true)
	hs.Shutdown()
	// 2. Keep serving while endpoints are removed from load balancing.
	if runErr == nil {
		time.Sleep(o.Config.DrainDelay)
	}
	// 3. Stop accepting; finish in-flight requests within the deadline.
	deadline, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.Config.ShutdownTimeout)
	defer cancel()
	o.Logger.Info("shutdown: draining in-flight requests", "timeout", o.Config.ShutdownTimeout.String())
	errs := []error{runErr}
	errs = append(errs, stopServers(deadline, httpSrv, grpcSrv)...)
	_ = conn.Close()
	// 4. Close the database, flush telemetry.
	for _, c := range o.Closers {
		errs = append(errs, c(deadline))
	}
	// 5. The admin listener goes last so liveness holds until the end.
	errs = append(errs, adminSrv.Shutdown(deadline))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	o.Logger.Info("shutdown: complete")
	return nil
}

// stopServers stops REST first, then gRPC. A REST request is served by a
// call over the loopback connection to our own gRPC server, so gRPC must
// keep taking new calls until the last REST request is done (stopping both
// at once answered a request accepted just before with 503; the cluster
// tests caught it). gRPC is forced when the deadline passes, because
// GracefulStop alone would wait forever.
func stopServers(deadline context.Context, httpSrv *http.Server, grpcSrv *grpc.Server) []error {
	httpErr := httpSrv.Shutdown(deadline)
	grpcDone := make(chan struct{})
	go func() { grpcSrv.GracefulStop(); close(grpcDone) }()
	select {
	case <-grpcDone:
		return []error{httpErr}
	case <-deadline.Done():
		grpcSrv.Stop()
		<-grpcDone
		return []error{httpErr, fmt.Errorf("grpc: in-flight calls cut off: %w", deadline.Err())}
	}
}

type listeners struct{ http, grpc, admin net.Listener }

func (l listeners) close() {
	for _, x := range []net.Listener{l.http, l.grpc, l.admin} {
		if x != nil {
			_ = x.Close()
		}
	}
}

// listen binds all three ports first, so a taken port fails start-up
// instead of leaving a half-started service.
func listen(c Config) (listeners, error) {
	var l listeners
	var err error
	for _, b := range []struct {
		name, addr string
		dst        *net.Listener
	}{{"HTTP_ADDR", c.HTTPAddr, &l.http}, {"GRPC_ADDR", c.GRPCAddr, &l.grpc}, {"ADMIN_ADDR", c.AdminAddr, &l.admin}} {
		if *b.dst, err = net.Listen("tcp", b.addr); err != nil {
			l.close()
			return listeners{}, fmt.Errorf("%s: %w", b.name, err)
		}
	}
	return l, nil
}

func serveGRPC(s *grpc.Server, l net.Listener) error {
	if err := s.Serve(l); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return fmt.Errorf("grpc: %w", err)
	}
	return nil
}

func serveHTTP(s *http.Server, l net.Listener) error {
	if err := s.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http: %w", err)
	}
	return nil
}
