package compliance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
)

// fakeAPI answers lists from pages of JSON items (two items a page, with
// continue tokens, so paging is exercised) and dry runs from a table of
// warnings or errors by object name. The API server's side of this
// contract is proven in the test cluster (deploy/addons/compliance-report).
type fakeAPI struct {
	items    map[string][]string // collection path -> items
	warnings map[string][]string // object name -> warnings of its dry run
	refuse   map[string]bool     // object name -> the dry run fails
	failList string              // a collection whose list (or an object whose read) fails
	created  []string            // "path name" of each dry run
	gets     map[string]string   // object path -> the object, for single reads
	read     []string            // the path of each single read
}

func (f *fakeAPI) Do(ctx context.Context, method, path string, body, out any) error {
	_, err := f.DoWarned(ctx, method, path, body, out)
	return err
}

func (f *fakeAPI) DoWarned(_ context.Context, method, path string, body, out any) ([]string, error) {
	base, query, _ := strings.Cut(path, "?")
	if method == http.MethodPost {
		if query != "dryRun=All" {
			return nil, fmt.Errorf("a create that is not a dry run: %s", path)
		}
		name := body.(map[string]any)["metadata"].(map[string]any)["name"].(string)
		f.created = append(f.created, base+" "+name)
		if f.refuse[name] {
			return nil, &kubeapi.Error{Code: http.StatusUnprocessableEntity, Message: "invalid"}
		}
		return f.warnings[name], nil
	}
	if base == f.failList {
		return nil, &kubeapi.Error{Code: http.StatusForbidden}
	}
	if strings.Contains(base, "/configmaps/") { // the only single reads
		f.read = append(f.read, base)
		obj, ok := f.gets[base]
		if !ok {
			return nil, &kubeapi.Error{Code: http.StatusNotFound}
		}
		return nil, json.Unmarshal([]byte(obj), out)
	}
	items := f.items[base]
	start := 0
	if i := strings.Index(query, "continue="); i >= 0 {
		fmt.Sscan(query[i+len("continue="):], &start)
	}
	end := min(start+2, len(items))
	next := ""
	if end < len(items) {
		next = fmt.Sprint(end)
	}
	page := `{"metadata":{"continue":"` + next + `"},"items":[` + strings.Join(items[start:end], ",") + `]}`
	return nil, json.Unmarshal([]byte(page), out)
}

func deployment(ns, name, extra string) string {
	return `{"metadata":{"name":"` + name + `","namespace":"` + ns + `"` + extra + `},"spec":{"replicas":1}}`
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestPassChecksEachTopLevelWorkloadOnce(t *testing.T) {
	const warn = "Validation failed for ValidatingAdmissionPolicy 'shipshape-resources' with binding 'r': container app: resources.limits.memory is required"
	f := &fakeAPI{
		items: map[string][]string{
			"/api/v1/namespaces": {
				`{"metadata":{"name":"legacy"}}`,
				`{"metadata":{"name":"kube-system","annotations":{"shipshape.dev/compliance-exception":"substrate"}}}`,
				`{"metadata":{"name":"shop"}}`,
			},
			"/apis/apps/v1/deployments": {
				deployment("legacy", "old", ""),
				deployment("legacy", "fine", ""),
				deployment("legacy", "broken", ""),
				deployment("legacy", "leaving", `,"deletionTimestamp":"2026-12-04T00:00:00Z"`),
				deployment("scratch", "copy", ""),
				deployment("kube-system", "dns", ""),
			},
			"/api/v1/pods": {
				deployment("legacy", "old-abc-1", `,"ownerReferences":[{"kind":"ReplicaSet","controller":true}]`),
				deployment("shop", "debug", ""),
			},
			"/apis/networking.k8s.io/v1/networkpolicies": {
				`{"metadata":{"namespace":"shop"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"]}}`,
			},
		},
		warnings: map[string][]string{"old": {warn}, "dns": {warn}, "debug": {warn}},
		refuse:   map[string]bool{"broken": true},
	}
	r, unchecked, err := pass(context.Background(), f, "scratch", quiet)
	if err != nil {
		t.Fatal(err)
	}
	wantCreated := []string{
		"/api/v1/namespaces/scratch/pods debug",
		"/apis/apps/v1/namespaces/scratch/deployments old",
		"/apis/apps/v1/namespaces/scratch/deployments fine",
		"/apis/apps/v1/namespaces/scratch/deployments broken",
		"/apis/apps/v1/namespaces/scratch/deployments dns",
	}
	if !reflect.DeepEqual(f.created, wantCreated) {
		t.Errorf("dry runs:\n got %q\nwant %q", f.created, wantCreated)
	}
	if r.Checked != 4 || unchecked != 1 {
		t.Errorf("checked %d, unchecked %d; want 4 and 1 (broken)", r.Checked, unchecked)
	}
	msg := "container app: resources.limits.memory is required"
	want := []Violation{
		{Namespace: "kube-system", Kind: "Deployment", Name: "dns", Policy: "shipshape-resources", Message: msg, Accepted: "substrate"},
		{Namespace: "kube-system", Kind: "Namespace", Name: "kube-system", Policy: NetworkPolicyRule,
			Message: "namespace kube-system has no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)", Accepted: "substrate"},
		{Namespace: "legacy", Kind: "Deployment", Name: "old", Policy: "shipshape-resources", Message: msg},
		{Namespace: "legacy", Kind: "Namespace", Name: "legacy", Policy: NetworkPolicyRule,
			Message: "namespace legacy has no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)"},
		{Namespace: "shop", Kind: "Pod", Name: "debug", Policy: "shipshape-resources", Message: msg},
	}
	if !reflect.DeepEqual(r.Violations, want) {
		t.Errorf("violations:\n got %+v\nwant %+v", r.Violations, want)
	}
}

// TestPassFailsWhenAListFails: a partial list would report fixed what
// was never looked at.
func TestPassFailsWhenAListFails(t *testing.T) {
	f := &fakeAPI{items: map[string][]string{}, failList: "/apis/batch/v1/cronjobs"}
	if _, _, err := pass(context.Background(), f, "scratch", quiet); !kubeapi.HasStatus(err, http.StatusForbidden) ||
		!strings.Contains(err.Error(), "cronjobs") {
		t.Fatalf("err %v, want the cronjobs list's 403", err)
	}
}

// cancelling wraps fakeAPI: its first dry run ends the pass's context, as a
// pass timeout would.
type cancelling struct {
	*fakeAPI
	cancel context.CancelFunc
}

func (c cancelling) DoWarned(ctx context.Context, method, path string, body, out any) ([]string, error) {
	if method == http.MethodPost {
		c.cancel()
		return nil, ctx.Err()
	}
	return c.fakeAPI.DoWarned(ctx, method, path, body, out)
}

// TestPassOutOfTimeFails: objects left unchecked because the pass ran out
// of time are not a report (it would clear their violations).
func TestPassOutOfTimeFails(t *testing.T) {
	f := &fakeAPI{items: map[string][]string{"/apis/apps/v1/deployments": {deployment("legacy", "old", ""), deployment("legacy", "new", "")}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, _, err := pass(ctx, cancelling{f, cancel}, "scratch", quiet); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want the pass to fail with its context", err)
	}
}
