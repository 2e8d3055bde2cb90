package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/identity/store"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestRotateReplacesTheToken(t *testing.T) {
	s, pool := newStore(t)
	u := createUser(t, s, "ada@example.org")
	_, first := refresh(u, "", time.Hour)
	if err := s.CreateRefreshToken(t.Context(), first); err != nil {
		t.Fatal(err)
	}
	_, second := refresh(u, "ignored: the store keeps the family", time.Hour)
	got, err := s.RotateRefreshToken(t.Context(), first.Hash, second)
	if err != nil || got.ID != u.ID || got.Roles[0] != "customer" {
		t.Fatalf("rotate: %+v %v", got, err)
	}
	if n := count(t, pool, `SELECT count(*) FROM refresh_tokens WHERE id = $1 AND revoked_at IS NOT NULL AND replaced_by = $2`, first.ID, second.ID); n != 1 {
		t.Fatal("old token not revoked and linked to its replacement")
	}
	if n := count(t, pool, `SELECT count(*) FROM refresh_tokens WHERE id = $1 AND family_id = $2 AND revoked_at IS NULL`, second.ID, first.FamilyID); n != 1 {
		t.Fatal("new token not live in the same family")
	}
	// The new one rotates in turn.
	_, third := refresh(u, "", time.Hour)
	if _, err := s.RotateRefreshToken(t.Context(), second.Hash, third); err != nil {
		t.Fatal(err)
	}
}

func TestReuseRevokesTheFamily(t *testing.T) {
	s, pool := newStore(t)
	u := createUser(t, s, "ada@example.org")
	_, first := refresh(u, "", time.Hour)
	_ = s.CreateRefreshToken(t.Context(), first)
	_, second := refresh(u, "", time.Hour)
	if _, err := s.RotateRefreshToken(t.Context(), first.Hash, second); err != nil {
		t.Fatal(err)
	}
	// Another session of the same user must survive.
	_, other := refresh(u, "", time.Hour)
	_ = s.CreateRefreshToken(t.Context(), other)

	_, replay := refresh(u, "", time.Hour)
	_, err := s.RotateRefreshToken(t.Context(), first.Hash, replay)
	if !apperr.Is(err, apperr.KindUnauthenticated) || !errors.Is(err, store.ErrRefreshReused) {
		t.Fatalf("replay: got %v, want Unauthenticated caused by reuse", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL`, first.FamilyID); n != 0 {
		t.Fatalf("%d tokens of the family still live", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM refresh_tokens WHERE id = $1`, replay.ID); n != 0 {
		t.Fatal("a replacement was issued for a replayed token")
	}
	_, next := refresh(u, "", time.Hour)
	if _, err := s.RotateRefreshToken(t.Context(), second.Hash, next); !apperr.Is(err, apperr.KindUnauthenticated) || errors.Is(err, store.ErrRefreshReused) {
		t.Fatalf("newest token after theft: got %v, want plain Unauthenticated", err)
	}
	if _, err := s.RotateRefreshToken(t.Context(), other.Hash, next); err != nil {
		t.Fatalf("other session: %v", err)
	}
}

func TestRotateRefusesUnknownExpiredAndSignedOut(t *testing.T) {
	s, _ := newStore(t)
	u := createUser(t, s, "ada@example.org")
	_, live := refresh(u, "", time.Hour)
	_ = s.CreateRefreshToken(t.Context(), live)
	_, next := refresh(u, "", time.Hour)

	later := s.WithClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
	if _, err := later.RotateRefreshToken(t.Context(), live.Hash, next); !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("expired: %v", err)
	}
	_, unknown := refresh(u, "", time.Hour)
	if _, err := s.RotateRefreshToken(t.Context(), unknown.Hash, next); !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("unknown: %v", err)
	}
	for range 2 { // idempotent
		if err := s.RevokeFamily(t.Context(), live.Hash); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RevokeFamily(t.Context(), unknown.Hash); err != nil {
		t.Fatalf("unknown token sign-out: %v", err)
	}
	_, err := s.RotateRefreshToken(t.Context(), live.Hash, next)
	if !apperr.Is(err, apperr.KindUnauthenticated) || errors.Is(err, store.ErrRefreshReused) {
		t.Fatalf("signed out: %v", err)
	}
	if e := apperr.As(err); e.Message != "invalid refresh token" {
		t.Fatalf("message %q", e.Message)
	}
}

func TestConcurrentRotationSucceedsOnce(t *testing.T) {
	s, pool := newStore(t)
	u := createUser(t, s, "ada@example.org")
	_, first := refresh(u, "", time.Hour)
	_ = s.CreateRefreshToken(t.Context(), first)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, next := refresh(u, "", time.Hour)
			_, errs[i] = s.RotateRefreshToken(t.Context(), first.Hash, next)
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !apperr.Is(err, apperr.KindUnauthenticated):
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d rotations succeeded, want exactly 1", ok)
	}
	// The losers presented a rotated token, so the family is gone.
	if c := count(t, pool, `SELECT count(*) FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL`, first.FamilyID); c != 0 {
		t.Fatalf("%d tokens still live", c)
	}
}

func TestDeleteExpired(t *testing.T) {
	s, pool := newStore(t)
	u := createUser(t, s, "ada@example.org")
	for _, ttl := range []time.Duration{-3 * time.Hour, -2 * time.Hour, time.Hour} {
		_, rt := refresh(u, uuid.NewString(), ttl)
		_ = s.CreateRefreshToken(t.Context(), rt)
	}
	n, err := s.DeleteExpiredRefreshTokens(t.Context(), time.Now().Add(-time.Hour), 1)
	if err != nil || n != 1 {
		t.Fatalf("deleted %d, %v; want 1 (the limit)", n, err)
	}
	n, _ = s.DeleteExpiredRefreshTokens(t.Context(), time.Now().Add(-time.Hour), 100)
	if n != 1 || count(t, pool, `SELECT count(*) FROM refresh_tokens`) != 1 {
		t.Fatalf("deleted %d; the live token must stay", n)
	}
}
