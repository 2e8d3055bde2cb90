// Package identitytest gives identity's tests a migrated database and
// signing key files.
package identitytest

import (
	"context"
	"crypto/ecdsa"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// Migrated returns a template whose clones hold identity's schema. Keep one
// per test package, in a package-level variable.
func Migrated() *pgtest.Template {
	return &pgtest.Template{Name: "identity_migrated", Prepare: func(ctx context.Context, url string) error {
		_, err := pg.Migrate(ctx, url, migrations.FS)
		return err
	}}
}

// KeyFile writes a new P-256 private key as PEM into a temporary file and
// returns its path and the key.
func KeyFile(t testing.TB) (string, *ecdsa.PrivateKey) {
	t.Helper()
	data, err := auth.GenerateKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	key, err := auth.ParseKeyPEM(data)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "signing-key.pem")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, key
}
