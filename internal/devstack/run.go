package devstack

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/shipshape-dev/shipshape/internal/pglocal"
)

// Config is one devstack run.
type Config struct {
	BinDir   string // service binaries, <BinDir>/<Name>
	DataDir  string // local state; PostgreSQL lives in <DataDir>/postgres
	PGPort   int
	LogLevel string // LOG_LEVEL for the services
	Services []Service
	// Gateway also serves the public API on GatewayPort once the services
	// are ready, with GatewayKind (one of GatewayKinds; empty is
	// GatewayEngine, shipshape's KrakenD-compatible gateway).
	Gateway     bool
	GatewayKind string
	// Web, when set, also serves the storefront after the public API.
	Web   *Web
	Out   io.Writer
	Color bool
	// ReadyTimeout bounds the wait for every /readyz (default 60s);
	// StopTimeout the wait for services to exit after SIGTERM (default 30s).
	ReadyTimeout time.Duration
	StopTimeout  time.Duration

	// Made by Run: this run's service client secrets (writeServiceSecrets).
	serviceSecrets     map[string]string
	serviceClientsFile string
}

// pgStopTimeout bounds PostgreSQL's fast shutdown before it is killed.
const pgStopTimeout = 60 * time.Second

func (c Config) withDefaults() Config {
	if c.Out == nil {
		c.Out = os.Stdout
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	if c.ReadyTimeout == 0 {
		c.ReadyTimeout = 60 * time.Second
	}
	if c.StopTimeout == 0 {
		c.StopTimeout = 30 * time.Second
	}
	return c
}

// Run starts PostgreSQL, prepares each service's database (create, migrate,
// seed), serves all services until ctx is cancelled, then stops services
// before PostgreSQL. Cancellation is a clean exit (nil); a service exiting
// on its own is an error naming it.
func Run(ctx context.Context, cfg Config) error {
	cfg = cfg.withDefaults()
	if err := Validate(cfg.Services, cfg.PGPort); err != nil {
		return err
	}
	paths, err := binaries(cfg.BinDir, cfg.Services)
	if err != nil {
		return err
	}
	if cfg.Gateway {
		if err := checkGateway(cfg); err != nil {
			return err
		}
	}
	if cfg.Web != nil {
		if _, _, err := cfg.Web.check(); err != nil {
			return err
		}
	}
	names := []string{"devstack", "postgres"}
	for _, s := range cfg.Services {
		names = append(names, s.Name)
	}
	if cfg.Gateway {
		names = append(names, "gateway")
	}
	if cfg.Web != nil {
		names = append(names, "web")
	}
	out := NewOutput(cfg.Out, cfg.Color, names...)

	if err := ensureSigningKey(cfg.DataDir); err != nil {
		return err
	}
	secretsDir, err := os.MkdirTemp("", "shipshape-devstack-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(secretsDir)
	if cfg.serviceSecrets, cfg.serviceClientsFile, err = writeServiceSecrets(secretsDir, cfg.Services); err != nil {
		return fmt.Errorf("service client secrets: %w", err)
	}
	pg, err := pglocal.Start(ctx, pglocal.Options{
		DataDir: filepath.Join(cfg.DataDir, "postgres"),
		Port:    cfg.PGPort,
		Durable: true, // developers keep their local data across runs
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("start PostgreSQL on port %d (another server there? use -pg-port): %w", cfg.PGPort, err)
	}
	out.Printf("postgres", "listening on 127.0.0.1:%d; log: %s", pg.Port(), pg.LogPath())
	defer func() {
		// PostgreSQL's shutdown checkpoint gets its own generous deadline:
		// StopTimeout is about services and may be short in tests.
		stopCtx, cancel := context.WithTimeout(context.Background(), pgStopTimeout)
		defer cancel()
		if err := pg.Stop(stopCtx); err != nil {
			out.Printf("postgres", "%v", err)
		}
		out.Printf("postgres", "stopped")
	}()

	if err := prepareDatabases(ctx, cfg, pg, paths, out); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	return supervise(ctx, cfg, pg, paths, out)
}

func binaries(binDir string, services []Service) (map[string]string, error) {
	paths := map[string]string{}
	for _, s := range services {
		p, err := filepath.Abs(filepath.Join(binDir, s.Name))
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("service binary %s missing; build the services first (make build): %w", p, err)
		}
		paths[s.Name] = p
	}
	return paths, nil
}

func prepareDatabases(ctx context.Context, cfg Config, pg *pglocal.Server, paths map[string]string, out *Output) error {
	for _, s := range cfg.Services {
		if err := pg.CreateDatabase(ctx, s.Name, s.Name, s.Password()); err != nil {
			return fmt.Errorf("database for %s: %w", s.Name, err)
		}
		env := s.Env(os.Environ(), cfg.local(pg))
		steps := []string{"migrate"}
		if s.Seed {
			steps = append(steps, "seed")
		}
		for _, step := range steps {
			if err := runStep(ctx, s.Name, paths[s.Name], []string{step}, env, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// supervise runs every `serve` until ctx ends or one of them exits; once
// all are ready it starts the later stages (gateway, storefront) one by one.
func supervise(ctx context.Context, cfg Config, pg *pglocal.Server, paths map[string]string, out *Output) error {
	stages := cfg.stages(out)
	exits := make(chan *child, len(cfg.Services)+len(stages))
	var children []*child
	defer func() {
		out.Printf("devstack", "stopping services")
		stopAll(children, cfg.StopTimeout, out)
	}()
	for _, s := range cfg.Services {
		env := s.Env(os.Environ(), cfg.local(pg))
		c, err := startChild(s.Name, paths[s.Name], []string{"serve"}, env, out, exits)
		if err != nil {
			return err
		}
		children = append(children, c)
	}

	ready := make(chan error, 1)
	readyCtx, cancelReady := context.WithCancel(ctx)
	defer cancelReady()
	go func() { ready <- waitReady(readyCtx, cfg.Services, cfg.ReadyTimeout, out) }()
	var later []string // what the stages serve, printed under the table

	for {
		select {
		case <-ctx.Done():
			return nil
		case c := <-exits:
			return fmt.Errorf("service %s exited on its own (%s); stopped everything", c.name, exitStatus(c.err))
		case err := <-ready:
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			if len(stages) > 0 {
				p, err := stages[0](ctx)
				if err != nil {
					return err
				}
				stages = stages[1:]
				c, err := startChild(p.name, p.path, p.args, p.env, out, exits)
				if err != nil {
					return err
				}
				children, later = append(children, c), append(later, p.describe)
				go func() { ready <- waitURL(readyCtx, p.name, p.readyURL, cfg.ReadyTimeout, out) }()
				continue
			}
			out.Printf("devstack", "all services ready (Ctrl-C stops everything)")
			table := urlTable(cfg.Services, pg.URL("postgres"), pg.LogPath())
			for _, line := range later {
				table = append(table, line+"\n"...)
			}
			out.Block(table)
		}
	}
}

func exitStatus(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// local describes the running system to the services' environments.
func (c Config) local(pg *pglocal.Server) Local {
	return Local{PGPort: pg.Port(), LogLevel: c.LogLevel, SigningKeyFile: signingKeyPath(c.DataDir),
		ServiceSecrets: c.serviceSecrets, ServiceClientsFile: c.serviceClientsFile, Services: c.Services}
}
