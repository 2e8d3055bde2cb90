package servicetoken_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func loadClient(env map[string]string) (servicetoken.ClientConfig, error) {
	var c servicetoken.ClientConfig
	err := config.LoadFrom(config.FromMap(env), &c)
	return c, err
}

func TestClientConfigIsAllOrNothing(t *testing.T) {
	if c, err := loadClient(nil); err != nil || c.Enabled() {
		t.Fatalf("empty: %+v, %v; want a valid, disabled config", c, err)
	}
	if c, _ := loadClient(nil); c.Required() == nil || !strings.Contains(c.Required().Error(), "SERVICE_CLIENT_ID") {
		t.Fatalf("Required without settings: %v", c.Required())
	}
	_, err := loadClient(map[string]string{"SERVICE_CLIENT_ID": "orders"})
	for _, v := range []string{"IDENTITY_GRPC_TARGET", "SERVICE_CLIENT_SECRET_FILE"} {
		if err == nil || !strings.Contains(err.Error(), "config: "+v+":") {
			t.Errorf("only a client id: %v, want an error naming %s", err, v)
		}
	}
	_, err = loadClient(map[string]string{"SERVICE_CLIENT_ID": "Orders", "IDENTITY_GRPC_TARGET": "x:1", "SERVICE_CLIENT_SECRET_FILE": "/s"})
	if err == nil || !strings.Contains(err.Error(), "config: SERVICE_CLIENT_ID:") {
		t.Fatalf("bad client id: %v", err)
	}
}

func TestNewClientChecksTheSecretFile(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short")
	if err := os.WriteFile(short, []byte("tooshort\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{filepath.Join(dir, "missing"): "no such file", short: "at least 32 characters"} {
		_, err := servicetoken.NewClient(servicetoken.ClientConfig{IdentityTarget: "127.0.0.1:1", ClientID: "orders", SecretFile: file})
		if err == nil || !strings.Contains(err.Error(), "config: SERVICE_CLIENT_SECRET_FILE:") || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error naming the variable and %q", file, err, want)
		}
	}
}

// The whole exchange against a real identity: the token a client obtains
// verifies against identity's JWKS as its own service, and is cached; a
// wrong secret gets no token.
func TestClientObtainsVerifiableTokensFromIdentity(t *testing.T) {
	identity := identitytest.Start(t, "orders")
	cfg, err := loadClient(identity.ClientEnv(t, "orders"))
	if err != nil {
		t.Fatal(err)
	}
	client, err := servicetoken.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	token, err := client.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	v := servicetoken.VerifierFor(auth.Config{JWKSURL: identity.Env()["JWKS_URL"], Issuer: "shipshape-identity", Audience: "shipshape"})
	if c, err := v.Verify(t.Context(), token); err != nil || c.Service != "orders" {
		t.Fatalf("verified %+v, %v", c, err)
	}
	if again, _ := client.Token(t.Context()); again != token {
		t.Fatal("a fresh token was fetched for the second call")
	}

	wrong := filepath.Join(t.TempDir(), "wrong")
	if err := os.WriteFile(wrong, []byte(strings.Repeat("x", 40)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.SecretFile = wrong
	impostor, err := servicetoken.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer impostor.Close()
	_, err = impostor.Token(t.Context())
	if status.Code(err) != codes.Unauthenticated || !strings.Contains(err.Error(), "invalid client credentials") {
		t.Fatalf("wrong secret: %v, want identity's Unauthenticated", err)
	}
}
