package standin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

// Notice is logged at start, so nobody mistakes the stand-in for KrakenD.
const Notice = "development stand-in for the KrakenD gateway, not a gateway: no rate limits, no circuit breakers"

// Serve runs the stand-in on cfg.Addr until ctx ends, then stops accepting
// and lets in-flight requests finish within cfg.ShutdownTimeout. listening,
// if set, gets the bound address once requests are accepted.
func Serve(ctx context.Context, api routes.API, cfg Config, logger *slog.Logger, listening func(addr string)) error {
	h, err := New(Options{API: api, Backends: cfg.Backends(), Auth: cfg.Auth.Authenticator(),
		Timeout: cfg.BackendTimeout, Logger: logger, TrustedProxies: cfg.Trusted()})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("standin: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	logger.Info(Notice, "addr", l.Addr().String(), "routes", len(api.Routes), "identity", cfg.IdentityURL,
		"catalog", cfg.CatalogURL, "cart", cfg.CartURL, "orders", cfg.OrdersURL, "jwks", cfg.Auth.JWKSURL, "trusted_proxies", cfg.TrustedProxies)
	if listening != nil {
		listening(l.Addr().String())
	}
	select {
	case err := <-served:
		return fmt.Errorf("standin: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	deadline, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(deadline)
	if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	if err != nil {
		return fmt.Errorf("standin: shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}
