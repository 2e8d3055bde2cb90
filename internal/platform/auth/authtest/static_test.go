package authtest_test

import (
	"context"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
)

func TestStaticTokenEmptyRefusesEverything(t *testing.T) {
	s := authtest.StaticToken{Principal: auth.Principal{Subject: "ops"}}
	for _, tok := range []string{"", "anything"} {
		if _, err := s.Authenticate(context.Background(), tok); !apperr.Is(err, apperr.KindUnauthenticated) {
			t.Errorf("token %q: got %v, want Unauthenticated", tok, err)
		}
	}
}

func TestStaticToken(t *testing.T) {
	s := authtest.StaticToken{Token: "s3cret", Principal: auth.Principal{Subject: "ops", Roles: []string{auth.RoleAdmin}}}
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
