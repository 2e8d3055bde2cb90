package auth

import "time"

// SetClock makes v read the time from now (tests of expiry).
func (v *Verifier) SetClock(now func() time.Time) { v.now = now }

// SignatureChecks is how many signatures v checked for real.
func (v *Verifier) SignatureChecks() int64 { return v.checks.Load() }

// Remembered is how many verified signatures v holds.
func (v *Verifier) Remembered() int { return v.verified.len() }

// MaxVerified is the bound on remembered signatures.
const MaxVerified = maxVerified
