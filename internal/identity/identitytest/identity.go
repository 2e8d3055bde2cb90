package identitytest

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/identity/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	svctoken "github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// migrated is identity's schema, cloned per Start (one per test binary;
// the binary's TestMain must run pgtest.Main). Its own name, so a package
// with a template of identity's schema too does not share (and remake) it.
var migrated = pgtest.Migrated("identitytest", migrations.FS)

// Identity is a real identity service running in-process for the tests of
// the services that trust it: they verify its tokens through its JWKS, and
// the registered service clients obtain service tokens from it as in a
// deployment.
type Identity struct {
	*stacktest.Service
	// Signer holds identity's signing key, to mint users' access tokens
	// without signing each user up and in.
	Signer *auth.Signer
	// DatabaseURL is identity's own database (e.g. for grant-admin).
	DatabaseURL string
	secrets     map[string]string // client -> secret file
}

// Start runs identity with a fresh database and key, registering clients
// (e.g. "orders", "cart") with random secrets; it stops when the test ends.
func Start(t testing.TB, clients ...string) *Identity {
	t.Helper()
	keyFile, key := KeyFile(t)
	signer, err := auth.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	id := &Identity{Signer: signer, DatabaseURL: migrated.NewDatabase(t), secrets: map[string]string{}}
	var registered strings.Builder
	for _, c := range clients {
		secret := rand.Text() + rand.Text() // 52 base32 characters
		id.secrets[c] = filepath.Join(dir, c+"-secret")
		write(t, id.secrets[c], secret+"\n")
		registered.WriteString(c + "=" + usecase.HashServiceSecret(secret) + "\n")
	}
	clientsFile := filepath.Join(dir, "service-clients")
	write(t, clientsFile, registered.String())
	env := stacktest.Env(id.DatabaseURL, map[string]string{"JWT_SIGNING_KEY_FILE": keyFile, "SERVICE_CLIENTS_FILE": clientsFile})
	id.Service = stacktest.Run(t, "identity", func(ctx context.Context, l func(listeners.Addrs)) error {
		return app.Serve(ctx, stacktest.Load[app.Config](t, env), l)
	})
	return id
}

func write(t testing.TB, file, content string) {
	t.Helper()
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Env is the configuration that makes a service trust identity's tokens.
func (i *Identity) Env() map[string]string {
	return map[string]string{"JWKS_URL": i.REST + app.JWKSPath}
}

// ClientEnv is the configuration that makes a service obtain client's
// service token from identity.
func (i *Identity) ClientEnv(t testing.TB, client string) map[string]string {
	t.Helper()
	file, ok := i.secrets[client]
	if !ok {
		t.Fatalf("identitytest: client %s was not registered at Start", client)
	}
	return map[string]string{"IDENTITY_GRPC_TARGET": i.Addrs.GRPC, "SERVICE_CLIENT_ID": client, "SERVICE_CLIENT_SECRET_FILE": file}
}

// ServiceToken obtains client's service token from identity, exactly as
// the service configured with ClientEnv does.
func (i *Identity) ServiceToken(t testing.TB, client string) string {
	t.Helper()
	c, err := svctoken.NewClient(stacktest.Load[svctoken.ClientConfig](t, i.ClientEnv(t, client)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	token, err := c.Token(t.Context())
	if err != nil {
		t.Fatalf("identitytest: service token of %s: %v", client, err)
	}
	return token
}

// Token returns an access token for subject with roles, signed with
// identity's key as sign-in would.
func (i *Identity) Token(t testing.TB, subject string, roles ...string) string {
	t.Helper()
	now := time.Now()
	tok, err := i.Signer.Sign(auth.Claims{RegisteredClaims: jwt.RegisteredClaims{
		Issuer: "shipshape-identity", Audience: jwt.ClaimStrings{"shipshape"}, Subject: subject, ID: uuid.NewString(),
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(15 * time.Minute)),
	}, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
