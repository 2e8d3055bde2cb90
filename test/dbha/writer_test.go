package dbha_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// ackWriter inserts numbered rows into acks, one autocommit transaction
// each, like an application would, through whichever member accepts writes,
// and records every id whose COMMIT returned success. Those are the writes
// the cluster promised to keep.
//
// There is deliberately no statement_timeout: cancelling a commit that waits
// for the synchronous standby makes PostgreSQL report success for a row
// that exists only on the leader, which a failover may then lose.
type ackWriter struct {
	dsn    string
	cancel context.CancelFunc
	done   chan struct{}

	mu        sync.Mutex
	acked     []int64
	ackedPort map[int]int       // server port -> rows acknowledged there
	firstAck  map[int]time.Time // server port -> when it first acknowledged one
	failed    int               // inserts or connects that returned an error
}

// startWriter writes through a multi-host connection string that accepts
// only a read-write server, so after a failover it finds the new leader.
func startWriter(c *cluster) *ackWriter {
	var hosts, ports []string
	for _, m := range c.members {
		hosts = append(hosts, "127.0.0.1")
		ports = append(ports, fmt.Sprint(m.pgPort))
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &ackWriter{
		dsn: fmt.Sprintf("host=%s port=%s user=postgres password=%s dbname=postgres sslmode=disable "+
			"connect_timeout=2 target_session_attrs=read-write application_name=ackwriter",
			strings.Join(hosts, ","), strings.Join(ports, ","), superPassword),
		cancel:    cancel,
		done:      make(chan struct{}),
		ackedPort: map[int]int{},
		firstAck:  map[int]time.Time{},
	}
	go w.run(ctx)
	c.t.Cleanup(w.stop)
	return w
}

func (w *ackWriter) run(ctx context.Context) {
	defer close(w.done)
	var conn *pgx.Conn
	var port int
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	pace := time.NewTicker(10 * time.Millisecond)
	defer pace.Stop()
	for id := int64(1); ctx.Err() == nil; id++ {
		if conn == nil {
			var err error
			if conn, port, err = w.connect(ctx); err != nil {
				w.fail()
				id-- // nothing was sent with this id
				// No server accepts writes yet (failover in progress).
				select {
				case <-ctx.Done():
				case <-time.After(100 * time.Millisecond):
				}
				continue
			}
		}
		// An error leaves the row's fate unknown: it is not counted, and
		// its id is never reused.
		if _, err := conn.Exec(ctx, "INSERT INTO acks (id) VALUES ($1)", id); err != nil {
			w.fail()
			conn.Close(context.Background())
			conn = nil
			continue
		}
		w.mu.Lock()
		w.acked = append(w.acked, id)
		if w.ackedPort[port] == 0 {
			w.firstAck[port] = time.Now()
		}
		w.ackedPort[port]++
		w.mu.Unlock()
		waitTick(ctx, pace)
	}
}

func (w *ackWriter) connect(ctx context.Context) (*pgx.Conn, int, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, w.dsn)
	if err != nil {
		return nil, 0, err
	}
	port := 0
	if addr, ok := conn.PgConn().Conn().RemoteAddr().(*net.TCPAddr); ok {
		port = addr.Port
	}
	return conn, port, nil
}

func waitTick(ctx context.Context, tick *time.Ticker) {
	select {
	case <-ctx.Done():
	case <-tick.C:
	}
}

func (w *ackWriter) fail() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.failed++
}

// stop ends the writer and waits for it. A commit in flight is cancelled
// and, having returned an error, not counted.
func (w *ackWriter) stop() {
	w.cancel()
	<-w.done
}

// ackedOn is how many rows the server on port acknowledged.
func (w *ackWriter) ackedOn(port int) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ackedPort[port]
}

// firstAckOn is when the server on port first acknowledged a row.
func (w *ackWriter) firstAckOn(port int) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.firstAck[port]
}

// ackedIDs returns a copy of every acknowledged id.
func (w *ackWriter) ackedIDs() []int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]int64(nil), w.acked...)
}

// failures is how many inserts or connects returned an error.
func (w *ackWriter) failures() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.failed
}
