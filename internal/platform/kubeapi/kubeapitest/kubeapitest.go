// Package kubeapitest serves a test's handler as the API server a
// kubeapi.Client reaches from a pod: over TLS, its certificate in a CA
// file and a service account token in another.
package kubeapitest

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
)

// Token is the service account token the Config's file holds; a client
// sends it as "Bearer " + Token.
const Token = "test-token"

// Serve starts h over TLS until the test ends and returns the Config that
// reaches it.
func Serve(t testing.TB, h http.Handler) kubeapi.Config {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := kubeapi.Config{APIURL: srv.URL, TokenFile: filepath.Join(dir, "token"), CAFile: filepath.Join(dir, "ca.crt")}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(cfg.TokenFile, []byte(Token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg.CAFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}
