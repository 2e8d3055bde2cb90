package clustertest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// Target is one request of a Load: a GET of URL with Header. Once sends
// it so that the client never repeats it on another connection (a one-byte
// body it cannot replay): Go's client otherwise sends a GET again, unseen,
// when the connection it was written on closes first, which would hide a
// request a server dropped. Pace is how long a worker waits after sending
// it: a rate under a server's per-client limit.
type Target struct {
	URL    string
	Header stacktest.Header
	Once   bool
	Pace   time.Duration
}

// Load sends GETs from its workers, each going round the targets, until
// Finish, counting successes and failures (any transport error or a status
// other than 200) and keeping the first failures' descriptions.
type Load struct {
	OK, Failed atomic.Int64
	mu         sync.Mutex
	errors     []string
	stop       chan struct{}
	stopOnce   sync.Once
	done       sync.WaitGroup
}

// StartLoad starts workers goroutines sending targets' requests.
func StartLoad(workers int, targets ...Target) *Load {
	return StartLoadWith(&http.Client{Timeout: 10 * time.Second}, workers, targets...)
}

// StartLoadWith is StartLoad with the client given (e.g. an EdgeClient).
func StartLoadWith(client *http.Client, workers int, targets ...Target) *Load {
	l := &Load{stop: make(chan struct{})}
	for w := range workers {
		l.done.Add(1)
		go func() {
			defer l.done.Done()
			for i := w; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				tg := targets[i%len(targets)]
				l.send(client, tg)
				if tg.Pace > 0 {
					select {
					case <-l.stop:
						return
					case <-time.After(tg.Pace):
					}
				}
			}
		}()
	}
	return l
}

func (l *Load) send(client *http.Client, tg Target) {
	req, err := http.NewRequest(http.MethodGet, tg.URL, nil)
	if err != nil {
		panic(err)
	}
	if tg.Once {
		req.Body, req.ContentLength = io.NopCloser(strings.NewReader(" ")), 1
	}
	for k, v := range tg.Header {
		req.Header.Set(k, v)
	}
	status := 0
	resp, err := client.Do(req)
	if err == nil {
		status = resp.StatusCode
		_ = resp.Body.Close()
	}
	if err == nil && status == http.StatusOK {
		l.OK.Add(1)
		return
	}
	l.Failed.Add(1)
	l.mu.Lock()
	if len(l.errors) < 20 {
		l.errors = append(l.errors, fmt.Sprintf("%s %s: status %d, error %v", time.Now().Format("15:04:05.000"), tg.URL, status, err))
	}
	l.mu.Unlock()
	// a refused or unroutable request fails at once: without a pause a
	// dead backend would turn the load into a busy loop
	time.Sleep(10 * time.Millisecond)
}

// Finish stops the load once at least extra more requests were sent, so
// traffic demonstrably continued after the event under test.
func (l *Load) Finish(t testing.TB, extra int64) {
	t.Helper()
	target := l.OK.Load() + extra
	stacktest.Eventually(t, 2*time.Minute, "traffic to continue", func() bool {
		return l.OK.Load()+l.Failed.Load() >= target
	})
	l.Stop()
}

// Stop ends the load at once and waits for its workers; after Finish, or a
// second time, it does nothing. A test registers it with t.Cleanup, so a
// failure never leaves the load running.
func (l *Load) Stop() {
	l.stopOnce.Do(func() { close(l.stop) })
	l.done.Wait()
}

func (l *Load) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return fmt.Sprintf("%d requests succeeded, %d failed %v", l.OK.Load(), l.Failed.Load(), l.errors)
}
