// Package domain holds identity's rules: what a valid account looks like,
// the password policy, and the shapes the store and the API exchange.
package domain

import (
	"time"

	"github.com/google/uuid"
)

// User is an account. PasswordHash is the argon2id PHC string; it never
// leaves the service.
type User struct {
	ID           string
	Email        string
	Name         string
	Roles        []string
	PasswordHash string
	CreateTime   time.Time
}

// NewUser is a validated sign-up, its password already hashed.
type NewUser struct {
	Email        string
	Name         string
	PasswordHash string
	Roles        []string
}

// RefreshToken is one issued refresh token as stored: only the SHA-256 of
// the secret is kept. Tokens rotated from one sign-in share a FamilyID and
// its FamilyStartedAt, the time of that sign-in.
type RefreshToken struct {
	ID              string
	UserID          string
	FamilyID        string
	FamilyStartedAt time.Time
	Hash            []byte
	ExpiresAt       time.Time
	// RevokedAt is zero while the token can be redeemed; it is set when the
	// token is rotated (then ReplacedBy names the successor) or its family
	// is revoked.
	RevokedAt  time.Time
	ReplacedBy string
	// Rotation's record, for the grace (see Replayable).
	RotatedBy       string // AddressKey of the client that rotated it; "" if unknown
	SuccessorSealed []byte // nil once the grace was used or swept
	SuccessorLive   bool   // the successor can still be redeemed
}

// Rotated reports a token that was exchanged for a successor.
func (t RefreshToken) Rotated() bool { return t.ReplacedBy != "" }

// Rotation is how a token is exchanged: when, by which client
// (AddressKey, "" if unknown), and its successor sealed for a repeat.
type Rotation struct {
	At              time.Time
	By              string
	SuccessorSealed []byte
}

// Replayable reports whether presenting the rotated token t again, by
// client at now, is a harmless race rather than theft: the same client
// within grace of the rotation, the successor still live and its seal not
// used yet. A zero grace allows nothing. Two replicas of one client (a storefront) refreshing one
// session at once look like this; a thief elsewhere or later does not.
func (t RefreshToken) Replayable(client string, now time.Time, grace time.Duration) bool {
	return grace > 0 && t.Rotated() && client != "" && t.RotatedBy == client && t.SuccessorLive && t.SuccessorSealed != nil &&
		!now.After(t.RevokedAt.Add(grace))
}

// Tokens are what a sign-in or a refresh hands the client.
type Tokens struct {
	Access    string
	Refresh   string
	AccessTTL time.Duration
}

// ValidID reports a UUID in canonical form, the only form ids are issued in.
func ValidID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

// SessionPolicy is how long refresh tokens live: TTL after each rotation
// (an idle timeout), and never past MaxLifetime after the sign-in that
// started their family (zero: no such limit).
type SessionPolicy struct {
	TTL         time.Duration
	MaxLifetime time.Duration
}

// ExpiresAt is when a token issued at now for a family started at
// familyStart expires.
func (p SessionPolicy) ExpiresAt(familyStart, now time.Time) time.Time {
	end := now.Add(p.TTL)
	if p.MaxLifetime > 0 && p.Ended(familyStart, end) {
		return familyStart.Add(p.MaxLifetime)
	}
	return end
}

// Ended reports whether a family started at familyStart is past its
// lifetime at now. It is checked on every refresh, not only through the
// tokens' expiry, so a shorter MaxLifetime applies to sessions already
// running.
func (p SessionPolicy) Ended(familyStart, now time.Time) bool {
	return p.MaxLifetime > 0 && !now.Before(familyStart.Add(p.MaxLifetime))
}
