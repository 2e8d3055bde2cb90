package devstack

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

func signingKeyPath(dataDir string) string {
	return filepath.Join(dataDir, "identity", "jwt-signing-key.pem")
}

// ensureSigningKey creates the development JWT signing key on first run and
// keeps it afterwards, so tokens survive restarts of `make run`. Deployed
// environments mount their keys from a Secret instead.
func ensureSigningKey(dataDir string) error {
	path := signingKeyPath(dataDir)
	if _, err := os.Stat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	pem, err := auth.GenerateKeyPEM()
	if err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	// The data directory itself must stay enterable by the postgres user;
	// only the key's own directory is private.
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, pem, 0o600)
}
