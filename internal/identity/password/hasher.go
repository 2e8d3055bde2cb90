// Package password hashes and verifies passwords with argon2id, stored in
// the PHC string format so the cost parameters travel with each hash.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/crypto/argon2"
)

// Hasher computes argon2id hashes. Each computation holds Params.Memory of
// RAM, so a semaphore bounds how many run at once: a burst of sign-ins
// queues instead of exhausting the container's memory limit.
type Hasher struct {
	params Params
	slots  chan struct{}
	// dummy is a real hash of a random secret, verified when an account
	// does not exist so that the answer takes as long as for a wrong password.
	dummy phc
	// observe, if set, receives every computation ("hash" or "verify").
	observe func(op string, d time.Duration)
}

// Option configures a Hasher.
type Option func(*Hasher)

// WithObserver reports each computation and its duration (metrics, tests).
func WithObserver(f func(op string, d time.Duration)) Option {
	return func(h *Hasher) { h.observe = f }
}

// WithConcurrency sets how many hashes may run at once (default
// 2 x GOMAXPROCS: enough to keep the CPUs busy while others wait for a slot).
func WithConcurrency(n int) Option {
	return func(h *Hasher) { h.slots = make(chan struct{}, max(n, 1)) }
}

// NewHasher returns a hasher that hashes new passwords with p.
func NewHasher(p Params, opts ...Option) (*Hasher, error) {
	if p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen || p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen ||
		p.Time < 1 || p.Time > maxTime || p.Threads < 1 || p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemoryKiB {
		return nil, fmt.Errorf("password: parameters out of range: %+v", p)
	}
	h := &Hasher{params: p, slots: make(chan struct{}, 2*runtime.GOMAXPROCS(0))}
	for _, o := range opts {
		o(h)
	}
	secret := make([]byte, 32)
	salt := make([]byte, p.SaltLen)
	_, _ = rand.Read(secret) // crypto/rand.Read never fails (Go 1.24+)
	_, _ = rand.Read(salt)
	h.dummy = phc{params: p, salt: salt, key: argon2.IDKey(secret, salt, p.Time, p.Memory, p.Threads, p.KeyLen)}
	return h, nil
}

// Params are the parameters new hashes get.
func (h *Hasher) Params() Params { return h.params }

// Hash returns the PHC string of password with a fresh random salt.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	_, _ = rand.Read(salt)
	key, err := h.compute(ctx, "hash", password, salt, h.params)
	if err != nil {
		return "", err
	}
	return phc{params: h.params, salt: salt, key: key}.String(), nil
}

// Verify reports whether password matches the stored hash, using the
// parameters stored in it. rehash is true when it matches but was made with
// parameters other than the current ones, so the caller should store a new
// hash. A malformed stored hash is an error, never a match.
func (h *Hasher) Verify(ctx context.Context, stored, password string) (match, rehash bool, err error) {
	parsed, err := parsePHC(stored)
	if err != nil {
		return false, false, err
	}
	if match, err = h.verify(ctx, parsed, password); err != nil || !match {
		return false, false, err
	}
	return true, parsed.params != h.params, nil
}

// VerifyDummy does the work of a failed Verify against an account that does
// not exist, so response time does not reveal which e-mails are registered.
func (h *Hasher) VerifyDummy(ctx context.Context, password string) error {
	_, err := h.verify(ctx, h.dummy, password)
	return err
}

func (h *Hasher) verify(ctx context.Context, stored phc, password string) (bool, error) {
	key, err := h.compute(ctx, "verify", password, stored.salt, stored.params)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(key, stored.key) == 1, nil
}

// compute runs argon2id once a slot is free; a caller that gives up while
// waiting (deadline, disconnect) gets its context's error.
func (h *Hasher) compute(ctx context.Context, op, password string, salt []byte, p Params) ([]byte, error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-h.slots }()
	start := time.Now()
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if h.observe != nil {
		h.observe(op, time.Since(start))
	}
	return key, nil
}
