package dbagent

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// Patroni's /primary contract: 200 leads, 503 does not, anything else is
// an error that must not count as leading.
func TestLeaderCheck(t *testing.T) {
	for _, tc := range []struct {
		status  int
		leader  bool
		wantErr bool
	}{
		{http.StatusOK, true, false},
		{http.StatusServiceUnavailable, false, false},
		{http.StatusInternalServerError, false, true},
		{http.StatusNotFound, false, true},
	} {
		var gotPath, gotMethod string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gotPath, gotMethod = r.URL.Path, r.Method
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(`{"role":"whatever"}`))
		}))
		// A trailing slash in the setting must not make "//primary".
		leader, err := newLeaderCheck(srv.URL + "/").isLeader(t.Context())
		srv.Close()
		if leader != tc.leader || (err != nil) != tc.wantErr {
			t.Errorf("status %d: leader %t, error %v; want leader %t, error %t", tc.status, leader, err, tc.leader, tc.wantErr)
		}
		if gotPath != "/primary" || gotMethod != http.MethodGet {
			t.Errorf("status %d: asked %s %s, want GET /primary", tc.status, gotMethod, gotPath)
		}
	}
}

func TestLeaderCheckUnreachableIsNotLeader(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	leader, err := newLeaderCheck("http://" + addr).isLeader(t.Context())
	if leader || err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("leader %t, error %v; want not leader and connection refused", leader, err)
	}
}

func TestCheckPrimaryOnAPrimary(t *testing.T) {
	state, err := checkPrimary(t.Context(), pgtest.Server().URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if !state.writable || !state.settled || state.String() != "ready" {
		t.Fatalf("a primary that never failed over: %+v (%s), want ready", state, state)
	}
	// The test server does not archive: pg_stat_archiver has no times.
	if state.lastArchived != nil || state.lastArchiveFailure != nil {
		t.Fatalf("archiving times %v, %v from a server that does not archive", state.lastArchived, state.lastArchiveFailure)
	}
}

func TestCheckPrimaryUnreachable(t *testing.T) {
	state, err := checkPrimary(t.Context(), "host="+t.TempDir()+" port=1 user=postgres connect_timeout=2")
	if err == nil || state.writable || state.settled {
		t.Fatalf("state %+v, error %v; want an error and nothing ready", state, err)
	}
}

func TestPrimaryStateNames(t *testing.T) {
	for s, want := range map[primaryState]string{
		{}:                              "still in recovery",
		{writable: true}:                "writable, waiting for the checkpoint on the new timeline",
		{writable: true, settled: true}: "ready",
	} {
		if s.String() != want {
			t.Errorf("%+v: %q, want %q", s, s.String(), want)
		}
	}
}
