package loadgen

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// world is what journeys draw their values from: the catalog as the API
// lists it, and users signed up for this run.
type world struct {
	categories []string
	products   []product
	// inStock are the products a shopper can buy (stock above 0 at
	// set-up): what a signed-in journey puts in its cart, as the
	// storefront offers only those. A long run can still sell them out.
	inStock []product
	users   chan *user // the free ones: a journey holds its user alone
}

type product struct{ id, slug string }

type user struct {
	n               int // its virtual shopper number (client address)
	email, password string
	token           string
}

// apiWait bounds how long set-up waits for the API to accept connections.
const apiWait = 30 * time.Second

// firstAnswer reads the categories, retrying while the connection itself
// fails for up to within: a Job's pod may start before its network is
// ready (a policy controller admits a new pod's address a moment after the
// pod starts), or while the gateway rolls. An answer, even an error
// status, ends the wait.
func firstAnswer(ctx context.Context, c *client, within time.Duration) (map[string]any, error) {
	deadline := time.Now().Add(within)
	r := c.do(ctx, "GET", "/categories", "", nil, 0)
	for r.err != nil && time.Now().Before(deadline) && sleepUntil(ctx, nil, time.Now().Add(500*time.Millisecond)) {
		r = c.do(ctx, "GET", "/categories", "", nil, 0)
	}
	if r.err != nil {
		return nil, fmt.Errorf("GET /categories: no answer within %s: %w", within, r.err)
	}
	if r.status != http.StatusOK {
		return nil, fmt.Errorf("GET /categories: status %d, want 200: %v", r.status, r.body)
	}
	return r.body, nil
}

// setUp reads the catalog and signs up and in n users (when the mix needs
// any), a few at a time.
func setUp(ctx context.Context, c *client, m Mix, n int) (*world, error) {
	w := &world{}
	cats, err := firstAnswer(ctx, c, apiWait)
	if err != nil {
		return nil, err
	}
	for _, x := range list(cats, "categories") {
		w.categories = append(w.categories, str(x, "slug"))
	}
	prods, err := c.must(ctx, http.StatusOK, "GET", "/products?pageSize=100", "", nil, 0)
	if err != nil {
		return nil, err
	}
	for _, x := range list(prods, "products") {
		p := product{id: str(x, "id"), slug: str(x, "slug")}
		w.products = append(w.products, p)
		if stock, _ := x["stock"].(float64); stock > 0 {
			w.inStock = append(w.inStock, p)
		}
	}
	if len(w.categories) == 0 || len(w.products) == 0 {
		return nil, errors.New("the catalog is empty: seed it first (make run seeds the demo catalog)")
	}
	if !m.needsUsers() {
		return w, nil
	}
	if n < 1 {
		return nil, errors.New("the mix needs users: -users must be at least 1")
	}
	w.users = make(chan *user, n)
	run := make([]byte, 4)
	_, _ = rand.Read(run)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		next = make(chan int)
	)
	for range min(n, 4) {
		wg.Go(func() {
			for i := range next {
				u, err := signUp(ctx, c, fmt.Sprintf("load-%x-%d@example.test", run, i), i)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					w.users <- u
				}
				mu.Unlock()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return w, errors.Join(errs...)
}

func signUp(ctx context.Context, c *client, email string, n int) (*user, error) {
	secret := make([]byte, 12)
	_, _ = rand.Read(secret)
	u := &user{n: n, email: email, password: "load " + hex.EncodeToString(secret)}
	creds := fmt.Sprintf(`{"email":%q,"password":%q}`, u.email, u.password)
	if _, err := c.must(ctx, http.StatusCreated, "POST", "/auth/signup",
		fmt.Sprintf(`{"email":%q,"password":%q,"name":"Load Test"}`, u.email, u.password), nil, n); err != nil {
		return nil, err
	}
	tokens, err := c.must(ctx, http.StatusOK, "POST", "/auth/signin", creds, nil, n)
	if err != nil {
		return nil, err
	}
	u.token = str(tokens, "accessToken")
	return u, nil
}

func list(body map[string]any, key string) []map[string]any {
	raw, _ := body[key].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, x := range raw {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func str(m map[string]any, key string) string { s, _ := m[key].(string); return s }
