package e2e_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// benchClient keeps connections alive across the many parallel requests.
var benchClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}

func do(method, url, body string, h stacktest.Header) (int, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := benchClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// accessToken signs a token for subject with identity's own key, as sign-in
// would, without paying for a password hash per benchmark user.
func (s *system) accessToken(b *testing.B, signer *auth.Signer, subject string) stacktest.Header {
	tok, err := signer.Sign(auth.Claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: "shipshape-identity",
		Audience: jwt.ClaimStrings{"shipshape"}, Subject: subject, IssuedAt: jwt.NewNumericDate(time.Now()),
		ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour))}, Roles: []string{auth.RoleCustomer}})
	if err != nil {
		b.Fatal(err)
	}
	return stacktest.Bearer(tok)
}

func setAllStock(b *testing.B, url string, n int) {
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(context.Background(), `UPDATE products SET stock = $1`, n); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCheckout measures orders per second through the whole system:
// each order reads a cart, prices and reserves stock in catalog, charges,
// commits, confirms and clears the cart. Carts are filled before the clock
// starts; 8 shoppers check out at once. With one product every order
// updates the same stock row (and catalog's product cache answers every
// pricing read); spread over the catalog the orders rarely meet. The cost
// meter adds where the time went (docs/benchmarks.md, "Checkout: what
// bounds it").
func BenchmarkCheckout(b *testing.B) {
	b.Run("one-product", func(b *testing.B) {
		benchmarkCheckout(b, func(int) string { return seed.ID("product", "storm-lantern") })
	})
	b.Run("every-product", func(b *testing.B) {
		benchmarkCheckout(b, func(i int) string { return seed.ID("product", seed.Products[i%len(seed.Products)].Slug) })
	})
}

// benchmarkCheckout checks out b.N carts, the i-th holding one of product(i).
func benchmarkCheckout(b *testing.B, product func(i int) string) {
	s, signer := startSystemWithSigner(b)
	setAllStock(b, s.catalogDB, 1_000_000)
	shoppers := make([]stacktest.Header, b.N)
	for i := range shoppers {
		shoppers[i] = s.accessToken(b, signer, fmt.Sprintf("bench-%d-%s", i, uuid.NewString()))
		if status, err := do("POST", s.cart.REST+"/v1/cart/items", fmt.Sprintf(`{"productId":%q,"quantity":1}`, product(i)), shoppers[i]); status != 200 {
			b.Fatalf("fill cart: %d %v", status, err)
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	costs := startCosts(b)
	start := time.Now()
	for range 8 {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
				h := shoppers[i].With("Idempotency-Key", uuid.NewString())
				if status, err := do("POST", s.orders.REST+"/v1/orders", card, h); status != 201 {
					b.Errorf("checkout: %d %v", status, err)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "orders/s")
	costs.report(b, b.N, "order")
}

// BenchmarkSignIn measures one sign-in at a time (argon2id dominates) and
// reports the median and 95th percentile.
func BenchmarkSignIn(b *testing.B) {
	s, _ := startSystemWithSigner(b)
	body := `{"email":"bench@example.com","password":"correct horse battery staple"}`
	if status, err := do("POST", s.identity.REST+"/v1/auth/signup",
		`{"email":"bench@example.com","password":"correct horse battery staple","name":"Bench"}`, nil); status != 201 {
		b.Fatalf("sign-up: %d %v", status, err)
	}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if status, err := do("POST", s.identity.REST+"/v1/auth/signin", body, nil); status != 200 {
			b.Fatalf("sign-in: %d %v", status, err)
		}
		durations = append(durations, time.Since(t0))
	}
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(durations[len(durations)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkGetCart measures authenticated GET /v1/cart (token verified by
// cart, two lines priced by catalog over gRPC) with 4 goroutines per core.
func BenchmarkGetCart(b *testing.B) {
	s, signer := startSystemWithSigner(b)
	h := s.accessToken(b, signer, "cart-bench")
	for _, slug := range []string{"storm-lantern", "gimballed-stove-kettle"} {
		if status, err := do("POST", s.cart.REST+"/v1/cart/items", fmt.Sprintf(`{"productId":%q,"quantity":2}`, seed.ID("product", slug)), h); status != 200 {
			b.Fatalf("fill cart: %d %v", status, err)
		}
	}
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if status, err := do("GET", s.cart.REST+"/v1/cart", "", h); status != 200 {
				b.Errorf("get cart: %d %v", status, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
