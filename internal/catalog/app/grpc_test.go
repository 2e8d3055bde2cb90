package app_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

var lantern = seed.ID("product", "storm-lantern")

// reserve reserves the lantern as orders does.
func reserve(c *catalog, id string, qty int32) error {
	_, err := c.asOrders.ReserveStock(context.Background(), &catalogv1.ReserveStockRequest{
		ReservationId: id, Items: []*catalogv1.StockItem{{ProductId: lantern, Quantity: qty}}})
	return err
}

func TestGRPCConcurrentReservationsNeverOversell(t *testing.T) {
	c := startCatalog(t, nil)
	setStock(t, c, 10)
	var ok, exhausted atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			err := reserve(c, uuid.NewString(), 1)
			switch status.Code(err) {
			case codes.OK:
				ok.Add(1)
			case codes.FailedPrecondition:
				exhausted.Add(1)
			default:
				t.Errorf("unexpected: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 10 || exhausted.Load() != 40 {
		t.Fatalf("%d succeeded and %d were refused; want 10 and 40", ok.Load(), exhausted.Load())
	}
	p, err := c.client.GetProduct(context.Background(), &catalogv1.GetProductRequest{IdOrSlug: lantern})
	if err != nil || p.GetProduct().GetStock() != 0 {
		t.Fatalf("stock after = %d, %v", p.GetProduct().GetStock(), err)
	}
}

func TestGRPCReservationReplayAndRelease(t *testing.T) {
	c := startCatalog(t, nil)
	setStock(t, c, 10)
	id := uuid.NewString()
	for range 3 {
		if err := reserve(c, id, 4); err != nil {
			t.Fatal(err)
		}
	}
	if got := stock(t, c); got != 6 {
		t.Fatalf("stock = %d after three replays of 4, want 6", got)
	}
	r, err := c.asOrders.ReleaseStock(context.Background(), &catalogv1.ReleaseStockRequest{ReservationId: id})
	if err != nil || r.GetReservation().GetStatus() != catalogv1.ReservationStatus_RESERVATION_STATUS_RELEASED {
		t.Fatalf("release = %v, %v", r, err)
	}
	if got := stock(t, c); got != 10 {
		t.Fatalf("stock = %d after release, want 10", got)
	}
}

func TestGRPCBadInputIsInvalidArgumentNamingTheField(t *testing.T) {
	c := startCatalog(t, nil)
	ctx := context.Background()
	cases := []struct {
		name, field string
		call        func() error
	}{
		{"zero quantity", "items[0].quantity", func() error { return reserve(c, uuid.NewString(), 0) }},
		{"negative quantity", "items[0].quantity", func() error { return reserve(c, uuid.NewString(), -2) }},
		{"malformed reservation id", "reservationId", func() error { return reserve(c, "42", 1) }},
		{"no items", "items", func() error {
			_, err := c.asOrders.ReserveStock(ctx, &catalogv1.ReserveStockRequest{ReservationId: uuid.NewString()})
			return err
		}},
		{"malformed product id", "items[0].productId", func() error {
			_, err := c.asOrders.ReserveStock(ctx, &catalogv1.ReserveStockRequest{ReservationId: uuid.NewString(),
				Items: []*catalogv1.StockItem{{ProductId: "lantern", Quantity: 1}}})
			return err
		}},
		{"page size over maximum", "pageSize", func() error {
			_, err := c.client.ListProducts(ctx, &catalogv1.ListProductsRequest{PageSize: 1000})
			return err
		}},
		{"malformed confirm id", "reservationId", func() error {
			_, err := c.asOrders.ConfirmReservation(ctx, &catalogv1.ConfirmReservationRequest{ReservationId: "x"})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := status.Convert(tc.call())
			if st.Code() != codes.InvalidArgument {
				t.Fatalf("code = %v (%s), want InvalidArgument", st.Code(), st.Message())
			}
			fields := apperr.FieldsOf(st)
			if len(fields) == 0 || fields[0].Field != tc.field {
				t.Fatalf("fields = %v, want %s", fields, tc.field)
			}
		})
	}
	_, err := c.client.GetProduct(ctx, &catalogv1.GetProductRequest{IdOrSlug: uuid.NewString()})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("unknown product: %v, want NotFound", err)
	}
	if got := stock(t, c); got != seedStock {
		t.Fatalf("bad input changed stock to %d", got)
	}
	_, err = c.client.CreateProduct(ctx, &catalogv1.CreateProductRequest{})
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("create without token: %v, want Unauthenticated", err)
	}
}

func TestGRPCHealthAndMetrics(t *testing.T) {
	c := startCatalog(t, nil)
	hc := healthpb.NewHealthClient(c.conn)
	for _, svc := range []string{"", "catalog.v1.CatalogService"} {
		stacktest.Eventually(t, 10*time.Second, "SERVING for "+svc, func() bool {
			r, err := hc.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc})
			return err == nil && r.GetStatus() == healthpb.HealthCheckResponse_SERVING
		})
	}
	if status, _ := stacktest.Call(t, "GET", c.rest+"/v1/products?pageSize=1", "", nil); status != 200 {
		t.Fatal(status)
	}
	_ = reserve(c, "bad", 1)
	resp, err := http.Get(c.admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(raw)
	for _, want := range []string{
		`grpc_server_handled_total{grpc_code="InvalidArgument",grpc_method="ReserveStock",grpc_service="catalog.v1.CatalogService"} 1`,
		`grpc_server_handled_total{grpc_code="OK",grpc_method="ListProducts",grpc_service="catalog.v1.CatalogService"} 1`,
		`http_requests_total{code="200",method="GET",route="/v1/products"} 1`,
		`pgxpool_max_conns`,
		`catalog_stock_reservations_total{outcome="invalid"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s\n%s", want, grepLines(text, "http_requests_total"))
		}
	}
	if status, _ := stacktest.Call(t, "GET", c.admin+"/healthz", "", nil); status != 200 {
		t.Fatalf("healthz %d", status)
	}
}

// With the product cache on, reads may lag behind changes made elsewhere by
// up to the TTL, but this replica's own stock changes show at once.
func TestProductCacheServesReadsAndInvalidatesOnReservation(t *testing.T) {
	c := startCatalog(t, map[string]string{"PRODUCT_CACHE_TTL": "1m"})
	if got := stock(t, c); got != seedStock {
		t.Fatalf("stock = %d, want %d", got, seedStock)
	}
	setStock(t, c, 10) // behind the service's back
	if got := stock(t, c); got != seedStock {
		t.Fatalf("stock = %d: the read within the TTL should come from the cache", got)
	}
	if err := reserve(c, uuid.NewString(), 3); err != nil {
		t.Fatal(err)
	}
	if got := stock(t, c); got != 7 {
		t.Fatalf("stock = %d after reserving 3 of 10, want 7 (cache invalidated)", got)
	}
}
