package standin

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
)

func TestUserRoutesNeedAValidToken(t *testing.T) {
	s := start(t, nil)
	expired := s.issuer.Sign(t, auth.Claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: authtest.DefaultIssuer,
		Audience: jwt.ClaimStrings{authtest.DefaultAudience}, Subject: "user-1",
		IssuedAt: jwt.NewNumericDate(time.Now().Add(-2 * time.Hour)), ExpiresAt: jwt.NewNumericDate(time.Now().Add(-time.Hour))}})
	for name, header := range map[string]string{
		"no token": "", "not bearer": "Basic dXNlcjpwYXNz", "empty bearer": "Bearer ",
		"garbage": "Bearer not-a-jwt", "expired": "Bearer " + expired,
	} {
		res := s.do(t, "GET", "/api/v1/cart", "", "Authorization", header)
		if body := res.errorBody(t); res.Status != 401 || body["code"] != "UNAUTHENTICATED" {
			t.Errorf("%s: %d %v", name, res.Status, body)
		}
	}
	if got := s.backend.requests(); len(got) != 0 {
		t.Fatalf("refused requests reached the backend: %v", got)
	}
	if res := s.do(t, "GET", "/api/v1/cart", "", "Authorization", s.customer(t)); res.Status != 200 {
		t.Fatalf("a valid token: %d %s", res.Status, res.Body)
	}
	if got := s.backend.last(t); got.Header.Get("Authorization") == "" {
		t.Fatal("the token did not reach the service, which verifies it again")
	}
}

func TestAdminRoutesNeedTheAdminRole(t *testing.T) {
	s := start(t, nil)
	res := s.do(t, "PATCH", "/api/v1/admin/orders/o-1", `{"status":"ORDER_STATUS_SHIPPED"}`, "Authorization", s.customer(t))
	if body := res.errorBody(t); res.Status != 403 || body["code"] != "PERMISSION_DENIED" {
		t.Fatalf("customer: %d %v", res.Status, body)
	}
	if res := s.do(t, "PATCH", "/api/v1/admin/orders/o-1", `{}`); res.Status != 401 {
		t.Fatalf("anonymous: %d %s", res.Status, res.Body)
	}
	if res := s.do(t, "PATCH", "/api/v1/admin/orders/o-1", `{}`, "Authorization", s.admin(t)); res.Status != 200 {
		t.Fatalf("admin: %d %s", res.Status, res.Body)
	}
	if got := s.backend.last(t); got.Method != "PATCH" || got.Path != "/v1/admin/orders/o-1" {
		t.Fatalf("backend got %s %s", got.Method, got.Path)
	}
}

// Sign-out and refresh are public: an expired or odd Authorization header
// goes through untouched, for identity to judge.
func TestPublicRoutesPassAnyAuthorizationUnverified(t *testing.T) {
	s := start(t, nil)
	res := s.do(t, "POST", "/api/v1/auth/signout", `{"refreshToken":"r"}`, "Authorization", "Bearer not-a-jwt")
	if res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	if got := s.backend.last(t); got.Header.Get("Authorization") != "Bearer not-a-jwt" {
		t.Fatalf("Authorization: %q", got.Header.Get("Authorization"))
	}
}

type keysDown struct{}

func (keysDown) Authenticate(context.Context, string) (auth.Principal, error) {
	return auth.Principal{}, apperr.Unavailable(errors.New("jwks: connection refused"))
}

func TestUnreachableKeysAreUnavailableNotUnauthenticated(t *testing.T) {
	s := start(t, func(o *Options) { o.Auth = keysDown{} })
	res := s.do(t, "GET", "/api/v1/me", "", "Authorization", "Bearer x")
	if body := res.errorBody(t); res.Status != 503 || body["code"] != "UNAVAILABLE" {
		t.Fatalf("%d %v", res.Status, body)
	}
}
