package usecase_test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Reservation states of the fake catalog, as catalog names them.
const (
	held      = "held"
	confirmed = "confirmed"
	released  = "released"
	expired   = "expired"
)

// catalog stands in for the catalog service (which needs its own stack):
// products with a price and stock, and reservations that hold stock until
// released, with catalog's answers (docs/adr/0006). down makes every call
// fail as an outage does; gate, when set, runs at the start of every call
// (tests block calls there).
type catalog struct {
	mu           sync.Mutex
	products     map[string]usecase.Product
	stock        map[string]int32
	reservations map[string]*reservation
	calls        map[string]int
	down         bool
	gate         func(method string)
	// fault, when set, is asked first by Confirm and Release; an error it
	// returns is the answer.
	fault func(method, reservationID string) error
}

type reservation struct {
	items  []domain.CartItem
	status string
}

func newCatalog() *catalog {
	return &catalog{products: map[string]usecase.Product{}, stock: map[string]int32{},
		reservations: map[string]*reservation{}, calls: map[string]int{}}
}

// add puts a product on sale.
func (c *catalog) add(id, currency string, price int64, stock int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.products[id] = usecase.Product{ID: id, Slug: "slug-" + id, Name: "Product " + id, Price: domain.Money{Currency: currency, AmountMinor: price}}
	c.stock[id] = stock
}

// enter counts a call and runs the gate; it fails while catalog is down.
func (c *catalog) enter(method string) error {
	c.mu.Lock()
	c.calls[method]++
	gate := c.gate
	c.mu.Unlock()
	if gate != nil {
		gate(method)
	}
	c.mu.Lock()
	down := c.down
	c.mu.Unlock()
	if down {
		return apperr.Unavailable(errors.New("catalog is down"))
	}
	return nil
}

func (c *catalog) Product(_ context.Context, id string) (usecase.Product, error) {
	if err := c.enter("Product"); err != nil {
		return usecase.Product{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.products[id]
	if !ok {
		return usecase.Product{}, apperr.NotFound("product", id)
	}
	return p, nil
}

func (c *catalog) Reserve(_ context.Context, id string, items []domain.CartItem) error {
	if err := c.enter("Reserve"); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.reservations[id]; ok {
		return nil
	}
	for i, it := range items {
		if c.stock[it.ProductID] < it.Quantity {
			return &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "insufficient stock",
				Fields: []apperr.FieldViolation{{Field: fmt.Sprintf("items[%d].quantity", i), Reason: fmt.Sprintf("only %d left", c.stock[it.ProductID])}}}
		}
	}
	for _, it := range items {
		c.stock[it.ProductID] -= it.Quantity
	}
	c.reservations[id] = &reservation{items: items, status: held}
	return nil
}

func (c *catalog) Confirm(_ context.Context, id string) error {
	if err := c.enter("Confirm"); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.faulty("Confirm", id); err != nil {
		return err
	}
	r, ok := c.reservations[id]
	switch {
	case !ok:
		return apperr.NotFound("reservation", id)
	case r.status == held || r.status == confirmed:
		r.status = confirmed
		return nil
	}
	return apperr.New(apperr.KindFailedPrecondition, "reservation %s is %s", id, r.status)
}

func (c *catalog) Release(_ context.Context, id string) error {
	if err := c.enter("Release"); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.faulty("Release", id); err != nil {
		return err
	}
	if r, ok := c.reservations[id]; ok && (r.status == held || r.status == confirmed) {
		c.finish(r, released)
	}
	return nil
}

// faulty asks fault about a call (c.mu held).
func (c *catalog) faulty(method, reservationID string) error {
	if c.fault == nil {
		return nil
	}
	return c.fault(method, reservationID)
}

// expire ends a held reservation as catalog's sweep does when its time is up.
func (c *catalog) expire(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.reservations[id]; r != nil && r.status == held {
		c.finish(r, expired)
	}
}

func (c *catalog) finish(r *reservation, status string) {
	for _, it := range r.items {
		c.stock[it.ProductID] += it.Quantity
	}
	r.status = status
}

func (c *catalog) reservationStatus(id string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.reservations[id]; r != nil {
		return r.status
	}
	return ""
}

func (c *catalog) stockOf(id string) int32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stock[id]
}

func (c *catalog) callsTo(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[method]
}

func (c *catalog) set(fn func(*catalog)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn(c)
}

// cart stands in for the caller's cart in the cart service: every caller
// sees the same items (per-user carts are cart's business, tested there).
type cart struct {
	mu      sync.Mutex
	items   []domain.CartItem
	version int64
	cleared []int64 // versions Clear was called with
}

func (c *cart) Items(context.Context) ([]domain.CartItem, int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]domain.CartItem(nil), c.items...), c.version, nil
}

func (c *cart) Clear(_ context.Context, version int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cleared = append(c.cleared, version)
	return nil
}

func (c *cart) fill(items ...domain.CartItem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = items
	c.version++
}

func (c *cart) clearedVersions() []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]int64(nil), c.cleared...)
}

// flaky is the simulated provider with a fault switch: while failing is set
// every charge fails the way a provider outage does (outcome unknown).
type flaky struct {
	usecase.Payments
	mu      sync.Mutex
	failing bool
}

func (f *flaky) Charge(ctx context.Context, req domain.ChargeRequest) (domain.Charge, error) {
	f.mu.Lock()
	failing := f.failing
	f.mu.Unlock()
	if failing {
		return domain.Charge{}, errors.New("payment provider timed out")
	}
	return f.Payments.Charge(ctx, req)
}

func (f *flaky) fail(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing = on
}
