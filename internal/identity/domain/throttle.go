package domain

import (
	"net/netip"
	"time"
)

// Sign-in failures are counted per account and per client address, so
// guessing is slowed both for one account tried from many places and for
// many accounts tried from one place.
const (
	ThrottleAccount = "account"
	ThrottleAddress = "address"
)

// ThrottleKey names one counter: the account's normalized e-mail (whether
// or not the account exists, so refusals reveal nothing) or AddressKey.
type ThrottleKey struct {
	Kind string
	Key  string
}

// AddressKey is the throttling key of a client address: IPv4 addresses
// one by one, IPv6 by /64, the block one subscriber usually holds whole
// (counting single IPv6 addresses would let a client rotate past any limit).
func AddressKey(a netip.Addr) string {
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.WithZone("").Prefix(64)
	return p.String()
}

// SignInFailures is one counter as stored. Failures counts the sign-ins
// in the current window that were not successful (an attempt under way is
// counted in advance and taken back if it succeeds).
type SignInFailures struct {
	Key          ThrottleKey
	Failures     int
	LastAt       time.Time // the last counted attempt; zero for a new counter
	BlockedUntil time.Time // zero when not blocked
}

// ThrottlePolicy is how many failures are free and how long sign-in waits
// after them. The zero policy blocks nothing.
type ThrottlePolicy struct {
	AccountAllowance int           // free failures per account
	AddressAllowance int           // free failures per client address
	Backoff          time.Duration // the first wait once the allowance is used up
	MaxBackoff       time.Duration // the wait doubles per further failure up to this
	Window           time.Duration // a counter left alone this long starts again at zero
}

// Allowance is the free failures for a key of kind.
func (p ThrottlePolicy) Allowance(kind string) int {
	if kind == ThrottleAccount {
		return p.AccountAllowance
	}
	return p.AddressAllowance
}

// Wait is how long sign-in is refused after the failures-th failure of a
// key with allowance free ones: nothing before the allowance is used up,
// then Backoff, doubling with each further failure, at most MaxBackoff.
func (p ThrottlePolicy) Wait(failures, allowance int) time.Duration {
	over := failures - allowance
	if over < 0 || p.Backoff <= 0 {
		return 0
	}
	d := p.Backoff
	for range over {
		if d >= p.MaxBackoff/2 {
			return p.MaxBackoff
		}
		d *= 2
	}
	return min(d, p.MaxBackoff)
}

// Attempt counts one sign-in attempt at now on c. blocked is how much
// longer the key is refused; then nothing is counted and c is unchanged.
func (p ThrottlePolicy) Attempt(c SignInFailures, now time.Time) (next SignInFailures, blocked time.Duration) {
	if c.BlockedUntil.After(now) {
		return c, c.BlockedUntil.Sub(now)
	}
	next = c
	if c.LastAt.Before(now.Add(-p.Window)) {
		next.Failures = 0
	}
	next.Failures++
	next.LastAt = now
	next.BlockedUntil = time.Time{}
	if wait := p.Wait(next.Failures, p.Allowance(c.Key.Kind)); wait > 0 {
		// Set before the password is checked, so concurrent attempts wait
		// too; a success takes it back.
		next.BlockedUntil = now.Add(wait)
	}
	return next, 0
}

// Succeeded takes back the attempt counted for a sign-in that turned out
// right: the account starts afresh, an address loses one failure (other
// clients behind it may still be guessing) and its block if that attempt
// set it.
func (p ThrottlePolicy) Succeeded(c SignInFailures) SignInFailures {
	if c.Key.Kind == ThrottleAccount {
		c.Failures, c.BlockedUntil = 0, time.Time{}
		return c
	}
	c.Failures = max(c.Failures-1, 0)
	if p.Wait(c.Failures, p.Allowance(c.Key.Kind)) == 0 {
		c.BlockedUntil = time.Time{}
	}
	return c
}

// ForgetBefore is the time before which an unblocked counter's last
// attempt makes it worthless (the sweeper deletes it).
func (p ThrottlePolicy) ForgetBefore(now time.Time) time.Time { return now.Add(-p.Window) }
