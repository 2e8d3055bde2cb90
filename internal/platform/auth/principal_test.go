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
