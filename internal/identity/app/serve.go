package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/grpcapi"
	"github.com/shipshape-dev/shipshape/internal/identity/keys"
	"github.com/shipshape-dev/shipshape/internal/identity/password"
	"github.com/shipshape-dev/shipshape/internal/identity/store"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/periodic"
	svctoken "github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// JWKSPath is where verifiers (the gateway, every service) fetch our keys.
const JWKSPath = "/.well-known/jwks.json"

// sweepInterval is how often rows that no longer matter are deleted; often,
// so that sealed refresh-token successors outlive their grace only briefly.
const sweepInterval = time.Minute

// Serve runs identity until ctx ends. listening (optional) receives the bound
// addresses, for tests that use port 0.
func Serve(ctx context.Context, cfg Config, listening func(listeners.Addrs)) error {
	// Keys first: a missing or bad key file must stop start-up at once.
	ks, err := keys.Load(cfg.SigningKeyFile, cfg.PreviousKeyFiles)
	if err != nil {
		return err
	}
	clients, err := loadServiceClients(cfg.ServiceTokens.ClientsFile)
	if err != nil {
		return err
	}
	rt, err := bootstrap.Start(ctx, "identity", cfg.Common)
	if err != nil {
		return err
	}
	// Identity verifies its own tokens with the keys it holds rather than
	// fetching its own JWKS over the network.
	rt.Auth = auth.NewVerifier(cfg.Common.Auth.Issuer, cfg.Common.Auth.Audience, ks.Verification)
	rt.Services = svctoken.NewVerifier(cfg.Common.Auth.Issuer, ks.Verification)
	bm := usecase.NewMetrics(rt.Registry)
	hasher, err := password.NewHasher(password.DefaultParams, password.WithObserver(bm.ObserveHash))
	if err != nil {
		return err
	}
	pool, err := rt.OpenDatabase(ctx, cfg.DB)
	if err != nil {
		return err
	}
	identity := usecase.New(usecase.Deps{
		Store:        store.New(pool),
		Hasher:       hasher,
		Access:       tokens.NewAccess(ks.Signer, cfg.Common.Auth.Issuer, cfg.Common.Auth.Audience, cfg.AccessTokenTTL),
		Sessions:     domain.SessionPolicy{TTL: cfg.RefreshTokenTTL, MaxLifetime: cfg.SessionMaxLifetime},
		RefreshGrace: cfg.RefreshGrace,
		Throttle:     cfg.SignIn.Policy(),
		Metrics:      bm,
		Logger:       rt.Logger,
		Now:          cfg.Now,
	})
	go sweep(ctx, rt.Logger, identity)

	svc := grpcapi.New(identity)
	serviceTokens := grpcapi.NewServiceTokens(usecase.NewServiceTokens(usecase.ServiceTokenDeps{
		Clients: clients, Signer: ks.Signer, Issuer: cfg.Common.Auth.Issuer, TTL: cfg.ServiceTokens.TTL,
		Registry: rt.Registry, Logger: rt.Logger,
	}))
	return rt.Serve(ctx, listeners.Options{
		GRPCServices: []string{identityv1.IdentityService_ServiceDesc.ServiceName, identityv1.ServiceTokenService_ServiceDesc.ServiceName},
		RegisterGRPC: func(s *grpc.Server) {
			identityv1.RegisterIdentityServiceServer(s, svc)
			identityv1.RegisterServiceTokenServiceServer(s, serviceTokens)
		},
		RegisterREST: func(ctx context.Context, mux *runtime.ServeMux, conn *grpc.ClientConn) error {
			return identityv1.RegisterIdentityServiceHandler(ctx, mux, conn)
		},
		CreatedMethods: []string{identityv1.IdentityService_SignUp_FullMethodName},
		HTTPRoutes:     map[string]http.Handler{"GET " + JWKSPath: ks.JWKSHandler()},
		Listening:      listening,
	})
}

// sweep deletes rows that no longer matter (usecase.Sweep) until ctx
// ends; every replica runs it.
func sweep(ctx context.Context, l *slog.Logger, identity *usecase.Identity) {
	periodic.Every(ctx, sweepInterval, false, func(ctx context.Context) {
		n, err := identity.Sweep(ctx)
		if n != (usecase.Swept{}) {
			l.InfoContext(ctx, "sweep deleted rows", "refresh_tokens", n.RefreshTokens, "successor_seals", n.SuccessorSeals,
				"signin_failures", n.SignInFailures)
		}
		if err != nil && ctx.Err() == nil {
			l.WarnContext(ctx, "sweep failed", "error", err)
		}
	})
}
