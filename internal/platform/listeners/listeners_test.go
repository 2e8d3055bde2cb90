package listeners

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/shipshape-dev/shipshape/internal/freeport"
	"github.com/shipshape-dev/shipshape/internal/platform/metrics"
)

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	addr, err := freeport.Addr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestListenNamesTakenPortAndReleasesOthers(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	httpAddr, grpcAddr := freeAddr(t), freeAddr(t)

	l, err := listen(Config{HTTPAddr: httpAddr, GRPCAddr: grpcAddr, AdminAddr: taken.Addr().String()})
	if err == nil {
		l.close()
		t.Fatal("listen succeeded on a taken port")
	}
	if !strings.HasPrefix(err.Error(), "ADMIN_ADDR: ") {
		t.Fatalf("error %q does not name ADMIN_ADDR", err)
	}
	// The ports bound before the failure must be free again.
	for _, addr := range []string{httpAddr, grpcAddr} {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("%s still bound after the failed listen: %v", addr, err)
		}
		_ = l.Close()
	}
}

func TestListenBindsAll(t *testing.T) {
	l, err := listen(Config{HTTPAddr: "127.0.0.1:0", GRPCAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	if l.http == nil || l.grpc == nil || l.admin == nil {
		t.Fatalf("missing listener: %+v", l)
	}
}

// running is a service started by startRun.
type running struct {
	addrs   Addrs
	cancel  context.CancelFunc
	done    chan struct{}
	err     error // valid once done is closed
	healthy atomic.Bool
	closed  atomic.Bool
}

// startRun runs a service with no RPCs of its own and one readiness check
// controlled by r.healthy; it is stopped when the test ends.
func startRun(t *testing.T, options ...func(*Options)) *running {
	t.Helper()
	r := &running{done: make(chan struct{})}
	r.healthy.Store(true)
	listening := make(chan Addrs, 1)
	o := Options{
		Name: "test",
		Config: Config{HTTPAddr: "127.0.0.1:0", GRPCAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0",
			DrainDelay: 0, ShutdownTimeout: 5 * time.Second, HealthInterval: 50 * time.Millisecond},
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry:     metrics.NewRegistry(),
		RegisterGRPC: func(*grpc.Server) {},
		RegisterREST: func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error { return nil },
		ReadyChecks: map[string]Check{"flag": func(context.Context) error {
			if r.healthy.Load() {
				return nil
			}
			return errors.New("flag is down")
		}},
		Closers:   []func(context.Context) error{func(context.Context) error { r.closed.Store(true); return nil }},
		Listening: func(a Addrs) { listening <- a },
	}
	for _, option := range options {
		option(&o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		r.err = Run(ctx, o)
		close(r.done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(15 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	select {
	case r.addrs = <-listening:
	case <-r.done:
		t.Fatalf("Run returned before listening: %v", r.err)
	}
	return r
}

var testClient = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := testClient.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// errorBody is the JSON error of the REST facade.
type errorBody struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"requestId"`
	Fields    []struct {
		Field string `json:"field"`
	} `json:"fields"`
}

func TestRun(t *testing.T) {
	r := startRun(t)
	admin := "http://" + r.addrs.Admin

	t.Run("probes and metrics", func(t *testing.T) {
		if code, _ := get(t, admin+"/healthz"); code != http.StatusOK {
			t.Fatalf("/healthz %d", code)
		}
		if code, body := get(t, admin+"/readyz"); code != http.StatusOK {
			t.Fatalf("/readyz %d %s", code, body)
		}
		if code, body := get(t, admin+"/metrics"); code != http.StatusOK || len(body) == 0 {
			t.Fatalf("/metrics %d", code)
		}
		r.healthy.Store(false)
		defer r.healthy.Store(true)
		code, body := get(t, admin+"/readyz")
		if code != http.StatusServiceUnavailable || !strings.Contains(string(body), "flag is down") {
			t.Fatalf("/readyz with a failing check: %d %s", code, body)
		}
		if code, _ := get(t, admin+"/healthz"); code != http.StatusOK {
			t.Fatalf("liveness must not follow readiness: /healthz %d", code)
		}
	})

	t.Run("grpc health follows the checks", func(t *testing.T) {
		conn, err := grpc.NewClient(r.addrs.GRPC, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		hc := healthpb.NewHealthClient(conn)
		waitFor := func(want healthpb.HealthCheckResponse_ServingStatus) {
			t.Helper()
			deadline := time.Now().Add(5 * time.Second)
			for {
				resp, err := hc.Check(t.Context(), &healthpb.HealthCheckRequest{})
				if err == nil && resp.GetStatus() == want {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("health never became %v (last: %v, %v)", want, resp.GetStatus(), err)
				}
				time.Sleep(10 * time.Millisecond) // polling interval, not synchronisation
			}
		}
		waitFor(healthpb.HealthCheckResponse_SERVING)
		r.healthy.Store(false)
		defer r.healthy.Store(true)
		waitFor(healthpb.HealthCheckResponse_NOT_SERVING)
	})

	t.Run("unknown REST path", func(t *testing.T) {
		code, raw := get(t, "http://"+r.addrs.HTTP+"/v1/nothing")
		var body errorBody
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if code != http.StatusNotFound || body.Code != "NOT_FOUND" || body.RequestID == "" {
			t.Fatalf("got %d %s", code, raw)
		}
	})

	t.Run("oversized REST body", func(t *testing.T) {
		// A raw request announcing a large body without sending it: the
		// server must refuse on Content-Length alone.
		conn, err := net.Dial("tcp", r.addrs.HTTP)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(conn, "POST /v1/things HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", maxBodyBytes+1)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body errorBody
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		// 413: the same body can never succeed, so no retry-inviting 429.
		if resp.StatusCode != http.StatusRequestEntityTooLarge || body.Code != "RESOURCE_EXHAUSTED" ||
			len(body.Fields) != 1 || body.Fields[0].Field != "body" {
			t.Fatalf("got %d %+v", resp.StatusCode, body)
		}
	})

	r.cancel()
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if r.err != nil {
		t.Fatalf("Run: %v", r.err)
	}
	if !r.closed.Load() {
		t.Fatal("closer did not run")
	}
	for name, addr := range map[string]string{"admin": r.addrs.Admin, "http": r.addrs.HTTP, "grpc": r.addrs.GRPC} {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Errorf("%s listener %s still accepts connections", name, addr)
		}
	}
}
