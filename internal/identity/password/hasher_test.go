package password_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/password"
)

// cheap keeps unit tests fast; the production parameters are exercised by
// the service tests and the benchmark.
var cheap = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newHasher(t *testing.T, p password.Params, opts ...password.Option) *password.Hasher {
	t.Helper()
	h, err := password.NewHasher(p, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestRoundTrip(t *testing.T) {
	h := newHasher(t, cheap)
	stored, err := h.Hash(t.Context(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("not a PHC argon2id string: %q", stored)
	}
	match, rehash, err := h.Verify(t.Context(), stored, "correct horse battery staple")
	if err != nil || !match || rehash {
		t.Fatalf("verify: match=%v rehash=%v err=%v", match, rehash, err)
	}
	for _, wrong := range []string{"correct horse battery stapl", "Correct horse battery staple", ""} {
		if match, _, err := h.Verify(t.Context(), stored, wrong); err != nil || match {
			t.Errorf("%q: match=%v err=%v, want no match", wrong, match, err)
		}
	}
	again, _ := h.Hash(t.Context(), "correct horse battery staple")
	if again == stored {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
}

func TestDefaultParamsInStoredString(t *testing.T) {
	if testing.Short() {
		t.Skip("production parameters take tens of milliseconds")
	}
	h := newHasher(t, password.DefaultParams)
	stored, err := h.Hash(t.Context(), "a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("stored %q", stored)
	}
	if match, _, _ := h.Verify(t.Context(), stored, "a long enough passphrase"); !match {
		t.Fatal("no match")
	}
}

func TestVerifyUsesStoredParamsAndFlagsOutdated(t *testing.T) {
	old := newHasher(t, cheap)
	stored, _ := old.Hash(t.Context(), "passphrase one")
	raised := cheap
	raised.Memory, raised.Time = 128, 2
	current := newHasher(t, raised)
	match, rehash, err := current.Verify(t.Context(), stored, "passphrase one")
	if err != nil || !match || !rehash {
		t.Fatalf("old hash under new params: match=%v rehash=%v err=%v; want match and rehash", match, rehash, err)
	}
	if match, rehash, _ := current.Verify(t.Context(), stored, "passphrase two"); match || rehash {
		t.Fatal("a wrong password must neither match nor ask for a rehash")
	}
	fresh, _ := current.Hash(t.Context(), "passphrase one")
	if _, rehash, _ := current.Verify(t.Context(), fresh, "passphrase one"); rehash {
		t.Fatal("a hash with the current parameters is not outdated")
	}
	if !strings.Contains(fresh, "$m=128,t=2,p=1$") {
		t.Fatalf("new hash %q lacks the raised parameters", fresh)
	}
}

func TestMalformedHashesAreRejected(t *testing.T) {
	h := newHasher(t, cheap)
	good, _ := h.Hash(t.Context(), "passphrase")
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=..., salt, key
	join := func(p ...string) string { return strings.Join(p, "$") }
	cases := map[string]string{
		"empty":            "",
		"bcrypt":           "$2b$10$abcdefghijklmnopqrstuuJ0TSXcN7lv2yp4VxQ0tMb4Krbbd4h4K",
		"argon2i":          join("", "argon2i", parts[2], parts[3], parts[4], parts[5]),
		"old version":      join("", "argon2id", "v=16", parts[3], parts[4], parts[5]),
		"no version":       join("", "argon2id", parts[3], parts[4], parts[5]),
		"params reordered": join("", "argon2id", parts[2], "t=1,m=64,p=1", parts[4], parts[5]),
		"param missing":    join("", "argon2id", parts[2], "m=64,t=1", parts[4], parts[5]),
		"leading zero":     join("", "argon2id", parts[2], "m=064,t=1,p=1", parts[4], parts[5]),
		"zero time":        join("", "argon2id", parts[2], "m=64,t=0,p=1", parts[4], parts[5]),
		"zero lanes":       join("", "argon2id", parts[2], "m=64,t=1,p=0", parts[4], parts[5]),
		"memory too small": join("", "argon2id", parts[2], "m=7,t=1,p=1", parts[4], parts[5]),
		"memory too large": join("", "argon2id", parts[2], "m=4294967295,t=1,p=1", parts[4], parts[5]),
		"time too large":   join("", "argon2id", parts[2], "m=64,t=100000,p=1", parts[4], parts[5]),
		"negative":         join("", "argon2id", parts[2], "m=-64,t=1,p=1", parts[4], parts[5]),
		"padded salt":      join("", "argon2id", parts[2], parts[3], parts[4]+"==", parts[5]),
		"short salt":       join("", "argon2id", parts[2], parts[3], "c2FsdA", parts[5]),
		"bad base64 key":   join("", "argon2id", parts[2], parts[3], parts[4], "!!"+parts[5][2:]),
		"short key":        join("", "argon2id", parts[2], parts[3], parts[4], "c2hvcnQ"),
		"trailing field":   good + "$x",
		"no leading $":     strings.TrimPrefix(good, "$"),
	}
	for name, stored := range cases {
		match, rehash, err := h.Verify(t.Context(), stored, "passphrase")
		if !errors.Is(err, password.ErrMalformed) || match || rehash {
			t.Errorf("%s (%q): match=%v rehash=%v err=%v, want ErrMalformed", name, stored, match, rehash, err)
		}
	}
}

func TestParamsOutOfRangeRefused(t *testing.T) {
	for _, p := range []password.Params{
		{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
		{Memory: 4, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
	} {
		if _, err := password.NewHasher(p); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
}

func TestObserverSeesDummyVerification(t *testing.T) {
	var ops []string
	var mu sync.Mutex
	h := newHasher(t, cheap, password.WithObserver(func(op string, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		ops = append(ops, op)
	}))
	if err := h.VerifyDummy(t.Context(), "whatever it is"); err != nil {
		t.Fatal(err)
	}
	if len(ops) != 1 || ops[0] != "verify" {
		t.Fatalf("observed %v, want one verify", ops)
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	var running, peak atomic.Int32
	block := make(chan struct{})
	h := newHasher(t, cheap, password.WithConcurrency(2), password.WithObserver(func(string, time.Duration) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-block
		running.Add(-1)
	}))
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() { _, _ = h.Hash(context.Background(), "passphrase") })
	}
	// Two computations hold the slots; the others must wait for them.
	deadline := time.Now().Add(10 * time.Second)
	for running.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("hashes did not start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(block)
	wg.Wait()
	if peak.Load() != 2 {
		t.Fatalf("peak concurrency %d, want 2", peak.Load())
	}
}

func TestWaitingForASlotHonoursTheContext(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	started := make(chan struct{}, 1)
	h := newHasher(t, cheap, password.WithConcurrency(1), password.WithObserver(func(string, time.Duration) {
		started <- struct{}{}
		<-block
	}))
	go func() { _, _ = h.Hash(context.Background(), "holds the only slot") }()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "waits"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want DeadlineExceeded", err)
	}
}

// BenchmarkParams measures one hash for the production parameters and for
// OWASP's alternative settings of equal strength (ADR 0008 quotes them);
// -cpu 1,2 with the parallel variant shows throughput per core count.
func BenchmarkParams(b *testing.B) {
	for _, c := range []struct {
		name string
		p    password.Params
	}{
		{"default_m19MiB_t2", password.DefaultParams},
		{"owasp_m46MiB_t1", password.Params{Memory: 46 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"owasp_m12MiB_t3", password.Params{Memory: 12 * 1024, Time: 3, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"owasp_m7MiB_t5", password.Params{Memory: 7 * 1024, Time: 5, Threads: 1, SaltLen: 16, KeyLen: 32}},
	} {
		h, err := password.NewHasher(c.p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := h.Hash(context.Background(), "a long enough passphrase"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDefaultParamsParallel is sign-in throughput: ns/op is the
// amortized cost per hash with every CPU busy.
func BenchmarkDefaultParamsParallel(b *testing.B) {
	h, err := password.NewHasher(password.DefaultParams)
	if err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := h.Hash(context.Background(), "a long enough passphrase"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
