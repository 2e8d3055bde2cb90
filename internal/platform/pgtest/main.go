// Package pgtest gives a package's tests one real PostgreSQL server and
// cheap, isolated databases on it.
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
package pgtest

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/pglocal"
)

var shared *pglocal.Server

// Main starts the package's server, runs the tests and always stops the
// server and removes its directory: on return, on a panic in m.Run, and on
// SIGINT/SIGTERM. A test that panics kills the process without running
// deferred code; then the kernel stops postgres (pglocal sets a parent-death
// signal) and the next Main removes the directory (see reapStale).
func Main(m *testing.M) int {
	// Missing binaries must fail loudly: silently skipped database tests
	// would look like passing ones.
	if _, err := pglocal.FindBinDir(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	reapStale()
	e, err := startEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	var once sync.Once
	cleanup := func() { once.Do(e.close) }
	defer cleanup()

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case sig := <-sigs:
			fmt.Fprintf(os.Stderr, "pgtest: %v: stopping PostgreSQL\n", sig)
			cleanup()
			os.Exit(1)
		case <-finished:
		}
	}()

	shared = e.srv
	return m.Run()
}

// Server returns the package's shared server, e.g. for tests that stop and
// restart it. Only valid in tests whose TestMain uses Main.
func Server() *pglocal.Server {
	if shared == nil {
		panic("pgtest: no server; call pgtest.Main from TestMain")
	}
	return shared
}

// env is one Main's server and the directory holding it.
type env struct {
	dir string
	srv *pglocal.Server
}

func startEnv() (*env, error) {
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, err
	}
	e := &env{dir: dir}
	// When we are root the server runs as user postgres, which must be able
	// to enter this directory to reach the data directory inside; 0711 lets
	// it do so without listing.
	if err := os.Chmod(dir, 0o711); err != nil {
		e.close()
		return nil, err
	}
	if err := writeOwner(dir); err != nil {
		e.close()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A free port can be taken by someone else before postgres binds it;
	// retry with another (initdb is not repeated).
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			e.close()
			return nil, err
		}
		e.srv, err = pglocal.Start(ctx, pglocal.Options{DataDir: dir + "/data", Port: port})
		if err == nil {
			return e, nil
		}
		if attempt == 3 {
			e.close()
			return nil, err
		}
	}
}

func (e *env) close() {
	if e.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := e.srv.Stop(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	if err := os.RemoveAll(e.dir); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
	}
}
