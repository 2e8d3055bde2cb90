package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/grpcapi"
	"github.com/shipshape-dev/shipshape/internal/identity/keys"
	"github.com/shipshape-dev/shipshape/internal/identity/password"
	"github.com/shipshape-dev/shipshape/internal/identity/servicetoken"
	"github.com/shipshape-dev/shipshape/internal/identity/store"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/periodic"
	"github.com/shipshape-dev/shipshape/internal/platform/server"
	"github.com/shipshape-dev/shipshape/internal/platform/service"
	svctoken "github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// JWKSPath is where verifiers (the gateway, every service) fetch our keys.
const JWKSPath = "/.well-known/jwks.json"

// Refresh tokens past expiry are deleted after this long (kept a day for
// investigating a theft report), checked every sweepInterval.
const (
	expiredRetention = 24 * time.Hour
	sweepInterval    = time.Hour
)

// Serve runs identity until ctx ends. listening (optional) receives the bound
// addresses, for tests that use port 0.
func Serve(ctx context.Context, cfg Config, listening func(server.Addrs)) error {
	// Keys first: a missing or bad key file must stop start-up at once.
	ks, err := keys.Load(cfg.SigningKeyFile, cfg.PreviousKeyFiles)
	if err != nil {
		return err
	}
	clients, err := servicetoken.LoadClients(cfg.ServiceTokens.ClientsFile)
	if err != nil {
		return err
	}
	rt, err := service.Start(ctx, "identity", cfg.Common)
	if err != nil {
		return err
	}
	// Identity verifies its own tokens with the keys it holds rather than
	// fetching its own JWKS over the network.
	rt.Auth = auth.NewVerifier(cfg.Common.Auth.Issuer, cfg.Common.Auth.Audience, ks.Verification)
	rt.Services = svctoken.NewVerifier(cfg.Common.Auth.Issuer, ks.Verification)
	bm := grpcapi.NewMetrics(rt.Registry)
	hasher, err := password.NewHasher(password.DefaultParams, password.WithObserver(bm.ObserveHash))
	if err != nil {
		return err
	}
	pool, err := rt.OpenDatabase(ctx, cfg.DB)
	if err != nil {
		return err
	}
	st := store.New(pool)
	go sweep(ctx, rt.Logger, st)

	svc := grpcapi.New(grpcapi.Deps{Store: st, Hasher: hasher, RefreshTTL: cfg.RefreshTokenTTL, Metrics: bm, Logger: rt.Logger,
		Access: tokens.NewAccess(ks.Signer, cfg.Common.Auth.Issuer, cfg.Common.Auth.Audience, cfg.AccessTokenTTL)})
	serviceTokens := grpcapi.NewServiceTokens(servicetoken.NewIssuer(clients, ks.Signer, cfg.Common.Auth.Issuer, cfg.ServiceTokens.TTL),
		rt.Logger, rt.Registry)
	return rt.Serve(ctx, server.Options{
		GRPCServices: []string{identityv1.IdentityService_ServiceDesc.ServiceName, identityv1.ServiceTokenService_ServiceDesc.ServiceName},
		RegisterGRPC: func(s *grpc.Server) {
			identityv1.RegisterIdentityServiceServer(s, svc)
			identityv1.RegisterServiceTokenServiceServer(s, serviceTokens)
		},
		RegisterGateway: func(ctx context.Context, mux *runtime.ServeMux, conn *grpc.ClientConn) error {
			return identityv1.RegisterIdentityServiceHandler(ctx, mux, conn)
		},
		CreatedMethods: []string{identityv1.IdentityService_SignUp_FullMethodName},
		HTTPRoutes:     map[string]http.Handler{"GET " + JWKSPath: ks.JWKSHandler()},
		Listening:      listening,
	})
}

// sweep deletes long-expired refresh tokens until ctx ends; every replica
// runs it, and concurrent deletes of the same rows are harmless.
func sweep(ctx context.Context, l *slog.Logger, st *store.Store) {
	periodic.Every(ctx, sweepInterval, false, func(ctx context.Context) {
		n, err := periodic.Drain(ctx, 1000, func(ctx context.Context, limit int) (int, error) {
			return st.DeleteExpiredRefreshTokens(ctx, time.Now().Add(-expiredRetention), limit)
		})
		if n > 0 {
			l.InfoContext(ctx, "expired refresh tokens deleted", "count", n)
		}
		if err != nil && ctx.Err() == nil {
			l.WarnContext(ctx, "refresh token sweep failed", "error", err)
		}
	})
}
