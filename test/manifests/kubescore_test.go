package manifests_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

// kube-score (github.com/zegl/kube-score, pinned in tools/kube-score/go.mod) is a
// second opinion nobody here wrote: every overlay, with its
// infrastructure, must have no finding at all, critical or warning. What
// it reports and we accept is listed here or annotated on the object
// (kube-score/ignore), each with its reason (docs/kubernetes.md,
// "kube-score").

// kubeScoreIgnoredEverywhere are checks that do not apply to shipshape.
var kubeScoreIgnoredEverywhere = map[string]string{
	// kube-score wants imagePullPolicy: Always so that imagePullSecrets are
	// checked on every start. Staging's and production's images are pinned
	// by digest (promotion; a policy refuses anything else), so Always buys nothing
	// but a registry round trip per start and a registry outage that stops
	// pods from starting; the development tags are loaded into the node.
	"container-image-pull-policy": "images are pinned by digest (staging, production) or loaded into the node (development)",
}

// kubeScoreIgnoredIn are checks that do not apply to one overlay.
var kubeScoreIgnoredIn = map[string]map[string]string{
	"development": {
		// a laptop-sized cluster: one replica of everything
		"deployment-replicas": "development runs one replica of each Deployment",
		// kind's default CNI enforces no NetworkPolicy; the test cluster
		// adds the component and kube-score checks it there
		"pod-networkpolicy": "development has no network-policies component (docs/kubernetes.md)",
	},
	"test-cluster": {
		"deployment-replicas": "the test cluster is development's single-replica apps on one node",
	},
}

func TestKubeScore(t *testing.T) {
	for _, overlay := range withTestCluster {
		t.Run(overlay, func(t *testing.T) {
			t.Parallel()
			apps, _ := render(t, overlay)
			infra, _ := renderInfrastructure(t, overlay)
			findings, err := kubeScore(box(t), slices.Concat(infra, []byte("---\n"), apps), kubeScoreIgnores(overlay))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range findings {
				t.Errorf("kube-score: %s", f)
			}
		})
	}
}

// TestKubeScoreFinds proves the run can fail and that an annotation
// ignores one check on one object only: a Deployment without
// ephemeral-storage and with identical probes is reported, its annotated
// twin only for what its annotation does not name.
func TestKubeScoreFinds(t *testing.T) {
	deployment := func(name, annotations string) string {
		return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ` + name + `
  namespace: fixtures
  annotations: {` + annotations + `}
spec:
  replicas: 2
  selector: {matchLabels: {app: ` + name + `}}
  template:
    metadata: {labels: {app: ` + name + `}}
    spec:
      securityContext: {runAsUser: 10001, runAsGroup: 10001, runAsNonRoot: true}
      containers:
        - name: app
          image: example/app:1.0.0
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: 100m, memory: 64Mi}
          securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
          readinessProbe: {httpGet: {path: /healthz, port: 8080}}
---
apiVersion: v1
kind: Service
metadata: {name: ` + name + `, namespace: fixtures}
spec:
  selector: {app: ` + name + `}
  ports: [{port: 80, targetPort: 8080}]
`
	}
	yaml := deployment("plain", "") + "---\n" +
		deployment("annotated", `"kube-score/ignore": "container-ephemeral-storage-request-and-limit"`)
	ignores := []string{"container-image-pull-policy", "pod-networkpolicy", "deployment-has-poddisruptionbudget",
		"deployment-has-host-podantiaffinity", "pod-topology-spread-constraints"}
	findings, err := kubeScore(box(t), []byte(yaml), ignores)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range findings {
		got[f.Object] = append(got[f.Object], f.Check)
	}
	for obj := range got {
		sort.Strings(got[obj])
	}
	want := map[string][]string{
		"Deployment/plain":     {"container-ephemeral-storage-request-and-limit", "pod-probes-identical"},
		"Deployment/annotated": {"pod-probes-identical"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("kube-score findings = %v, want %v", got, want)
	}
}

// kubeScoreIgnores are the checks skipped for an overlay.
func kubeScoreIgnores(overlay string) []string {
	var ids []string
	for id := range kubeScoreIgnoredEverywhere {
		ids = append(ids, id)
	}
	for id := range kubeScoreIgnoredIn[overlay] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// kubeScoreFinding is one check kube-score did not pass for one object.
type kubeScoreFinding struct {
	Object   string // Kind/name
	Check    string // kube-score's check id
	Grade    string // CRITICAL or WARNING
	Comments []string
}

func (f kubeScoreFinding) String() string {
	return fmt.Sprintf("%s: %s %s: %s", f.Object, f.Grade, f.Check, strings.Join(f.Comments, "; "))
}

// kubeScore runs the pinned kube-score over a YAML stream, skipping the
// ignored checks, and returns every check below full marks.
func kubeScore(tb *manifestcheck.Toolbox, yaml []byte, ignored []string) ([]kubeScoreFinding, error) {
	bin, err := tb.EnsureTool(manifestcheck.KubeScore)
	if err != nil {
		return nil, err
	}
	// kube-score takes vMAJOR.MINOR
	minor := strings.Join(strings.SplitN(manifestcheck.KubernetesVersion, ".", 3)[:2], ".")
	args := []string{"score", "--output-format", "json", "--kubernetes-version", "v" + minor}
	for _, id := range ignored {
		args = append(args, "--ignore-test", id)
	}
	cmd := exec.Command(bin, append(args, "-")...)
	cmd.Stdin = bytes.NewReader(yaml)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // exit status 1 when something is critical
	var report []struct {
		TypeMeta   struct{ Kind string } `json:"type_meta"`
		ObjectMeta struct{ Name string } `json:"object_meta"`
		Checks     []struct {
			Check    struct{ ID string } `json:"check"`
			Grade    int                 `json:"grade"`
			Skipped  bool                `json:"skipped"`
			Comments []struct {
				Path, Summary string
			} `json:"comments"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil || len(report) == 0 {
		return nil, fmt.Errorf("kube-score: %v (%v)\n%s", runErr, err, stderr.String())
	}
	var findings []kubeScoreFinding
	for _, obj := range report {
		for _, c := range obj.Checks {
			// grades: 1 critical, 5 warning, 7 almost OK, 10 OK
			if c.Skipped || c.Grade >= 7 {
				continue
			}
			f := kubeScoreFinding{Object: obj.TypeMeta.Kind + "/" + obj.ObjectMeta.Name, Check: c.Check.ID, Grade: "WARNING"}
			if c.Grade < 5 {
				f.Grade = "CRITICAL"
			}
			for _, cm := range c.Comments {
				f.Comments = append(f.Comments, strings.TrimPrefix(cm.Path+": ", ": ")+cm.Summary)
			}
			findings = append(findings, f)
		}
	}
	return findings, nil
}
