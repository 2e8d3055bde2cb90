package e2e_test

import (
	"context"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// costMeter says where a benchmark's work went, as evidence of what bounds
// it: CPU of the benchmark process (the client and the four services, which
// run in it) and of PostgreSQL, both per unit of work; the writing
// transactions per unit (transaction ids handed out); and what PostgreSQL's
// backends were doing while inside a transaction, sampled from
// pg_stat_activity: running, waiting for a lock, or waiting for the
// application's next statement.
type costMeter struct {
	pool         *pgxpool.Pool
	goCPU, pgCPU time.Duration
	xid          int64
	stop         chan struct{}
	stopOnce     sync.Once
	done         sync.WaitGroup
	mu           sync.Mutex
	states       map[string]int // samples of in-transaction backends by state
	samplesTaken int
}

// samplePeriod: 50 samples a second cost PostgreSQL little beside the
// thousands of statements a second the benchmarks run.
const samplePeriod = 20 * time.Millisecond

func startCosts(b *testing.B) *costMeter {
	b.Helper()
	srv := pgtest.Server()
	pool, err := pgxpool.New(context.Background(), srv.URL("postgres"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	m := &costMeter{pool: pool, stop: make(chan struct{}), states: map[string]int{}}
	m.goCPU, m.pgCPU, m.xid = processCPU(b), postgresCPU(b), m.nextXID(b)
	m.done.Go(m.sample)
	b.Cleanup(m.stopSampling) // also when the benchmark fails before report
	return m
}

func (m *costMeter) stopSampling() {
	m.stopOnce.Do(func() { close(m.stop) })
	m.done.Wait()
}

// report adds the per-unit metrics to the benchmark's line.
func (m *costMeter) report(b *testing.B, units int, unit string) {
	b.Helper()
	m.stopSampling()
	goCPU, pgCPU, xid := processCPU(b), postgresCPU(b), m.nextXID(b)
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(units) }
	b.ReportMetric(per(goCPU-m.goCPU), "go-cpu-ms/"+unit)
	b.ReportMetric(per(pgCPU-m.pgCPU), "pg-cpu-ms/"+unit)
	// minus the meter's own second call
	b.ReportMetric(float64(xid-m.xid-1)/float64(units), "writes/"+unit)
	m.mu.Lock()
	defer m.mu.Unlock()
	inTx := 0
	for _, n := range m.states {
		inTx += n
	}
	if inTx == 0 || m.samplesTaken == 0 {
		return
	}
	b.ReportMetric(float64(inTx)/float64(m.samplesTaken), "backends-in-tx")
	for _, s := range []string{"running", "lock", "app", "other"} {
		b.ReportMetric(100*float64(m.states[s])/float64(inTx), "pct-"+s)
	}
}

// nextXID hands out a transaction id: the difference of two is the number
// of writing transactions in between, plus one.
func (m *costMeter) nextXID(b *testing.B) int64 {
	var xid int64
	if err := m.pool.QueryRow(context.Background(), `SELECT pg_current_xact_id()::text::bigint`).Scan(&xid); err != nil {
		b.Fatal(err)
	}
	return xid
}

// sample counts, every samplePeriod, the client backends inside a
// transaction by what they are doing.
func (m *costMeter) sample() {
	t := time.NewTicker(samplePeriod)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
		rows, err := m.pool.Query(context.Background(), `SELECT state, coalesce(wait_event_type, '')
			FROM pg_stat_activity
			WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
			  AND state IN ('active', 'idle in transaction')`)
		if err != nil {
			continue // the next tick tries again; a missed sample only thins the statistics
		}
		counts := map[string]int{}
		for rows.Next() {
			var state, wait string
			if rows.Scan(&state, &wait) == nil {
				counts[backendActivity(state, wait)]++
			}
		}
		if rows.Close(); rows.Err() != nil {
			continue
		}
		m.mu.Lock()
		m.samplesTaken++
		for k, n := range counts {
			m.states[k] += n
		}
		m.mu.Unlock()
	}
}

// backendActivity names what a backend inside a transaction is doing.
func backendActivity(state, wait string) string {
	switch {
	case state == "idle in transaction":
		return "app" // between statements: the application has the turn
	case wait == "":
		return "running"
	case wait == "Lock":
		return "lock" // a row or relation lock another transaction holds
	default:
		return "other" // LWLock, IO, IPC, client I/O inside a statement
	}
}

// processCPU is the CPU this process has used, user and system.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postgresCPU is the CPU the tests' PostgreSQL server has used.
func postgresCPU(b *testing.B) time.Duration {
	d, err := pgtest.Server().CPUTime()
	if err != nil {
		b.Fatal(err)
	}
	return d
}
