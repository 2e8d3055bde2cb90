package app

import (
	"context"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/cart/grpcapi"
	"github.com/shipshape-dev/shipshape/internal/cart/store"
	"github.com/shipshape-dev/shipshape/internal/cart/upstream"
	"github.com/shipshape-dev/shipshape/internal/cart/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/grpcclient"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// Serve runs cart until ctx ends. listening (optional) receives the bound
// addresses, for tests that use port 0.
//
// Readiness checks cart's own database only. Catalog is not a readiness
// check: every replica shares the same catalog, so failing readiness would
// take all of cart out of service (and with it ClearCart, which needs no
// catalog) while the calls that do need catalog answer 503 on their own.
func Serve(ctx context.Context, cfg Config, listening func(listeners.Addrs)) error {
	rt, err := bootstrap.Start(ctx, "cart", cfg.Common)
	if err != nil {
		return err
	}
	catalog := grpcclient.Config{Target: cfg.CatalogTarget, Timeout: cfg.CatalogTimeout, Retry: []string{upstream.GetProductMethod}}
	closeIdentity := func() error { return nil }
	if cfg.ServiceClient.Enabled() {
		identity, err := servicetoken.NewClient(cfg.ServiceClient)
		if err != nil {
			return err
		}
		catalog.Credentials, closeIdentity = servicetoken.Credentials(identity.Source), identity.Close
	}
	catalogConn, err := grpcclient.Dial(catalog)
	if err != nil {
		_ = closeIdentity()
		return err
	}
	pool, err := rt.OpenDatabase(ctx, cfg.DB)
	if err != nil {
		_ = catalogConn.Close()
		_ = closeIdentity()
		return err
	}
	carts := usecase.New(store.New(pool), upstream.New(catalogv1.NewCatalogServiceClient(catalogConn)))
	return rt.Serve(ctx, listeners.Options{
		GRPCServices: []string{cartv1.CartService_ServiceDesc.ServiceName},
		RegisterGRPC: func(s *grpc.Server) { cartv1.RegisterCartServiceServer(s, grpcapi.New(carts)) },
		RegisterREST: func(ctx context.Context, mux *runtime.ServeMux, conn *grpc.ClientConn) error {
			return cartv1.RegisterCartServiceHandler(ctx, mux, conn)
		},
		Closers: []func(context.Context) error{func(context.Context) error {
			_ = closeIdentity()
			return catalogConn.Close()
		}},
		Listening: listening,
	})
}
