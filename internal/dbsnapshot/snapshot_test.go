package dbsnapshot

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi/kubeapitest"
	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
)

const (
	podsPath  = "GET /api/v1/namespaces/shop/pods labelSelector=app.kubernetes.io/name=postgres,shipshape.dev/postgres-role=master"
	pvcPath   = "GET /api/v1/namespaces/shop/persistentvolumeclaims/data-postgres-0"
	snapsBase = "/apis/snapshot.storage.k8s.io/v1/namespaces/shop/volumesnapshots"
	createReq = "POST " + snapsBase
	listReq   = "GET " + snapsBase + " labelSelector=app.kubernetes.io/managed-by=dbagent"
	newName   = "data-postgres-0-20260310-020304"
)

// runAt is 02:03:04 UTC given in another zone: the name must use UTC.
var runAt = time.Date(2026, 3, 10, 3, 3, 4, 0, time.FixedZone("CET", 3600))

type reply struct {
	code int
	body string
}

// fakeAPI stands in for the API server's HTTP contract: it answers each
// "METHOD path [labelSelector=...]" key from a table and records the calls.
type fakeAPI struct {
	replies map[string]reply
	mu      sync.Mutex
	calls   []string
	auth    []string
	posted  []byte
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.Path
	if sel := r.URL.Query().Get("labelSelector"); sel != "" {
		key += " labelSelector=" + sel
	}
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.calls = append(f.calls, key)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	if r.Method == http.MethodPost {
		f.posted = body
	}
	f.mu.Unlock()
	rep, ok := f.replies[key]
	if !ok {
		rep = reply{http.StatusNotFound, `{"kind":"Status","message":"no such route in test"}`}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.code)
	io.WriteString(w, rep.body)
}

// start serves f over TLS and returns a Config pointing at it, with the
// token and CA in files as in a pod.
func start(t *testing.T, f *fakeAPI) Config {
	t.Helper()
	cfg, err := loadConfig(map[string]string{"SNAPSHOT_NAMESPACE": "shop", "SNAPSHOT_KEEP": "2", "KUBERNETES_SERVICE_HOST": "unused"})
	if err != nil {
		t.Fatal(err)
	}
	api := kubeapitest.Serve(t, f)
	cfg.API.APIURL, cfg.API.TokenFile, cfg.API.CAFile = api.APIURL, api.TokenFile, api.CAFile
	return cfg
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func pods(items ...string) reply {
	return reply{200, `{"kind":"PodList","items":[` + strings.Join(items, ",") + `]}`}
}

func pod(name, phase string, deleting bool) string {
	del := ""
	if deleting {
		del = `,"deletionTimestamp":"2026-03-10T02:00:00Z"`
	}
	return `{"metadata":{"name":"` + name + `"` + del + `},"status":{"phase":"` + phase + `"}}`
}

func snap(name, created string, ready bool) string {
	r := "false"
	if ready {
		r = "true"
	}
	return `{"metadata":{"name":"` + name + `","creationTimestamp":"` + created + `"},"status":{"readyToUse":` + r + `}}`
}

// happy is a healthy cluster: one leader (and a terminating former one),
// a bound PVC, and a history of snapshots of two members, one of them
// ready but being deleted, which must not count as a kept good one.
func happy() map[string]reply {
	return map[string]reply{
		podsPath:  pods(pod("postgres-1", "Running", true), pod("postgres-0", "Running", false)),
		pvcPath:   {200, `{"status":{"phase":"Bound"}}`},
		createReq: {201, `{}`},
		listReq: {200, `{"items":[` + strings.Join([]string{
			snap("data-postgres-1-20260307-020000", "2026-03-07T02:00:00Z", true),
			snap(newName, "2026-03-10T02:03:04Z", false),
			snap("data-postgres-0-20260309-020000", "2026-03-09T02:00:00Z", true),
			`{"metadata":{"name":"manual","creationTimestamp":"2026-03-09T12:00:00Z","deletionTimestamp":"2026-03-10T00:00:00Z"},
				"status":{"readyToUse":true}}`,
			snap("data-postgres-1-20260306-020000", "2026-03-06T02:00:00Z", true),
			snap("data-postgres-1-20260308-020000", "2026-03-08T02:00:00Z", true),
		}, ",") + `]}`},
		"DELETE " + snapsBase + "/data-postgres-1-20260307-020000": {200, `{}`},
		"DELETE " + snapsBase + "/data-postgres-1-20260306-020000": {404, `{"kind":"Status","message":"not found"}`},
	}
}

func TestRun(t *testing.T) {
	f := &fakeAPI{replies: happy()}
	cfg := start(t, f)
	var logs logtest.Buffer
	if err := run(context.Background(), cfg, slog.New(slog.NewJSONHandler(&logs, nil)), runAt); err != nil {
		t.Fatal(err)
	}

	wantCalls := []string{podsPath, pvcPath, createReq, listReq,
		"DELETE " + snapsBase + "/data-postgres-1-20260307-020000",
		"DELETE " + snapsBase + "/data-postgres-1-20260306-020000"}
	if !slices.Equal(f.calls, wantCalls) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(f.calls, "\n"), strings.Join(wantCalls, "\n"))
	}
	for i, a := range f.auth {
		if a != "Bearer "+kubeapitest.Token {
			t.Errorf("call %d: Authorization %q", i, a)
		}
	}

	var got, want any
	if err := json.Unmarshal(f.posted, &got); err != nil {
		t.Fatalf("posted %q: %v", f.posted, err)
	}
	_ = json.Unmarshal([]byte(`{
		"apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshot",
		"metadata": {"name": "`+newName+`",
			"labels": {"app.kubernetes.io/name": "postgres", "app.kubernetes.io/managed-by": "dbagent",
				"shipshape.dev/snapshot-of": "data-postgres-0"},
			"annotations": {"shipshape.dev/leader-pod": "postgres-0"}},
		"spec": {"volumeSnapshotClassName": "shipshape-database",
			"source": {"persistentVolumeClaimName": "data-postgres-0"}}}`), &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("posted %s", f.posted)
	}

	var msgs []string
	for _, l := range logs.Lines(t) {
		msgs = append(msgs, l["msg"].(string)+" "+str(l["snapshot"]))
	}
	wantMsgs := []string{"snapshot created " + newName,
		"snapshot deleted data-postgres-1-20260307-020000",
		"snapshot deleted data-postgres-1-20260306-020000",
		"snapshot run done " + newName}
	if !slices.Equal(msgs, wantMsgs) {
		t.Errorf("logs %q", msgs)
	}
}

func str(v any) string { s, _ := v.(string); return s }

func TestRunCreateConflictIsSuccess(t *testing.T) {
	replies := happy()
	replies[createReq] = reply{409, `{"kind":"Status","reason":"AlreadyExists","message":"already exists"}`}
	f := &fakeAPI{replies: replies}
	if err := run(context.Background(), start(t, f), slog.New(slog.DiscardHandler), runAt); err != nil {
		t.Fatal(err)
	}
	if len(f.calls) != 6 {
		t.Errorf("pruning did not go on after the conflict: %q", f.calls)
	}
}

func TestRunFailures(t *testing.T) {
	forbidden := reply{403, `{"kind":"Status","status":"Failure","reason":"Forbidden","code":403,
		"message":"volumesnapshots.snapshot.storage.k8s.io is forbidden: User \"system:serviceaccount:shop:db-snapshot\" cannot create resource"}`}
	for _, tc := range []struct {
		name    string
		change  map[string]reply
		calls   []string // made before giving up
		wantErr []string
	}{
		{"no leader", map[string]reply{podsPath: pods(pod("postgres-1", "Pending", false), pod("postgres-0", "Running", true))},
			[]string{podsPath}, []string{"found 0", "postgres-1 (Pending)", "postgres-0 (terminating)", "no snapshot taken"}},
		{"two leaders", map[string]reply{podsPath: pods(pod("postgres-0", "Running", false), pod("postgres-1", "Running", false))},
			[]string{podsPath}, []string{"found 2: postgres-0, postgres-1", "no snapshot taken"}},
		{"PVC not bound", map[string]reply{pvcPath: {200, `{"status":{"phase":"Pending"}}`}},
			[]string{podsPath, pvcPath}, []string{"data-postgres-0", `"Pending", not Bound`}},
		{"PVC missing", map[string]reply{pvcPath: {404, `{"kind":"Status","message":"persistentvolumeclaims \"data-postgres-0\" not found"}`}},
			[]string{podsPath, pvcPath}, []string{"getting PVC shop/data-postgres-0", "HTTP 404 Not Found", `"data-postgres-0" not found`}},
		{"create forbidden", map[string]reply{createReq: forbidden},
			[]string{podsPath, pvcPath, createReq},
			[]string{"creating VolumeSnapshot shop/" + newName, "HTTP 403 Forbidden", "cannot create resource"}},
		{"list pods forbidden", map[string]reply{podsPath: forbidden},
			[]string{podsPath}, []string{"listing leader pods", "HTTP 403 Forbidden", "is forbidden"}},
		{"delete fails without Status body",
			map[string]reply{"DELETE " + snapsBase + "/data-postgres-1-20260307-020000": {500, "upstream broke"}},
			[]string{podsPath, pvcPath, createReq, listReq, "DELETE " + snapsBase + "/data-postgres-1-20260307-020000"},
			[]string{"deleting VolumeSnapshot shop/data-postgres-1-20260307-020000", "HTTP 500 Internal Server Error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			replies := happy()
			for k, v := range tc.change {
				replies[k] = v
			}
			f := &fakeAPI{replies: replies}
			err := run(context.Background(), start(t, f), slog.New(slog.DiscardHandler), runAt)
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if !slices.Equal(f.calls, tc.calls) {
				t.Errorf("calls %q, want %q", f.calls, tc.calls)
			}
		})
	}
}

func TestRunRefusesUntrustedOrMissingCredentials(t *testing.T) {
	f := &fakeAPI{replies: happy()}
	cfg := start(t, f)
	dir := t.TempDir()
	notPEM, otherCA := filepath.Join(dir, "bad.crt"), filepath.Join(dir, "other.crt")
	writeFile(t, notPEM, "not a certificate")
	writeFile(t, otherCA, selfSigned(t))

	for name, mutate := range map[string]func(*Config){
		"missing token": func(c *Config) { c.API.TokenFile = filepath.Join(dir, "none") },
		"CA not PEM":    func(c *Config) { c.API.CAFile = notPEM },
		"CA of another": func(c *Config) { c.API.CAFile = otherCA },
	} {
		c := cfg
		mutate(&c)
		if err := run(context.Background(), c, slog.New(slog.DiscardHandler), runAt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if len(f.calls) != 0 {
		t.Errorf("requests reached the server: %q", f.calls)
	}
}

// selfSigned returns a PEM certificate that did not sign the test server's.
func selfSigned(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "other CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
