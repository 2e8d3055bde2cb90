package auth_test

import (
	"context"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

func TestRequireUser(t *testing.T) {
	if _, err := auth.RequireUser(context.Background()); !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("anonymous: got %v, want Unauthenticated", err)
	}
	if _, err := auth.RequireUser(auth.NewContext(context.Background(), auth.Principal{})); !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("no subject: got %v, want Unauthenticated", err)
	}
	want := auth.Principal{Subject: "u1", Roles: []string{auth.RoleCustomer}}
	p, err := auth.RequireUser(auth.NewContext(context.Background(), want))
	if err != nil || p.Subject != "u1" || !p.HasRole(auth.RoleCustomer) {
		t.Fatalf("got %+v, %v", p, err)
	}
}

func TestCheckOwner(t *testing.T) {
	alice := auth.Principal{Subject: "alice", Roles: []string{auth.RoleCustomer}}
	if err := auth.CheckOwner(alice, "alice", "order", "o1"); err != nil {
		t.Fatalf("owner refused: %v", err)
	}
	admin := auth.Principal{Subject: "root", Roles: []string{auth.RoleAdmin}}
	for _, p := range []auth.Principal{admin, {Subject: "bob"}, {}} {
		err := auth.CheckOwner(p, "alice", "order", "o1")
		// Exactly what a missing order looks like, so nothing leaks.
		want := apperr.NotFound("order", "o1")
		if e := apperr.As(err); err == nil || e.Kind != want.Kind || e.Message != want.Message {
			t.Errorf("%+v: got %v, want %v", p, err, want)
		}
	}
	if err := auth.CheckOwner(auth.Principal{}, "", "cart", "c1"); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("empty subject matched an empty owner: %v", err)
	}
}
