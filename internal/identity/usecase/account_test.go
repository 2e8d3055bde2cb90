package usecase_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestSignUpNormalizesAndRefusesDuplicates(t *testing.T) {
	e := setup(t, options{})
	u, err := e.id.SignUp(t.Context(), domain.SignUp{Email: " Ada@Example.ORG ", Password: goodPassword, Name: " Ada "})
	if err != nil || u.Email != "ada@example.org" || u.Name != "Ada" || len(u.Roles) != 1 || u.Roles[0] != "customer" ||
		!strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("sign-up: %+v %v", u, err)
	}
	_, err = e.id.SignUp(t.Context(), domain.SignUp{Email: "ADA@example.org", Password: goodPassword, Name: "Other"})
	if ae := apperr.As(err); ae.Kind != apperr.KindAlreadyExists || len(ae.Fields) != 1 || ae.Fields[0].Field != "email" {
		t.Fatalf("duplicate: %v", err)
	}
	_, err = e.id.SignUp(t.Context(), domain.SignUp{Email: "nope", Password: "short", Name: ""})
	if ae := apperr.As(err); ae.Kind != apperr.KindInvalidArgument || len(ae.Fields) != 3 {
		t.Fatalf("invalid: %v", err)
	}
	if n := e.count(t, `SELECT count(*) FROM users`); n != 1 {
		t.Fatalf("%d accounts", n)
	}
	if got := e.counter(t, "identity_signups_total", ""); got != 1 {
		t.Fatalf("sign-ups counted %v", got)
	}
}

// One account however the client spells its address.
func TestEmailVariantsAreOneAccount(t *testing.T) {
	e := setup(t, options{})
	u := e.signUp(t, "jürgen@xn--mnchen-3ya.example")
	if u.Email != "jürgen@münchen.example" {
		t.Fatalf("stored as %q", u.Email)
	}
	for _, email := range []string{"JU\u0308RGEN@MÜNCHEN.example", "ｊüｒｇｅｎ@münchen.example"} {
		if _, err := e.id.SignIn(t.Context(), usecase.Credentials{Email: email, Password: goodPassword}); err != nil {
			t.Errorf("sign-in as %q: %v", email, err)
		}
		_, err := e.id.SignUp(t.Context(), domain.SignUp{Email: email, Password: goodPassword, Name: "Twin"})
		if !apperr.Is(err, apperr.KindAlreadyExists) {
			t.Errorf("second account as %q: %v", email, err)
		}
	}
}

func TestMe(t *testing.T) {
	e := setup(t, options{})
	u := e.signUp(t, "ada@example.org")
	if got, err := e.id.Me(t.Context(), u.ID); err != nil || got.Email != u.Email {
		t.Fatalf("me: %+v %v", got, err)
	}
	if _, err := e.pool.Exec(t.Context(), `DELETE FROM users`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.id.Me(t.Context(), u.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("deleted account: %v", err)
	}
}

func TestGrantAdmin(t *testing.T) {
	e := setup(t, options{})
	u := e.signUp(t, "ops@example.org")
	for i, wantChanged := range []bool{true, false} {
		email, changed, err := e.id.GrantAdmin(t.Context(), " OPS@example.org ")
		if err != nil || email != "ops@example.org" || changed != wantChanged {
			t.Fatalf("grant %d: %q %v %v", i, email, changed, err)
		}
	}
	if _, _, err := e.id.GrantAdmin(t.Context(), "nobody@example.org"); !apperr.Is(err, apperr.KindNotFound) ||
		!strings.Contains(err.Error(), "sign up first") {
		t.Fatalf("unknown account: %v", err)
	}
	_, _, err := e.id.GrantAdmin(t.Context(), "not an e-mail")
	if ae := apperr.As(err); ae.Kind != apperr.KindInvalidArgument || ae.Fields[0].Field != "email" {
		t.Fatalf("invalid e-mail: %v", err)
	}
	if got, _ := e.id.Me(t.Context(), u.ID); !slices.Equal(got.Roles, []string{"customer", "admin"}) {
		t.Fatalf("roles %v", got.Roles)
	}
}
