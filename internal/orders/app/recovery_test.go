package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// A paid order whose reservation catalog let go before it was confirmed is
// recorded by the running service's recovery and counted on /metrics, where
// the OrdersReservationLost alert reads it.
func TestRecoveryRecordsALostReservationAndExportsIt(t *testing.T) {
	s := startShop(t, nil)
	c := s.customer(t, "lost")
	s.addToCart(t, c, lantern, 1)
	status, order := s.checkout(t, c, uuid.NewString(), validCard)
	if status != 201 {
		t.Fatalf("checkout: %d %v", status, order)
	}
	// As if the confirmation had failed and the reservation then expired
	// in a long catalog outage.
	id := order["id"].(string)
	conn, err := pgx.Connect(t.Context(), s.ordersDBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var reservation string
	if err := conn.QueryRow(t.Context(), `SELECT reservation_id::text FROM orders WHERE id = $1`, id).Scan(&reservation); err != nil {
		t.Fatal(err)
	}
	if n := sql(t, s.catalogDB, `WITH u AS (UPDATE reservations SET status = 'expired' WHERE id = $1 RETURNING id) SELECT count(*) FROM u`, reservation); n != 1 {
		t.Fatal("reservation not found in catalog")
	}
	if _, err := conn.Exec(t.Context(), `UPDATE orders SET reservation_confirmed = false, created_at = now() - interval '1 hour' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}

	stacktest.Eventually(t, 10*time.Second, "recovery to record the lost reservation", func() bool {
		return s.count(t, `SELECT count(*) FROM orders WHERE reservation_lost_at IS NOT NULL`) == 1
	})
	metrics := scrape(t, s.orders.Admin+"/metrics")
	for _, want := range []string{usecase.MetricReservationsLost + " 1", usecase.MetricAwaitingConfirmation + " 0"} {
		if !strings.Contains(metrics, "\n"+want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}
