package store_test

import (
	"errors"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
)

func TestCreateAndFindUser(t *testing.T) {
	s, _ := newStore(t)
	u := createUser(t, s, "ada@example.org")
	if !domain.ValidID(u.ID) || u.Email != "ada@example.org" || len(u.Roles) != 1 || u.Roles[0] != "customer" || u.CreateTime.IsZero() {
		t.Fatalf("created %+v", u)
	}
	byEmail, err := s.UserByEmail(t.Context(), "ada@example.org")
	if err != nil || byEmail.ID != u.ID || byEmail.PasswordHash != "$argon2id$stub" {
		t.Fatalf("by e-mail: %+v %v", byEmail, err)
	}
	byID, err := s.UserByID(t.Context(), u.ID)
	if err != nil || byID.Email != u.Email {
		t.Fatalf("by id: %+v %v", byID, err)
	}
	for _, id := range []string{"not-a-uuid", "00000000-0000-0000-0000-000000000000"} {
		if _, err := s.UserByID(t.Context(), id); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", id, err)
		}
	}
	if _, err := s.UserByEmail(t.Context(), "nobody@example.org"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown e-mail: %v", err)
	}
}

func TestDuplicateEmailIsTaken(t *testing.T) {
	s, pool := newStore(t)
	createUser(t, s, "ada@example.org")
	_, err := s.CreateUser(t.Context(), domain.NewUser{Email: "ada@example.org", Name: "Other", PasswordHash: "x", Roles: []string{"customer"}})
	if !errors.Is(err, domain.ErrEmailTaken) {
		t.Fatalf("got %v, want ErrEmailTaken", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM users`); n != 1 {
		t.Fatalf("%d users", n)
	}
	// The schema refuses a case variant that bypassed normalization.
	if _, err := pool.Exec(t.Context(), `INSERT INTO users (id, email, name, password_hash) VALUES (gen_random_uuid(), 'Ada@example.org', 'x', 'x')`); err == nil {
		t.Fatal("mixed-case e-mail stored")
	}
}

func TestReplacePasswordHashIsCompareAndSet(t *testing.T) {
	s, _ := newStore(t)
	u := createUser(t, s, "ada@example.org")
	if err := s.ReplacePasswordHash(t.Context(), u.ID, "stale", "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.UserByID(t.Context(), u.ID); got.PasswordHash != "$argon2id$stub" {
		t.Fatal("a stale old hash replaced the current one")
	}
	if err := s.ReplacePasswordHash(t.Context(), u.ID, "$argon2id$stub", "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.UserByID(t.Context(), u.ID); got.PasswordHash != "$argon2id$new" {
		t.Fatal("hash not replaced")
	}
}

func TestGrantRole(t *testing.T) {
	s, _ := newStore(t)
	u := createUser(t, s, "ops@example.org")
	if changed, err := s.GrantRole(t.Context(), "ops@example.org", "admin"); err != nil || !changed {
		t.Fatalf("first grant: %v %v", changed, err)
	}
	if changed, err := s.GrantRole(t.Context(), "ops@example.org", "admin"); err != nil || changed {
		t.Fatalf("second grant: %v %v", changed, err)
	}
	got, _ := s.UserByID(t.Context(), u.ID)
	if len(got.Roles) != 2 || got.Roles[0] != "customer" || got.Roles[1] != "admin" {
		t.Fatalf("roles %v", got.Roles)
	}
	if _, err := s.GrantRole(t.Context(), "nobody@example.org", "admin"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}
