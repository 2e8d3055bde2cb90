package pglocal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// prepareDataDir creates the data directory with the ownership and mode
// postgres insists on, and checks the server user can reach it.
func prepareDataDir(dataDir string, r *runAs) error {
	// Parents get 0755 so the server user can traverse them; MkdirAll(0700)
	// on the whole path would lock it out.
	if err := os.MkdirAll(filepath.Dir(dataDir), 0o755); err != nil {
		return fmt.Errorf("pglocal: %w", err)
	}
	if err := os.Mkdir(dataDir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("pglocal: %w", err)
	}
	if err := os.Chmod(dataDir, 0o700); err != nil {
		return fmt.Errorf("pglocal: %w", err)
	}
	if err := r.chown(dataDir); err != nil {
		return err
	}
	return r.checkTraversable(dataDir)
}

func isInitialized(dataDir string) bool {
	_, err := os.Stat(filepath.Join(dataDir, "PG_VERSION"))
	return err == nil
}

// initdb creates the cluster. Trust authentication is acceptable only
// because the server listens on loopback and is for development and tests;
// it lets every local client connect without secrets.
func initdb(ctx context.Context, o Options, r *runAs) error {
	logf, err := openLog(o.LogPath, r)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.CommandContext(ctx, filepath.Join(o.BinDir, "initdb"),
		"-D", o.DataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync")
	cmd.Dir = o.DataDir
	cmd.Env = serverEnv()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = r.sysProcAttr()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pglocal: initdb %s: %w\n%s", o.DataDir, err, logTail(o.LogPath))
	}
	return nil
}

// openLog opens the log for appending, owned by the server user so that a
// later manual start as that user can still write it.
func openLog(path string, r *runAs) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("pglocal: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("pglocal: open log: %w", err)
	}
	if err := r.chown(path); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// serverEnv pins the locale so initdb does not depend on the caller's
// LANG/LC_* (C.UTF-8 exists on every glibc system).
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !hasLocalePrefix(kv) {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C.UTF-8")
}

func hasLocalePrefix(kv string) bool {
	return strings.HasPrefix(kv, "LANG=") || strings.HasPrefix(kv, "LANGUAGE=") || strings.HasPrefix(kv, "LC_")
}
