package usecase

import (
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestReservationOutcomes(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	m.reserved([]domain.StockItem{{ProductID: "a", Quantity: 2}, {ProductID: "b", Quantity: 3}}, nil)
	m.reserved(nil, apperr.New(apperr.KindFailedPrecondition, "insufficient stock"))
	m.reserved(nil, apperr.NotFound("product", "x"))
	m.reserved(nil, apperr.InvalidField("items", "required"))
	m.reserved(nil, errors.New("boom"))
	m.ended(domain.StatusExpired, 4)
	for outcome, want := range map[string]float64{"reserved": 1, "insufficient_stock": 1, "unknown_product": 1, "invalid": 1, "error": 1} {
		if got := testutil.ToFloat64(m.reservations.WithLabelValues(outcome)); got != want {
			t.Errorf("%s = %v, want %v", outcome, got, want)
		}
	}
	if got := testutil.ToFloat64(m.units); got != 5 {
		t.Errorf("units = %v, want 5", got)
	}
	if got := testutil.ToFloat64(m.finished.WithLabelValues("expired")); got != 4 {
		t.Errorf("expired = %v, want 4", got)
	}
}
