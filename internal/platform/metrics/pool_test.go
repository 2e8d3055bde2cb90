package metrics

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestRegisterPool(t *testing.T) {
	// A pool never connects until asked to; nothing listens on port 1, and
	// the only acquire below is canceled before dialling.
	pool, err := pgxpool.New(t.Context(), "postgres://u@127.0.0.1:1/db?pool_max_conns=3")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	reg := prometheus.NewRegistry()
	if err := RegisterPool(reg, pool.Stat); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := pool.Acquire(ctx); err == nil {
		t.Fatal("acquire with canceled ctx succeeded")
	}

	want := map[string]float64{
		"pgxpool_max_conns":                      3,
		"pgxpool_total_conns":                    0,
		"pgxpool_idle_conns":                     0,
		"pgxpool_acquired_conns":                 0,
		"pgxpool_acquire_count_total":            0,
		"pgxpool_acquire_duration_seconds_total": 0,
		"pgxpool_empty_acquire_count_total":      0,
		"pgxpool_canceled_acquire_count_total":   1,
	}
	for name, v := range want {
		m := find(t, reg, name, nil)
		got := m.GetGauge().GetValue() + m.GetCounter().GetValue()
		if got != v {
			t.Errorf("%s = %v, want %v", name, got, v)
		}
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", err, problems)
	}
	if err := RegisterPool(reg, pool.Stat); err == nil {
		t.Error("second RegisterPool on one registry should fail")
	}
}

func TestRegisterPoolNilStat(t *testing.T) {
	reg := prometheus.NewRegistry()
	if err := RegisterPool(reg, func() *pgxpool.Stat { return nil }); err != nil {
		t.Fatal(err)
	}
	if n, err := testutil.GatherAndCount(reg); err != nil || n != 0 {
		t.Fatalf("got %d series, %v", n, err)
	}
}
