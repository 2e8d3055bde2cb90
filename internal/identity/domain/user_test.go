package domain_test

import (
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
)

func TestReplayable(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	rotated := domain.RefreshToken{RevokedAt: at, ReplacedBy: "next", RotatedBy: "192.0.2.7",
		SuccessorSealed: []byte{1}, SuccessorLive: true}
	if !rotated.Replayable("192.0.2.7", at.Add(10*time.Second), 10*time.Second) {
		t.Fatal("a repeat by the same client within the grace is refused")
	}
	change := map[string]func(t *domain.RefreshToken) (client string, now time.Time){
		"after the grace":      func(*domain.RefreshToken) (string, time.Time) { return "192.0.2.7", at.Add(10*time.Second + 1) },
		"another client":       func(*domain.RefreshToken) (string, time.Time) { return "192.0.2.8", at },
		"unknown client":       func(r *domain.RefreshToken) (string, time.Time) { r.RotatedBy = ""; return "", at },
		"seal already used":    func(r *domain.RefreshToken) (string, time.Time) { r.SuccessorSealed = nil; return "192.0.2.7", at },
		"successor not live":   func(r *domain.RefreshToken) (string, time.Time) { r.SuccessorLive = false; return "192.0.2.7", at },
		"revoked, not rotated": func(r *domain.RefreshToken) (string, time.Time) { r.ReplacedBy = ""; return "192.0.2.7", at },
	}
	for name, fn := range change {
		tok := rotated
		client, now := fn(&tok)
		if tok.Replayable(client, now, 10*time.Second) {
			t.Errorf("%s: replayable", name)
		}
	}
	if rotated.Replayable("192.0.2.7", at, 0) {
		t.Error("a zero grace allows a repeat")
	}
}

func TestSessionPolicy(t *testing.T) {
	start := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	p := domain.SessionPolicy{TTL: 10 * 24 * time.Hour, MaxLifetime: 30 * 24 * time.Hour}
	day := func(n int) time.Time { return start.Add(time.Duration(n) * 24 * time.Hour) }
	if got := p.ExpiresAt(start, start); !got.Equal(day(10)) {
		t.Fatalf("first token expires %v", got)
	}
	if got := p.ExpiresAt(start, day(15)); !got.Equal(day(25)) {
		t.Fatalf("refreshed on day 15: %v", got)
	}
	if got := p.ExpiresAt(start, day(25)); !got.Equal(day(30)) {
		t.Fatalf("refreshed on day 25: %v, want the session's end", got)
	}
	if p.Ended(start, day(30).Add(-time.Nanosecond)) || !p.Ended(start, day(30)) {
		t.Fatal("the session does not end exactly at its lifetime")
	}
	unlimited := domain.SessionPolicy{TTL: time.Hour}
	if got := unlimited.ExpiresAt(start, day(400)); !got.Equal(day(400).Add(time.Hour)) || unlimited.Ended(start, day(400)) {
		t.Fatal("a zero lifetime limits sessions")
	}
}
