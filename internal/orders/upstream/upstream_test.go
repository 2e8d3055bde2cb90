package upstream_test

import (
	"context"
	"net"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/upstream"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

const (
	productID     = "0b7f0c42-5d5e-4a5f-9f55-3c1c2a4d7e10"
	reservationID = "6f1d3a52-8c0e-4a47-b1f6-2d9e5c7a4b21"
)

// services answers as catalog and cart would: with err when set (as the
// real servers send it, field violations included), and records the
// requests it got.
type services struct {
	catalogv1.UnimplementedCatalogServiceServer
	cartv1.UnimplementedCartServiceServer
	mu       sync.Mutex
	err      error
	reserved *catalogv1.ReserveStockRequest
	cleared  *cartv1.ClearCartRequest
}

func (s *services) fail() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		return nil
	}
	return apperr.ToStatus(s.err).Err()
}

func (s *services) GetProduct(_ context.Context, req *catalogv1.GetProductRequest) (*catalogv1.GetProductResponse, error) {
	if err := s.fail(); err != nil {
		return nil, err
	}
	return &catalogv1.GetProductResponse{Product: &catalogv1.Product{Id: req.GetIdOrSlug(), Slug: "storm-lantern",
		Name: "Storm Lantern", Price: &catalogv1.Money{CurrencyCode: "EUR", AmountMinor: 3290}, Stock: 7}}, nil
}

func (s *services) ReserveStock(_ context.Context, req *catalogv1.ReserveStockRequest) (*catalogv1.ReserveStockResponse, error) {
	s.mu.Lock()
	s.reserved = req
	s.mu.Unlock()
	return &catalogv1.ReserveStockResponse{}, s.fail()
}

func (s *services) ConfirmReservation(context.Context, *catalogv1.ConfirmReservationRequest) (*catalogv1.ConfirmReservationResponse, error) {
	return &catalogv1.ConfirmReservationResponse{}, s.fail()
}

func (s *services) ReleaseStock(context.Context, *catalogv1.ReleaseStockRequest) (*catalogv1.ReleaseStockResponse, error) {
	return &catalogv1.ReleaseStockResponse{}, s.fail()
}

func (s *services) GetCart(context.Context, *cartv1.GetCartRequest) (*cartv1.GetCartResponse, error) {
	if err := s.fail(); err != nil {
		return nil, err
	}
	return &cartv1.GetCartResponse{Cart: &cartv1.Cart{Version: 7, Items: []*cartv1.CartItem{
		{ProductId: productID, Quantity: 2, Name: "Storm Lantern"}}}}, nil
}

func (s *services) ClearCart(_ context.Context, req *cartv1.ClearCartRequest) (*cartv1.ClearCartResponse, error) {
	s.mu.Lock()
	s.cleared = req
	s.mu.Unlock()
	return &cartv1.ClearCartResponse{}, s.fail()
}

// requests returns the last ReserveStock and ClearCart requests.
func (s *services) requests() (*catalogv1.ReserveStockRequest, *cartv1.ClearCartRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reserved, s.cleared
}

func (s *services) failWith(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

// start serves s on a loopback port and returns orders' adapters over it.
func start(t *testing.T) (*services, upstream.Catalog, upstream.Cart) {
	t.Helper()
	s := &services{}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	catalogv1.RegisterCatalogServiceServer(srv, s)
	cartv1.RegisterCartServiceServer(srv, s)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return s, upstream.Catalog{Client: catalogv1.NewCatalogServiceClient(conn)}, upstream.Cart{Client: cartv1.NewCartServiceClient(conn)}
}

func TestCatalogAnswersAreConverted(t *testing.T) {
	s, cat, _ := start(t)
	p, err := cat.Product(t.Context(), productID)
	want := usecase.Product{ID: productID, Slug: "storm-lantern", Name: "Storm Lantern", Price: domain.Money{Currency: "EUR", AmountMinor: 3290}}
	if err != nil || p != want {
		t.Fatalf("product = %+v, %v", p, err)
	}
	items := []domain.CartItem{{ProductID: productID, Quantity: 2}}
	if err := cat.Reserve(t.Context(), reservationID, items); err != nil {
		t.Fatal(err)
	}
	r, _ := s.requests()
	if r.GetReservationId() != reservationID || r.GetTtlSeconds() != 30*60 || len(r.GetItems()) != 1 ||
		r.GetItems()[0].GetProductId() != productID || r.GetItems()[0].GetQuantity() != 2 {
		t.Fatalf("ReserveStock got %v", r)
	}
}

// Catalog's statuses become the error model the use cases decide on: final
// answers keep their kind and fields, anything that is an outage for orders
// becomes Unavailable.
func TestCatalogStatusesMapToTheErrorModel(t *testing.T) {
	s, cat, _ := start(t)
	cases := []struct {
		name  string
		err   error
		kind  apperr.Kind
		field string
	}{
		{"not enough stock", &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "insufficient stock",
			Fields: []apperr.FieldViolation{{Field: "items[0].quantity", Reason: "only 1 left"}}}, apperr.KindFailedPrecondition, "items[0].quantity"},
		{"unknown product", apperr.NotFound("product", productID), apperr.KindNotFound, ""},
		{"bad request", apperr.InvalidField("reservationId", "must be a UUID"), apperr.KindInvalidArgument, "reservationId"},
		{"catalog unavailable", apperr.Unavailable(nil), apperr.KindUnavailable, ""},
		{"catalog's internal error", apperr.Internal(nil), apperr.KindUnavailable, ""},
		{"catalog's deadline", status.Error(codes.DeadlineExceeded, "slow"), apperr.KindUnavailable, ""},
		// Catalog refusing orders' own identity is orders' fault, never the
		// shopper's: no "sign in again" for a misconfigured service.
		{"catalog refuses orders' token", apperr.New(apperr.KindUnauthenticated, "service token required"), apperr.KindUnavailable, ""},
		{"catalog forbids orders", apperr.New(apperr.KindPermissionDenied, "not allowed"), apperr.KindUnavailable, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s.failWith(tc.err)
			for name, call := range map[string]func() error{
				"Product": func() error { _, err := cat.Product(t.Context(), productID); return err },
				"Reserve": func() error { return cat.Reserve(t.Context(), reservationID, nil) },
				"Confirm": func() error { return cat.Confirm(t.Context(), reservationID) },
			} {
				err := call()
				e := apperr.As(err)
				if err == nil || e.Kind != tc.kind {
					t.Fatalf("%s: %v, want kind %d", name, err, tc.kind)
				}
				if tc.field != "" && (len(e.Fields) != 1 || e.Fields[0].Field != tc.field) {
					t.Fatalf("%s: fields %v, want %s", name, e.Fields, tc.field)
				}
			}
		})
	}
}

// Release is how orders undoes a reservation that may never have reached
// catalog (a crash before it arrived): unknown counts as released.
func TestReleaseOfAnUnknownReservationSucceeds(t *testing.T) {
	s, cat, _ := start(t)
	s.failWith(apperr.NotFound("reservation", reservationID))
	if err := cat.Release(t.Context(), reservationID); err != nil {
		t.Fatalf("release of an unknown reservation: %v", err)
	}
	s.failWith(apperr.Unavailable(nil))
	if err := cat.Release(t.Context(), reservationID); !apperr.Is(err, apperr.KindUnavailable) {
		t.Fatalf("release while catalog is down: %v, want Unavailable", err)
	}
}

func TestCartItemsAndClear(t *testing.T) {
	s, _, cart := start(t)
	items, version, err := cart.Items(t.Context())
	if err != nil || version != 7 || len(items) != 1 || items[0] != (domain.CartItem{ProductID: productID, Quantity: 2}) {
		t.Fatalf("items = %v, version %d, %v", items, version, err)
	}
	err = cart.Clear(t.Context(), 7)
	if _, cleared := s.requests(); err != nil || cleared.GetIfVersion() != 7 {
		t.Fatalf("clear: %v, request %v", err, cleared)
	}
	s.failWith(apperr.New(apperr.KindUnauthenticated, "authentication required"))
	if _, _, err := cart.Items(t.Context()); !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("cart refusing the caller: %v, want Unauthenticated", err)
	}
	s.failWith(apperr.Internal(nil))
	if err := cart.Clear(t.Context(), 7); !apperr.Is(err, apperr.KindUnavailable) {
		t.Fatalf("cart's internal error: %v, want Unavailable", err)
	}
}
