package usecase_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
	svctoken "github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

const (
	ordersSecret = "orders-secret-0123456789abcdefghijklmnop"
	cartSecret   = "cart-secret-0123456789abcdefghijklmnopqrs"
)

// issuer knows orders and cart and signs with a fresh key, whose public
// half it returns.
func issuer(t *testing.T) (*usecase.ServiceTokens, auth.StaticKeys) {
	t.Helper()
	signer := authtest.NewSigner(t)
	public, err := signer.PublicJWK().PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	clients, err := usecase.ParseServiceClients("orders=" + usecase.HashServiceSecret(ordersSecret) + ",cart=" + usecase.HashServiceSecret(cartSecret))
	if err != nil {
		t.Fatal(err)
	}
	return usecase.NewServiceTokens(usecase.ServiceTokenDeps{Clients: clients, Signer: signer, Issuer: "shipshape-identity", TTL: 10 * time.Minute}),
		auth.StaticKeys{signer.KeyID(): public}
}

func TestIssueSignsATokenForTheClient(t *testing.T) {
	iss, keys := issuer(t)
	before := time.Now().Truncate(time.Second)
	tok, err := iss.Issue(context.Background(), "orders", ordersSecret)
	if err != nil || tok.ExpiresIn != 10*time.Minute {
		t.Fatalf("issue = %+v, %v", tok, err)
	}
	var c svctoken.Claims
	if _, err := jwt.NewParser().ParseWithClaims(tok.Value, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return keys.PublicKey(context.Background(), kid)
	}); err != nil {
		t.Fatal(err)
	}
	if c.Service != "orders" || c.Subject != "service:orders" || c.Issuer != "shipshape-identity" ||
		len(c.Audience) != 1 || c.Audience[0] != svctoken.Audience || c.ID == "" ||
		c.IssuedAt.Before(before) || c.ExpiresAt.Sub(c.IssuedAt.Time) != 10*time.Minute {
		t.Fatalf("claims %+v", c)
	}
	// Service verifiers accept it as orders; user verifiers refuse it.
	if caller, err := svctoken.NewVerifier("shipshape-identity", keys).Verify(context.Background(), tok.Value); err != nil || caller.Service != "orders" {
		t.Fatalf("service verifier: %+v, %v", caller, err)
	}
	if _, err := auth.NewVerifier("shipshape-identity", "shipshape", keys).Authenticate(context.Background(), tok.Value); !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("user verifier accepted a service token: %v", err)
	}
}

// A wrong secret, another client's secret and an unknown client all get
// the one answer.
func TestIssueRefusesWrongCredentials(t *testing.T) {
	iss, _ := issuer(t)
	for name, creds := range map[string][2]string{
		"wrong secret":           {"orders", ordersSecret + "x"},
		"another's secret":       {"orders", cartSecret},
		"unknown client":         {"payments", ordersSecret},
		"unknown, empty-looking": {"ghost", strings.Repeat("0", 64)},
	} {
		_, err := iss.Issue(context.Background(), creds[0], creds[1])
		e := apperr.As(err)
		if e.Kind != apperr.KindUnauthenticated || e.Message != "invalid client credentials" || len(e.Fields) != 0 {
			t.Errorf("%s: got %v, want Unauthenticated \"invalid client credentials\"", name, err)
		}
	}
}

func TestIssueValidatesInput(t *testing.T) {
	iss, _ := issuer(t)
	for _, tc := range []struct{ id, secret, field string }{
		{"", ordersSecret, "clientId"},
		{"Orders", ordersSecret, "clientId"},
		{"orders", "", "clientSecret"},
		{"orders", strings.Repeat("s", 1025), "clientSecret"},
	} {
		_, err := iss.Issue(context.Background(), tc.id, tc.secret)
		if e := apperr.As(err); e.Kind != apperr.KindInvalidArgument || e.Fields[0].Field != tc.field {
			t.Errorf("%q/%d chars: got %v, want InvalidArgument on %s", tc.id, len(tc.secret), err, tc.field)
		}
	}
}
