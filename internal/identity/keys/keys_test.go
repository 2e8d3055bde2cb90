package keys_test

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/keys"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newKey(t *testing.T) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	p, err := auth.GenerateKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	k, err := auth.ParseKeyPEM(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, k
}

func publicPEM(t *testing.T, k *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func TestLoadActiveAndPrevious(t *testing.T) {
	activePEM, active := newKey(t)
	prevPEM, prev := newKey(t)
	_, retired := newKey(t)
	activeFile := write(t, "active.pem", activePEM)
	set, err := keys.Load(activeFile, []string{
		write(t, "prev.pem", prevPEM),                  // the former active key file
		write(t, "retired.pub", publicPEM(t, retired)), // only its public half
		activeFile, // listed twice during a rotation: ignored
	})
	if err != nil {
		t.Fatal(err)
	}
	if set.Signer.KeyID() != mustJWK(t, &active.PublicKey).Kid {
		t.Fatal("the signer is not the active key")
	}
	if len(set.Verification) != 3 {
		t.Fatalf("verification keys %d, want 3", len(set.Verification))
	}
	for _, k := range []*ecdsa.PrivateKey{active, prev, retired} {
		if !set.Verification[mustJWK(t, &k.PublicKey).Kid].Equal(&k.PublicKey) {
			t.Fatal("a key is missing from verification")
		}
	}

	rec := httptest.NewRecorder()
	set.JWKSHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/.well-known/jwks.json", nil))
	if rec.Header().Get("Cache-Control") != "public, max-age=300" || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("headers %v", rec.Header())
	}
	published, err := auth.ParseJWKSet(rec.Body.Bytes())
	if err != nil || len(published) != 3 {
		t.Fatalf("published %d keys, %v", len(published), err)
	}
	if strings.Contains(rec.Body.String(), `"d"`) {
		t.Fatal("the JWKS leaks a private component")
	}
	if !strings.Contains(rec.Body.String(), `"kid":"`+set.Signer.KeyID()+`"`) {
		t.Fatal("active kid not published")
	}
}

func mustJWK(t *testing.T, pub *ecdsa.PublicKey) auth.JWK {
	t.Helper()
	j, err := auth.PublicJWK(pub)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	goodPEM, good := newKey(t)
	goodFile := write(t, "good.pem", goodPEM)
	cases := []struct {
		name, active string
		previous     []string
		variable     string
	}{
		{"missing active", filepath.Join(t.TempDir(), "nope.pem"), nil, "JWT_SIGNING_KEY_FILE"},
		{"garbage active", write(t, "g.pem", []byte("garbage")), nil, "JWT_SIGNING_KEY_FILE"},
		{"public key as active", write(t, "p.pem", publicPEM(t, good)), nil, "JWT_SIGNING_KEY_FILE"},
		{"missing previous", goodFile, []string{filepath.Join(t.TempDir(), "nope.pem")}, "JWT_PREVIOUS_KEY_FILES"},
		{"garbage previous", goodFile, []string{write(t, "g2.pem", []byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))}, "JWT_PREVIOUS_KEY_FILES"},
		{"certificate previous", goodFile, []string{write(t, "c.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}))}, "JWT_PREVIOUS_KEY_FILES"},
	}
	for _, tc := range cases {
		if _, err := keys.Load(tc.active, tc.previous); err == nil || !strings.Contains(err.Error(), tc.variable) {
			t.Errorf("%s: got %v, want an error naming %s", tc.name, err, tc.variable)
		}
	}
}
