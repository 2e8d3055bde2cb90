package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/grpcapi"
	"github.com/shipshape-dev/shipshape/internal/catalog/productcache"
	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/catalog/store"
	"github.com/shipshape-dev/shipshape/internal/catalog/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/periodic"
)

// Serve runs catalog until ctx ends. listening (optional) receives the bound
// addresses, for tests that use port 0.
func Serve(ctx context.Context, cfg Config, listening func(listeners.Addrs)) error {
	rt, err := bootstrap.Start(ctx, "catalog", cfg.Common)
	if err != nil {
		return err
	}
	pool, err := rt.OpenDatabase(ctx, cfg.DB)
	if err != nil {
		return err
	}
	catalog := usecase.New(store.New(pool), productcache.New(cfg.ProductCacheTTL, 10_000), usecase.NewMetrics(rt.Registry))
	go sweep(ctx, rt.Logger, catalog, cfg.SweepInterval)

	return rt.Serve(ctx, listeners.Options{
		GRPCServices: []string{catalogv1.CatalogService_ServiceDesc.ServiceName},
		RegisterGRPC: func(s *grpc.Server) { catalogv1.RegisterCatalogServiceServer(s, grpcapi.New(catalog)) },
		RegisterREST: func(ctx context.Context, mux *runtime.ServeMux, conn *grpc.ClientConn) error {
			return catalogv1.RegisterCatalogServiceHandler(ctx, mux, conn)
		},
		CreatedMethods: []string{catalogv1.CatalogService_CreateProduct_FullMethodName},
		HTTPRoutes:     map[string]http.Handler{"GET /v1/images/{file}": seed.ImageHandler()},
		Listening:      listening,
	})
}

// sweep expires overdue reservations until ctx ends.
func sweep(ctx context.Context, l *slog.Logger, catalog *usecase.Catalog, every time.Duration) {
	periodic.Every(ctx, every, false, func(ctx context.Context) {
		n, err := periodic.Drain(ctx, 100, func(ctx context.Context, limit int) (int, error) {
			return catalog.ExpireDue(ctx, time.Now(), limit)
		})
		if n > 0 {
			l.InfoContext(ctx, "reservations expired", "count", n)
		}
		if err != nil && ctx.Err() == nil {
			l.WarnContext(ctx, "reservation sweep failed", "error", err)
		}
	})
}
