package dbagent

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi/kubeapitest"
	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
)

const roleKey = "shipshape.dev/postgres-role"

// members stands in for the API server's side of the fence: the leader
// lock's annotation and the members' role labels, the list by label
// selector, and JSON patches with test and remove, as the API server
// answers them (a failed test is 422).
type members struct {
	mu     sync.Mutex
	lock   string            // "" : no lock ConfigMap yet
	roles  map[string]string // pod -> role label ("" : none)
	patchs []string          // pods patched, in order
	// beforePatch runs before a patch is applied (a member relabelling
	// itself meanwhile); patchStatus, when set, refuses every patch.
	beforePatch func()
	patchStatus int
}

func (m *members) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+kubeapitest.Token {
		http.Error(w, `{"message":"no token"}`, http.StatusUnauthorized)
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	const ns = "/api/v1/namespaces/shop/"
	switch {
	case r.Method == http.MethodGet && r.URL.Path == ns+"configmaps/shipshape-leader":
		if m.lock == "" {
			http.Error(w, `{"message":"not found"}`, http.StatusNotFound)
			return
		}
		writeJSON(w, map[string]any{"metadata": map[string]any{"annotations": map[string]string{"leader": m.lock}}})
	case r.Method == http.MethodGet && r.URL.Path == ns+"pods":
		if got := r.URL.Query().Get("labelSelector"); got != "shipshape.dev/postgres-cluster=shipshape,"+roleKey+"=master" {
			http.Error(w, `{"message":"unexpected selector `+got+`"}`, http.StatusBadRequest)
			return
		}
		var items []any
		for _, pod := range slices.Sorted(maps.Keys(m.roles)) {
			if m.roles[pod] == "master" {
				items = append(items, map[string]any{"metadata": map[string]string{"name": pod}})
			}
		}
		writeJSON(w, map[string]any{"items": items})
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, ns+"pods/"):
		m.patch(w, r, strings.TrimPrefix(r.URL.Path, ns+"pods/"))
	default:
		http.Error(w, `{"message":"no such route in test"}`, http.StatusNotFound)
	}
}

func (m *members) patch(w http.ResponseWriter, r *http.Request, pod string) {
	if ct := r.Header.Get("Content-Type"); ct != "application/json-patch+json" {
		http.Error(w, `{"message":"content type `+ct+`"}`, http.StatusUnsupportedMediaType)
		return
	}
	if m.beforePatch != nil {
		m.beforePatch()
	}
	if m.patchStatus != 0 {
		http.Error(w, `{"message":"refused"}`, m.patchStatus)
		return
	}
	role, ok := m.roles[pod]
	if !ok {
		http.Error(w, `{"message":"pod not found"}`, http.StatusNotFound)
		return
	}
	var ops []kubeapi.PatchOp
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &ops); err != nil {
		http.Error(w, `{"message":"bad patch"}`, http.StatusBadRequest)
		return
	}
	const path = "/metadata/labels/shipshape.dev~1postgres-role"
	want := []kubeapi.PatchOp{{Op: "test", Path: path, Value: "master"}, {Op: "remove", Path: path}}
	if !slices.Equal(ops, want) {
		http.Error(w, `{"message":"unexpected patch `+string(body)+`"}`, http.StatusBadRequest)
		return
	}
	if role != "master" {
		http.Error(w, `{"message":"test failed"}`, http.StatusUnprocessableEntity)
		return
	}
	m.roles[pod] = ""
	m.patchs = append(m.patchs, pod)
	writeJSON(w, map[string]any{})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// fenceFor runs as member against api, logging into buf.
func fenceFor(t *testing.T, member string, api *members, buf io.Writer) (*fence, *metrics) {
	t.Helper()
	cfg, err := loadConfig(map[string]string{"DBAGENT_MEMBER": member, "KUBERNETES_SERVICE_HOST": "unused"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.API = apiServer(kubeapitest.Serve(t, api))
	cfg.NamespaceFile = t.TempDir() + "/namespace"
	if err := os.WriteFile(cfg.NamespaceFile, []byte("shop\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := newMetrics(prometheus.NewRegistry(), cfg)
	f, err := newFence(cfg, slog.New(slog.NewJSONHandler(buf, nil)), m)
	if err != nil {
		t.Fatal(err)
	}
	return f, m
}

// The lock holder takes the leader label off a former leader's pod (its
// node lost: nothing relabelled it), keeps its own, leaves the replicas
// alone, and the next pass has nothing to do.
func TestFenceTakesTheLabelOffAFormerLeader(t *testing.T) {
	api := &members{lock: "postgres-1", roles: map[string]string{"postgres-0": "master", "postgres-1": "master", "postgres-2": "replica"}}
	var buf logtest.Buffer
	f, m := fenceFor(t, "postgres-1", api, &buf)
	f.check(context.Background())
	if want := map[string]string{"postgres-0": "", "postgres-1": "master", "postgres-2": "replica"}; !maps.Equal(api.roles, want) {
		t.Fatalf("roles after the pass: %v, want %v", api.roles, want)
	}
	if got := testutil.ToFloat64(m.leaderLabelsRemoved); got != 1 {
		t.Errorf("%s = %v, want 1", MetricLeaderLabelsRemoved, got)
	}
	if !strings.Contains(buf.String(), `"pod":"postgres-0"`) {
		t.Errorf("the removal is not logged with the pod: %s", buf.String())
	}
	f.check(context.Background())
	if !slices.Equal(api.patchs, []string{"postgres-0"}) {
		t.Errorf("patched %v, want only postgres-0 once", api.patchs)
	}
}

// A member that does not hold the lock changes nothing, also while no
// lock exists yet.
func TestFenceWithoutTheLockChangesNothing(t *testing.T) {
	for _, lock := range []string{"postgres-0", ""} {
		api := &members{lock: lock, roles: map[string]string{"postgres-0": "master", "postgres-1": "master"}}
		f, _ := fenceFor(t, "postgres-1", api, io.Discard)
		fenced, err := f.run(context.Background())
		if err != nil || len(fenced) != 0 || len(api.patchs) != 0 {
			t.Errorf("lock %q: fenced %v, patched %v, error %v; want nothing", lock, fenced, api.patchs, err)
		}
	}
}

// A former leader that relabels itself between the list and the patch
// keeps its new label: the patch's test refuses (422), which is no error.
func TestFenceLeavesARelabelledMemberAlone(t *testing.T) {
	api := &members{lock: "postgres-1", roles: map[string]string{"postgres-0": "master", "postgres-1": "master"}}
	api.beforePatch = func() { api.roles["postgres-0"] = "replica" }
	f, _ := fenceFor(t, "postgres-1", api, io.Discard)
	fenced, err := f.run(context.Background())
	if err != nil || len(fenced) != 0 || api.roles["postgres-0"] != "replica" {
		t.Fatalf("fenced %v, error %v, postgres-0 %q; want nothing fenced, no error, replica", fenced, err, api.roles["postgres-0"])
	}
}

// A refused patch (RBAC) is an error naming the pod, logged once while it
// lasts, and the recovery is logged.
func TestFenceReportsARefusalOnce(t *testing.T) {
	api := &members{lock: "postgres-1", roles: map[string]string{"postgres-0": "master", "postgres-1": "master"}, patchStatus: http.StatusForbidden}
	var buf logtest.Buffer
	f, _ := fenceFor(t, "postgres-1", api, &buf)
	if _, err := f.run(context.Background()); err == nil || !strings.Contains(err.Error(), "postgres-0") || !kubeapi.HasStatus(err, http.StatusForbidden) {
		t.Fatalf("error %v, want a 403 naming postgres-0", err)
	}
	f.check(context.Background())
	f.check(context.Background())
	if n := strings.Count(buf.String(), "cannot check or fix"); n != 1 {
		t.Errorf("the refusal logged %d times over two passes, want once:\n%s", n, buf.String())
	}
	api.patchStatus = 0
	f.check(context.Background())
	if api.roles["postgres-0"] != "" || !strings.Contains(buf.String(), "working again") {
		t.Errorf("after the refusal ends: postgres-0 %q, log:\n%s", api.roles["postgres-0"], buf.String())
	}
}
