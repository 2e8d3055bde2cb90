package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	svctoken "github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

const ordersSecret = "a-long-random-secret-for-the-orders-service"

// clientsFile registers orders with ordersSecret.
func clientsFile(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "service-clients")
	if err := os.WriteFile(file, []byte("orders="+usecase.HashServiceSecret(ordersSecret)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestServiceTokenExchangeOverGRPC(t *testing.T) {
	keyFile, key := identitytest.KeyFile(t)
	id := startIdentity(t, options{keyFile: keyFile, env: map[string]string{"SERVICE_CLIENTS_FILE": clientsFile(t), "SERVICE_TOKEN_TTL": "5m"}})
	c := identityv1.NewServiceTokenServiceClient(id.conn)

	resp, err := c.IssueServiceToken(t.Context(), &identityv1.IssueServiceTokenRequest{ClientId: "orders", ClientSecret: ordersSecret})
	if err != nil || resp.GetExpiresIn() != 300 || resp.GetTokenType() != "Bearer" {
		t.Fatalf("issue: %v, %v", resp, err)
	}
	signer, _ := auth.NewSigner(key)
	v := svctoken.NewVerifier("shipshape-identity", auth.StaticKeys{signer.KeyID(): &key.PublicKey})
	if caller, err := v.Verify(t.Context(), resp.GetAccessToken()); err != nil || caller.Service != "orders" {
		t.Fatalf("token: %+v, %v", caller, err)
	}

	for name, req := range map[string]*identityv1.IssueServiceTokenRequest{
		"wrong secret":   {ClientId: "orders", ClientSecret: ordersSecret + "!"},
		"unknown client": {ClientId: "cart", ClientSecret: ordersSecret},
	} {
		if _, err := c.IssueServiceToken(t.Context(), req); status.Code(err) != codes.Unauthenticated {
			t.Errorf("%s: got %v, want Unauthenticated", name, err)
		}
	}
	_, err = c.IssueServiceToken(t.Context(), &identityv1.IssueServiceTokenRequest{ClientId: "orders"})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("no secret: %v, want InvalidArgument", err)
	}
	for series, want := range map[string]float64{
		`identity_service_tokens_total{client="orders",outcome="issued"}`:  1,
		`identity_service_tokens_total{client="orders",outcome="refused"}`: 1,
		// An unknown id never becomes a label of its own.
		`identity_service_tokens_total{client="unknown",outcome="refused"}`: 1,
		`identity_service_tokens_total{client="orders",outcome="invalid"}`:  1,
	} {
		if got := id.metric(t, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
}

// The exchange is for services inside the cluster: no HTTP rule, so the
// REST facade (and so the gateway) has no route to it, and its OpenAPI
// document has no paths for the gateway checks to publish.
func TestServiceTokenExchangeIsNotOnTheRESTFacade(t *testing.T) {
	id := startIdentity(t, options{env: map[string]string{"SERVICE_CLIENTS_FILE": clientsFile(t)}})
	body := `{"clientId":"orders","clientSecret":"` + ordersSecret + `"}`
	for _, path := range []string{"/identity.v1.ServiceTokenService/IssueServiceToken", "/v1/service-tokens", "/v1/auth/service-token"} {
		if code, _ := stacktest.Call(t, "POST", id.rest+path, body, nil); code != 404 {
			t.Errorf("POST %s: %d, want 404", path, code)
		}
	}
	api := filepath.Join("..", "..", "..", "api", "identity", "v1") // from the package's directory
	rules, err := os.ReadFile(filepath.Join(api, "identity.http.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(rules), "ServiceTokenService") {
		t.Fatal("identity.http.yaml gives the service-token exchange an HTTP rule")
	}
	raw, err := os.ReadFile(filepath.Join(api, "service_token.swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Paths map[string]any }
	if err := json.Unmarshal(raw, &doc); err != nil || len(doc.Paths) != 0 {
		t.Fatalf("service_token.swagger.json paths %v (%v), want none", doc.Paths, err)
	}
}

func TestServeRefusesABadClientsFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "clients")
	if err := os.WriteFile(file, []byte("orders=not-a-hash\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keyFile, _ := identitytest.KeyFile(t)
	// Refused before the database is opened.
	cfg := stacktest.Load[app.Config](t, testEnv(options{dbURL: "postgres://x@127.0.0.1:1/x", keyFile: keyFile,
		env: map[string]string{"SERVICE_CLIENTS_FILE": file}}))
	err := app.Serve(t.Context(), cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "config: SERVICE_CLIENTS_FILE:") {
		t.Fatalf("got %v, want an error naming SERVICE_CLIENTS_FILE", err)
	}
}
