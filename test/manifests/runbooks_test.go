package manifests_test

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// The snapshot restore runbook is drilled on the test cluster's own CSI
// driver (test/cluster, TestSnapshotRestoreDrill); what it relies on in
// production is checked here against the pinned schemas and the overlays,
// in every `make test`: its claim manifest,
// filled in as its step fills it in, is a valid claim the production
// StatefulSet adopts as postgres-0's (name, labels, class, access modes),
// and the VolumeSnapshot fields it reads exist in the snapshot CRD.
func TestSnapshotRestoreRunbookMatchesTheSchemas(t *testing.T) {
	runbook := readRepoFile(t, "docs/runbooks/snapshot-restore.md")
	template := readRepoFile(t, "docs/runbooks/manifests/data-claim-from-snapshot.yaml")
	for _, read := range []string{"{.status.readyToUse}", "{.status.restoreSize}",
		"{.spec.volumeClaimTemplates[0].spec.storageClassName}"} {
		if !strings.Contains(runbook, read) {
			t.Errorf("the runbook no longer reads %s: change this test with it", read)
		}
	}
	for _, placeholder := range []string{"SNAPSHOT", "SIZE", "CLASS"} {
		if !strings.Contains(runbook, fmt.Sprintf(`"s/%s/`, placeholder)) || !strings.Contains(template, placeholder) {
			t.Errorf("%s is no longer filled in by the runbook and used by the claim manifest", placeholder)
		}
	}

	_, objs := render(t, "production")
	sts := manifestcheck.Find(objs, "StatefulSet", "postgres")
	if sts == nil {
		t.Fatal("production has no StatefulSet postgres")
	}
	claimTemplate := manifestcheck.Object(sts.List("spec", "volumeClaimTemplates")[0].(map[string]any))
	class := claimTemplate.Str("spec", "storageClassName")
	filled := strings.NewReplacer("SNAPSHOT", "data-postgres-0-20261127-023000", "SIZE", "10Gi", "CLASS", class).Replace(template)

	// The snapshot as the runbook reads it; -strict refuses a field the
	// CRD does not have.
	snapshot := `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: data-postgres-0-20261127-023000
  namespace: shipshape
spec:
  volumeSnapshotClassName: ` + class + `
  source:
    persistentVolumeClaimName: data-postgres-0
status:
  readyToUse: true
  restoreSize: 10Gi
`
	findings, err := box(t).Validate([]byte(filled + "---\n" + snapshot))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("kubeconform: %s", f)
	}

	claims, err := manifestcheck.Decode([]byte(filled))
	if err != nil || len(claims) != 1 {
		t.Fatalf("the claim manifest: %d objects, %v", len(claims), err)
	}
	claim := claims[0]
	if want := claimTemplate.Str("metadata", "name") + "-postgres-0"; claim.Name() != want || claim.Namespace() != sts.Namespace() {
		t.Errorf("the claim is %s/%s, the StatefulSet's first member uses %s/%s", claim.Namespace(), claim.Name(), sts.Namespace(), want)
	}
	for _, field := range [][]string{{"metadata", "labels"}, {"spec", "accessModes"}, {"spec", "storageClassName"}} {
		if got, want := claim.Get(field...), claimTemplate.Get(field...); !reflect.DeepEqual(got, want) {
			t.Errorf("the claim's %s is %v, the StatefulSet's claim template has %v", strings.Join(field, "."), got, want)
		}
	}
	// the kind and group the API server takes a snapshot source by (the
	// claim's schema does not check them)
	wantSource := map[string]any{"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "data-postgres-0-20261127-023000"}
	if got := claim.Map("spec", "dataSource"); !reflect.DeepEqual(got, wantSource) {
		t.Errorf("the claim's dataSource is %v, want %v", got, wantSource)
	}
	if class == "" {
		t.Error("production's claim template names no StorageClass: a claim from a snapshot needs the CSI driver's")
	}
}

func readRepoFile(t *testing.T, path string) string {
	t.Helper()
	r, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(r.Path(strings.Split(path, "/")...))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
