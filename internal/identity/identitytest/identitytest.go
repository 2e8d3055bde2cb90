// Package identitytest gives identity's tests signing key files and a
// clock they move by hand.
package identitytest

import (
	"crypto/ecdsa"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

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
