// Package pg is the chassis' PostgreSQL access: a pgx pool from typed config,
// error classification into the shared error model, and embedded migrations.
package pg

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Config is the database part of a service's configuration.
type Config struct {
	URL             string        `env:"DATABASE_URL" required:"true"`
	MaxConns        int           `env:"DATABASE_MAX_CONNS" default:"10"`
	MinConns        int           `env:"DATABASE_MIN_CONNS" default:"0"`
	MaxConnLifetime time.Duration `env:"DATABASE_MAX_CONN_LIFETIME" default:"30m"`
	// ConnectTimeout bounds dialing, so a request fails fast (503) while the
	// database is down instead of hanging until its own deadline.
	ConnectTimeout time.Duration `env:"DATABASE_CONNECT_TIMEOUT" default:"2s"`
}

// maxConns bounds DATABASE_MAX_CONNS far above what one PostgreSQL
// serves (max_connections is in the hundreds) and inside pgx's int32.
const maxConns = 10000

// Open creates a pool. It does not wait for the database: a service starts,
// reports not-ready, and serves once the database answers.
func Open(ctx context.Context, cfg Config) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		// The parse error may echo the URL and its password: keep it out.
		return nil, fmt.Errorf("DATABASE_URL: cannot parse connection string")
	}
	// pgx counts connections in int32: a larger setting would wrap around.
	if cfg.MaxConns < 1 || cfg.MaxConns > maxConns {
		return nil, fmt.Errorf("DATABASE_MAX_CONNS: %d is outside 1..%d", cfg.MaxConns, maxConns)
	}
	if cfg.MinConns < 0 || cfg.MinConns > maxConns || cfg.MinConns > cfg.MaxConns {
		return nil, fmt.Errorf("DATABASE_MIN_CONNS: %d is outside 0..DATABASE_MAX_CONNS (%d)", cfg.MinConns, cfg.MaxConns)
	}
	pc.MaxConns = int32(cfg.MaxConns)
	pc.MinConns = int32(cfg.MinConns)
	pc.MaxConnLifetime = cfg.MaxConnLifetime
	pc.ConnConfig.ConnectTimeout = cfg.ConnectTimeout
	// SQL spans, children of the request's span (a no-op with tracing off).
	pc.ConnConfig.Tracer = tracerFor(&pc.ConnConfig.Config)
	return pgxpool.NewWithConfig(ctx, pc)
}

// Ping is a readiness check for the pool.
func Ping(pool *pgxpool.Pool) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := pool.Ping(ctx); err != nil {
			return fmt.Errorf("database: %w", err)
		}
		return nil
	}
}
