package auth_test

import (
	"context"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

func TestRequireRoleWithoutPrincipal(t *testing.T) {
	_, err := auth.RequireRole(context.Background(), auth.RoleAdmin)
	if !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("got %v, want Unauthenticated", err)
	}
}

func TestRequireRoleWrongRole(t *testing.T) {
	ctx := auth.NewContext(context.Background(), auth.Principal{Subject: "alice", Roles: []string{auth.RoleCustomer}})
	_, err := auth.RequireRole(ctx, auth.RoleAdmin)
	if !apperr.Is(err, apperr.KindPermissionDenied) {
		t.Fatalf("got %v, want PermissionDenied", err)
	}
}

func TestRequireRoleRightRole(t *testing.T) {
	want := auth.Principal{Subject: "ops", Roles: []string{auth.RoleCustomer, auth.RoleAdmin}}
	p, err := auth.RequireRole(auth.NewContext(context.Background(), want), auth.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "ops" || !p.HasRole(auth.RoleAdmin) {
		t.Fatalf("got %+v", p)
	}
}

func TestStaticTokenEmptyRefusesEverything(t *testing.T) {
	s := auth.StaticToken{Principal: auth.Principal{Subject: "ops"}}
	for _, tok := range []string{"", "anything"} {
		if _, err := s.Authenticate(context.Background(), tok); !apperr.Is(err, apperr.KindUnauthenticated) {
			t.Errorf("token %q: got %v, want Unauthenticated", tok, err)
		}
	}
}

func TestStaticToken(t *testing.T) {
	s := auth.StaticToken{Token: "s3cret", Principal: auth.Principal{Subject: "ops", Roles: []string{auth.RoleAdmin}}}
	for _, tok := range []string{"wrong", "s3cre", "s3cret2", ""} {
		if _, err := s.Authenticate(context.Background(), tok); !apperr.Is(err, apperr.KindUnauthenticated) {
			t.Errorf("token %q: got %v, want Unauthenticated", tok, err)
		}
	}
	p, err := s.Authenticate(context.Background(), "s3cret")
	if err != nil || p.Subject != "ops" || !p.HasRole(auth.RoleAdmin) {
		t.Fatalf("got %+v, %v", p, err)
	}
}
