package store_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
)

func TestRefreshTokenStates(t *testing.T) {
	s, _ := newStore(t)
	u := createUser(t, s, "ada@example.org")
	_, first := refresh(u, "", time.Hour)
	if err := s.CreateRefreshToken(t.Context(), first); err != nil {
		t.Fatal(err)
	}
	got, err := s.RefreshToken(t.Context(), first.Hash)
	if err != nil || got.ID != first.ID || got.UserID != u.ID || got.FamilyID != first.FamilyID ||
		!got.RevokedAt.IsZero() || got.Rotated() || !got.ExpiresAt.Equal(first.ExpiresAt.Truncate(time.Microsecond)) {
		t.Fatalf("live token: %+v %v", got, err)
	}
	_, unknown := refresh(u, "", time.Hour)
	if _, err := s.RefreshToken(t.Context(), unknown.Hash); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}

	at := time.Now().Add(time.Minute).Truncate(time.Microsecond)
	_, second := refresh(u, first.FamilyID, time.Hour)
	if err := s.RotateRefreshToken(t.Context(), first.ID, second, domain.Rotation{At: at, By: "192.0.2.7", SuccessorSealed: []byte("sealed")}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.RefreshToken(t.Context(), first.Hash)
	if !got.RevokedAt.Equal(at) || got.ReplacedBy != second.ID || got.RotatedBy != "192.0.2.7" ||
		string(got.SuccessorSealed) != "sealed" || !got.SuccessorLive {
		t.Fatalf("rotated token: %+v", got)
	}
	got, _ = s.RefreshToken(t.Context(), second.Hash)
	if got.FamilyID != first.FamilyID || !got.RevokedAt.IsZero() || got.RotatedBy != "" || got.SuccessorSealed != nil || got.SuccessorLive {
		t.Fatalf("successor: %+v", got)
	}
	// Once the family is revoked the successor is no longer live.
	_ = s.RevokeFamily(t.Context(), first.FamilyID, at)
	if got, _ = s.RefreshToken(t.Context(), first.Hash); got.SuccessorLive {
		t.Fatalf("successor of a revoked family is live: %+v", got)
	}
}

func TestSuccessorSealIsTakenOnce(t *testing.T) {
	s, _ := newStore(t)
	u := createUser(t, s, "ada@example.org")
	_, first := refresh(u, "", time.Hour)
	_ = s.CreateRefreshToken(t.Context(), first)
	_, second := refresh(u, first.FamilyID, time.Hour)
	_ = s.RotateRefreshToken(t.Context(), first.ID, second, domain.Rotation{At: time.Now(), SuccessorSealed: []byte("sealed")})
	const n = 8
	taken := make([]bool, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			sealed, ok, err := s.TakeSuccessorSeal(t.Context(), first.ID)
			if err != nil || ok && string(sealed) != "sealed" {
				t.Errorf("take: %q %v %v", sealed, ok, err)
			}
			taken[i] = ok
		})
	}
	close(start)
	wg.Wait()
	if n := len(slices.DeleteFunc(taken, func(ok bool) bool { return !ok })); n != 1 {
		t.Fatalf("the seal was taken %d times, want once", n)
	}
	if got, _ := s.RefreshToken(t.Context(), first.Hash); got.SuccessorSealed != nil {
		t.Fatal("the seal is still stored")
	}
}

func TestDeleteSuccessorSeals(t *testing.T) {
	s, pool := newStore(t)
	u := createUser(t, s, "ada@example.org")
	now := time.Now()
	for _, rotatedAt := range []time.Time{now.Add(-time.Hour), now.Add(-time.Minute), now} {
		_, cur := refresh(u, "", time.Hour)
		_ = s.CreateRefreshToken(t.Context(), cur)
		_, next := refresh(u, cur.FamilyID, time.Hour)
		_ = s.RotateRefreshToken(t.Context(), cur.ID, next, domain.Rotation{At: rotatedAt, SuccessorSealed: []byte("x")})
	}
	n, err := s.DeleteSuccessorSeals(t.Context(), now.Add(-30*time.Second), 100)
	if err != nil || n != 2 || count(t, pool, `SELECT count(*) FROM refresh_tokens WHERE successor_sealed IS NOT NULL`) != 1 {
		t.Fatalf("deleted %d %v; want the 2 older seals", n, err)
	}
}

func TestRotateIsConditional(t *testing.T) {
	s, pool := newStore(t)
	u := createUser(t, s, "ada@example.org")
	_, first := refresh(u, "", time.Hour)
	_ = s.CreateRefreshToken(t.Context(), first)
	_, second := refresh(u, first.FamilyID, time.Hour)
	if err := s.RotateRefreshToken(t.Context(), first.ID, second, domain.Rotation{At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	_, again := refresh(u, first.FamilyID, time.Hour)
	if err := s.RotateRefreshToken(t.Context(), first.ID, again, domain.Rotation{At: time.Now()}); !errors.Is(err, domain.ErrNotLive) {
		t.Fatalf("second rotation: %v, want ErrNotLive", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM refresh_tokens WHERE id = $1`, again.ID); n != 0 {
		t.Fatal("a refused rotation stored its successor")
	}
	if n := count(t, pool, `SELECT count(*) FROM refresh_tokens WHERE replaced_by = $1`, second.ID); n != 1 {
		t.Fatal("the first rotation was undone")
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
			_, next := refresh(u, first.FamilyID, time.Hour)
			errs[i] = s.RotateRefreshToken(t.Context(), first.ID, next, domain.Rotation{At: time.Now()})
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, domain.ErrNotLive):
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 || count(t, pool, `SELECT count(*) FROM refresh_tokens`) != 2 {
		t.Fatalf("%d rotations succeeded, want exactly 1 (and 2 rows)", ok)
	}
}

func TestRevokeFamilyKeepsOtherSessions(t *testing.T) {
	s, pool := newStore(t)
	u := createUser(t, s, "ada@example.org")
	_, first := refresh(u, "", time.Hour)
	_ = s.CreateRefreshToken(t.Context(), first)
	_, second := refresh(u, first.FamilyID, time.Hour)
	_ = s.RotateRefreshToken(t.Context(), first.ID, second, domain.Rotation{At: time.Now()})
	_, other := refresh(u, "", time.Hour)
	_ = s.CreateRefreshToken(t.Context(), other)

	for range 2 { // idempotent
		if err := s.RevokeFamily(t.Context(), first.FamilyID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, pool, `SELECT count(*) FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL`, first.FamilyID); n != 0 {
		t.Fatalf("%d tokens of the family still live", n)
	}
	if got, _ := s.RefreshToken(t.Context(), first.Hash); got.ReplacedBy != second.ID {
		t.Fatal("revocation lost the rotation link")
	}
	if got, _ := s.RefreshToken(t.Context(), other.Hash); !got.RevokedAt.IsZero() {
		t.Fatal("another session was revoked")
	}
	if err := s.RevokeFamily(t.Context(), uuid.NewString(), time.Now()); err != nil {
		t.Fatalf("unknown family: %v", err)
	}
}

func TestDeleteExpired(t *testing.T) {
	s, pool := newStore(t)
	u := createUser(t, s, "ada@example.org")
	for _, ttl := range []time.Duration{-3 * time.Hour, -2 * time.Hour, time.Hour} {
		_, rt := refresh(u, "", ttl)
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
