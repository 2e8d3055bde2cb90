package app

import (
	"context"
	"log/slog"
	"os"
	"syscall"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	ordersv1 "github.com/shipshape-dev/shipshape/api/orders/v1"
	"github.com/shipshape-dev/shipshape/internal/orders/grpcapi"
	"github.com/shipshape-dev/shipshape/internal/orders/payment"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
	"github.com/shipshape-dev/shipshape/internal/orders/upstream"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/grpcclient"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// Every upstream method orders calls is safe to retry: stock calls are
// idempotent by reservation id, clearing is guarded by the cart version.
var (
	catalogRetry = []string{
		catalogv1.CatalogService_GetProduct_FullMethodName,
		catalogv1.CatalogService_ReserveStock_FullMethodName,
		catalogv1.CatalogService_ConfirmReservation_FullMethodName,
		catalogv1.CatalogService_ReleaseStock_FullMethodName,
	}
	cartRetry = []string{cartv1.CartService_GetCart_FullMethodName, cartv1.CartService_ClearCart_FullMethodName}
)

// Serve runs orders until ctx ends. listening (optional) receives the bound
// addresses, for tests that use port 0.
func Serve(ctx context.Context, cfg Config, listening func(listeners.Addrs)) error {
	rt, err := bootstrap.Start(ctx, "orders", cfg.Common)
	if err != nil {
		return err
	}
	pool, err := rt.OpenDatabase(ctx, cfg.DB)
	if err != nil {
		return err
	}
	// The simulated provider stands for an outside service: its own small
	// pool, so checkouts holding connections can never starve it.
	payCfg := cfg.DB
	payCfg.MaxConns, payCfg.MinConns = 4, 0
	payPool, err := pg.Open(ctx, payCfg)
	if err != nil {
		pool.Close()
		return err
	}
	// Serve closes the main pool; these error paths return before it runs.
	closePools := func() { pool.Close(); payPool.Close() }
	// Every call to catalog and cart carries orders' service token.
	identity, err := servicetoken.NewClient(cfg.ServiceClient)
	if err != nil {
		closePools()
		return err
	}
	creds := servicetoken.Credentials(identity.Source)
	catalogConn, err := grpcclient.Dial(grpcclient.Config{Target: cfg.CatalogTarget, Timeout: cfg.UpstreamTimeout, Retry: catalogRetry, Credentials: creds})
	if err != nil {
		_ = identity.Close()
		closePools()
		return err
	}
	cartConn, err := grpcclient.Dial(grpcclient.Config{Target: cfg.CartTarget, Timeout: cfg.UpstreamTimeout, Retry: cartRetry, Credentials: creds})
	if err != nil {
		_ = catalogConn.Close()
		_ = identity.Close()
		closePools()
		return err
	}
	svc := &usecase.Service{
		Store:     store.New(pool),
		Cart:      upstream.Cart{Client: cartv1.NewCartServiceClient(cartConn)},
		Catalog:   upstream.Catalog{Client: catalogv1.NewCatalogServiceClient(catalogConn)},
		Payments:  payment.NewSimulated(payPool),
		Log:       rt.Logger,
		Metrics:   usecase.NewMetrics(rt.Registry),
		Lease:     cfg.RecoveryGrace,
		InFlight:  cfg.CheckoutConcurrency,
		Failpoint: failpoint(cfg.Failpoint, rt.Logger),
	}
	go svc.RunRecovery(ctx, cfg.RecoveryInterval)

	return rt.Serve(ctx, listeners.Options{
		GRPCServices: []string{ordersv1.OrdersService_ServiceDesc.ServiceName},
		RegisterGRPC: func(s *grpc.Server) { ordersv1.RegisterOrdersServiceServer(s, grpcapi.New(svc)) },
		RegisterREST: func(ctx context.Context, mux *runtime.ServeMux, conn *grpc.ClientConn) error {
			return ordersv1.RegisterOrdersServiceHandler(ctx, mux, conn)
		},
		CreatedMethods: []string{ordersv1.OrdersService_PlaceOrder_FullMethodName},
		Closers: []func(context.Context) error{
			func(context.Context) error { _ = cartConn.Close(); _ = identity.Close(); return catalogConn.Close() },
			func(context.Context) error { payPool.Close(); return nil },
		},
		Listening: listening,
	})
}

// failpoint returns the crash hook for the configured point, or nil.
func failpoint(point string, l *slog.Logger) func(string) {
	if point == "" {
		return nil
	}
	return func(name string) {
		if name == point {
			l.Error("failpoint reached: killing the process", "failpoint", name)
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
}
