package app_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// The database goes away and comes back: catalog reports not ready, answers
// 503 / Unavailable without crashing, and recovers on its own.
func TestDatabaseDownThenBack(t *testing.T) {
	c := startCatalog(t, nil)
	hc := healthpb.NewHealthClient(c.conn)
	if code, _ := stacktest.Call(t, "GET", c.admin+"/readyz", "", nil); code != 200 {
		t.Fatalf("readyz before = %d", code)
	}

	srv := pgtest.Server()
	if err := srv.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	restarted := false
	t.Cleanup(func() { // keep the shared server up for other tests, even on failure
		if !restarted {
			_ = srv.Start(context.Background())
		}
	})

	code, body := stacktest.Call(t, "GET", c.admin+"/readyz", "", nil)
	if code != 503 {
		t.Fatalf("readyz with database down = %d %v, want 503", code, body)
	}
	code, body = stacktest.Call(t, "GET", c.rest+"/v1/products/storm-lantern", "", nil)
	if code != 503 || body["code"] != "UNAVAILABLE" {
		t.Fatalf("REST with database down = %d %v, want 503 UNAVAILABLE", code, body)
	}
	_, err := c.client.ListCategories(context.Background(), &catalogv1.ListCategoriesRequest{})
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("gRPC with database down = %v, want Unavailable", err)
	}
	stacktest.Eventually(t, 10*time.Second, "gRPC health NOT_SERVING", func() bool {
		r, err := hc.Check(context.Background(), &healthpb.HealthCheckRequest{})
		return err == nil && r.GetStatus() == healthpb.HealthCheckResponse_NOT_SERVING
	})

	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	restarted = true
	stacktest.Eventually(t, 30*time.Second, "readyz 200 after the database returned", func() bool {
		return stacktest.Probe(c.admin+"/readyz") == 200
	})
	stacktest.Eventually(t, 10*time.Second, "REST 200 after the database returned", func() bool {
		return stacktest.Probe(c.rest+"/v1/products/storm-lantern") == 200
	})
	stacktest.Eventually(t, 10*time.Second, "gRPC health SERVING again", func() bool {
		r, err := hc.Check(context.Background(), &healthpb.HealthCheckRequest{})
		return err == nil && r.GetStatus() == healthpb.HealthCheckResponse_SERVING
	})
}
