package upstream_test

import (
	"context"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/cart/domain"
	"github.com/shipshape-dev/shipshape/internal/cart/upstream"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

const id = "0b7f0c42-5d5e-4a5f-9f55-3c1c2a4d7e10"

// fakeCatalog answers GetProduct with err, or with a lantern.
type fakeCatalog struct {
	catalogv1.UnimplementedCatalogServiceServer
	err error
}

func (f *fakeCatalog) GetProduct(_ context.Context, req *catalogv1.GetProductRequest) (*catalogv1.GetProductResponse, error) {
	if f.err != nil {
		return nil, f.err
	}
	return &catalogv1.GetProductResponse{Product: &catalogv1.Product{
		Id: req.GetIdOrSlug(), Slug: "storm-lantern", Name: "Storm Lantern", ImageUrl: "/v1/images/storm-lantern.svg",
		Price: &catalogv1.Money{CurrencyCode: "EUR", AmountMinor: 4500}, Stock: 7}}, nil
}

func start(t *testing.T, f *fakeCatalog) *upstream.Lookup {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	catalogv1.RegisterCatalogServiceServer(srv, f)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return upstream.New(catalogv1.NewCatalogServiceClient(conn))
}

func TestProductConvertsCatalogsAnswer(t *testing.T) {
	p, err := start(t, &fakeCatalog{}).Product(t.Context(), id)
	want := domain.Product{ID: id, Slug: "storm-lantern", Name: "Storm Lantern", ImageURL: "/v1/images/storm-lantern.svg",
		Price: domain.Money{Currency: "EUR", AmountMinor: 4500}, Stock: 7}
	if err != nil || p != want {
		t.Fatalf("got %+v, %v", p, err)
	}
}

func TestProductMapsCatalogErrors(t *testing.T) {
	cases := []struct {
		code  codes.Code
		kind  apperr.Kind
		field string
	}{
		{codes.NotFound, apperr.KindNotFound, "productId"},
		{codes.Unavailable, apperr.KindUnavailable, ""},
		{codes.DeadlineExceeded, apperr.KindUnavailable, ""},
		{codes.ResourceExhausted, apperr.KindUnavailable, ""},
		{codes.InvalidArgument, apperr.KindInternal, ""},
		{codes.Unauthenticated, apperr.KindInternal, ""},
		{codes.Internal, apperr.KindInternal, ""},
	}
	for _, tc := range cases {
		t.Run(tc.code.String(), func(t *testing.T) {
			_, err := start(t, &fakeCatalog{err: status.Error(tc.code, "catalog says no")}).Product(t.Context(), id)
			if _, isStatus := status.FromError(err); isStatus {
				t.Fatalf("catalog's status leaked through: %v", err)
			}
			e := apperr.As(err)
			if e.Kind != tc.kind {
				t.Fatalf("got %v, want kind %d", err, tc.kind)
			}
			if tc.field != "" && (len(e.Fields) != 1 || e.Fields[0].Field != tc.field) {
				t.Fatalf("fields %v, want %s", e.Fields, tc.field)
			}
		})
	}
}

func TestProductReportsTheCallersOwnCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := start(t, &fakeCatalog{}).Product(ctx, id)
	if err != context.Canceled {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestProductWithCatalogGoneIsUnavailable(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	_ = lis.Close() // nothing listens there now
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, err = upstream.New(catalogv1.NewCatalogServiceClient(conn)).Product(t.Context(), id)
	if !apperr.Is(err, apperr.KindUnavailable) {
		t.Fatalf("got %v, want Unavailable", err)
	}
}
