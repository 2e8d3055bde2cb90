//go:build cluster

// Package cluster_test runs against the single-node cluster that
// `make test-cluster` starts and deploys (test/cluster/test.sh): the test
// overlay of the development overlay, with images built from this checkout.
// It is built only with -tags cluster, so `go test ./...` never runs it.
package cluster_test

import (
	"fmt"
	"net/http"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

const namespace = "shipshape"

func TestMain(m *testing.M) { clustertest.Main(m) }

// kubectl runs kubectl in the shipshape namespace and returns its output;
// a failure fails the test with kubectl's own message.
func kubectl(t testing.TB, args ...string) string {
	t.Helper()
	return clustertest.Kubectl(t, namespace, args...)
}

func kubectlErr(args ...string) (string, error) { return kubectlErrStdin("", args...) }

// kubectlErrStdin is kubectlErr with stdin, e.g. a manifest for "-f -".
func kubectlErrStdin(stdin string, args ...string) (string, error) {
	return clustertest.KubectlIn(namespace, stdin, args...)
}

// kubectlIn is kubectlErrStdin in another namespace.
var kubectlIn = clustertest.KubectlIn

// object reads one object as JSON.
func object(t testing.TB, kind, name string) map[string]any {
	t.Helper()
	return clustertest.Object(t, namespace, kind, name)
}

// serviceURL is http://<ClusterIP>:<port> of a Service in the shipshape
// namespace.
func serviceURL(t testing.TB, service string, port int) string {
	t.Helper()
	return clustertest.ServiceURL(t, namespace, service, port)
}

func apiURL(t testing.TB) string { return serviceURL(t, "gateway", 8080) + "/api/v1" }

// rolledOut waits until every Deployment and the StatefulSet have all
// their replicas updated and ready, printing the pods' events and logs if
// they do not within the deadline.
func rolledOut(t testing.TB) {
	t.Helper()
	for _, w := range []string{"statefulset/postgres", "deployment/identity", "deployment/catalog",
		"deployment/cart", "deployment/orders", "deployment/gateway", "deployment/web"} {
		if out, err := kubectlErr("rollout", "status", w, "--timeout=240s"); err != nil {
			t.Fatalf("%s did not roll out: %v\n%s\n%s", w, err, out, diagnose())
		}
	}
}

// diagnose is diagnose.sh's report: not-ready pods' events and logs.
func diagnose() string {
	out, _ := exec.Command("bash", "diagnose.sh", namespace).CombinedOutput()
	return string(out)
}

// target is one request of a load: a GET of url with header.
type target struct {
	url    string
	header stacktest.Header
}

// load sends GETs from workers goroutines, each going round the targets,
// until stop is closed, counting successes and failures (any transport
// error or a status other than 200).
type load struct {
	ok, failed atomic.Int64
	mu         sync.Mutex
	errors     []string
	stop       chan struct{}
	done       sync.WaitGroup
}

func startLoad(workers int, targets ...target) *load {
	l := &load{stop: make(chan struct{})}
	client := &http.Client{Timeout: 10 * time.Second}
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
				req, err := http.NewRequest(http.MethodGet, tg.url, nil)
				if err != nil {
					panic(err)
				}
				for k, v := range tg.header {
					req.Header.Set(k, v)
				}
				status := 0
				resp, err := client.Do(req)
				if err == nil {
					status = resp.StatusCode
					_ = resp.Body.Close()
				}
				if err == nil && status == http.StatusOK {
					l.ok.Add(1)
					continue
				}
				l.failed.Add(1)
				l.mu.Lock()
				if len(l.errors) < 20 {
					l.errors = append(l.errors, fmt.Sprintf("%s %s: status %d, error %v", time.Now().Format("15:04:05.000"), tg.url, status, err))
				}
				l.mu.Unlock()
			}
		}()
	}
	return l
}

// finish stops the load once at least extra more requests have succeeded,
// so traffic demonstrably continued after the event under test.
func (l *load) finish(t testing.TB, extra int64) {
	t.Helper()
	target := l.ok.Load() + extra
	stacktest.Eventually(t, 2*time.Minute, "traffic to continue", func() bool {
		return l.ok.Load()+l.failed.Load() >= target
	})
	close(l.stop)
	l.done.Wait()
}

func (l *load) String() string {
	return fmt.Sprintf("%d requests succeeded, %d failed %v", l.ok.Load(), l.failed.Load(), l.errors)
}
