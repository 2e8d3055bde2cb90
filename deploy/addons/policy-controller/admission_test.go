//go:build cluster

// Package policycontroller_test checks image signature admission in the
// test cluster: the policy-controller add-on with the test cluster's
// ClusterImagePolicies (test/cluster/addons/image-policies.yaml), which
// admit an image of the release registry into the apps' namespace only
// when it is signed with the release key and carries an SBOM attestation
// signed with it too (test/cluster/sign.sh).
package policycontroller_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/ociregistry"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// namespace is the apps' namespace, where the webhook checks every pod.
const namespace = "shipshape"

// denied is how the API server reports the webhook's refusal.
const denied = `admission webhook "policy.sigstore.dev" denied the request`

// newImage pushes an image to the release registry that nothing has
// signed: the node's busybox with a label unique to this run, so its
// digest is new. It returns the reference by digest.
func newImage(t *testing.T) string {
	t.Helper()
	state := clustertest.State(t)
	registry := clustertest.Env(t, "SHIPSHAPE_REGISTRY")
	img, err := tarball.ImageFromPath(filepath.Join(state, "images", "busybox.tar"), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	run := fmt.Sprint(time.Now().UnixNano())
	config := cfg.Config
	config.Labels = map[string]string{"dev.shipshape.test.run": run}
	if img, err = mutate.Config(img, config); err != nil {
		t.Fatal(err)
	}
	pki := filepath.Join(state, "pki")
	client, err := ociregistry.ClientFromFiles("shipshape-release", filepath.Join(pki, "registry-ca.crt"), filepath.Join(pki, "registry.password"))
	if err != nil {
		t.Fatal(err)
	}
	repository := registry + "/shipshape/signature-check"
	digest, err := client.PushImage(context.Background(), img, repository+":"+run)
	if err != nil {
		t.Fatal(err)
	}
	return repository + "@" + digest.String()
}

// admit asks the API server to create a pod running image in the apps'
// namespace, as a dry run (the webhooks are called; nothing is stored),
// and returns its answer. The pod pulls with the apps' pull Secret, which
// the webhook fetches signatures with; it meets the namespace's other
// rules (Pod Security, the project's admission policies).
func admit(image string) (string, error) {
	pod := fmt.Sprintf(`{"apiVersion":"v1","kind":"Pod",
	  "metadata":{"name":"signature-check","namespace":%q,"labels":{"app.kubernetes.io/name":"signature-check"}},
	  "spec":{"automountServiceAccountToken":false,"imagePullSecrets":[{"name":"release-registry"}],
	    "securityContext":{"runAsNonRoot":true,"runAsUser":65532,"runAsGroup":65532,"seccompProfile":{"type":"RuntimeDefault"}},
	    "containers":[{"name":"check","image":%q,"command":["sleep","3600"],
	      "resources":{"requests":{"cpu":"10m","memory":"16Mi","ephemeral-storage":"1Mi"},"limits":{"cpu":"100m","memory":"32Mi","ephemeral-storage":"8Mi"}},
	      "securityContext":{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}}}]}}`,
		namespace, image)
	return clustertest.KubectlIn(namespace, pod, "create", "--dry-run=server", "-f", "-")
}

// refused checks that image is refused by the webhook for the reason
// given, for the policies named, and by no other.
func refused(t *testing.T, image, reason string, policies ...string) {
	t.Helper()
	out, err := admit(image)
	if err == nil {
		t.Fatalf("admitted %s:\n%s", image, out)
	}
	if !strings.Contains(out, denied) || !strings.Contains(out, reason) {
		t.Fatalf("refused, but not by the policy-controller for %q:\n%s", reason, out)
	}
	for _, p := range []string{"release-signature", "release-sbom"} {
		want := slices.Contains(policies, p)
		if got := strings.Contains(out, "failed policy: "+p); got != want {
			t.Errorf("policy %s failed: %v, want %v:\n%s", p, got, want, out)
		}
	}
	t.Logf("refused, as expected:\n%s", out)
}

// The release's own images are admitted: what deploy.sh deployed passed
// the webhook (the Deployments' pods run), and a new pod with one of them
// passes it now.
func TestSignedReleaseImagesAreAdmitted(t *testing.T) {
	ns := clustertest.Object(t, "", "namespace", namespace)
	labels, _ := ns["metadata"].(map[string]any)["labels"].(map[string]any)
	if labels["policy.sigstore.dev/include"] != "true" {
		t.Fatalf("the namespace %s is not checked by the webhook (labels %v)", namespace, labels)
	}
	data, err := os.ReadFile(filepath.Join(clustertest.State(t), "images", "digests", "catalog"))
	if err != nil {
		t.Fatal(err)
	}
	catalog := strings.TrimSpace(string(data))
	if out, err := admit(catalog); err != nil {
		t.Fatalf("the released catalog image %s was refused: %v\n%s", catalog, err, out)
	}
}

// An image is admitted only once it is signed with the release key and
// its SBOM attestation is too: unsigned, signed and attested with another
// key, and signed without the SBOM, it is refused, with the policies it
// fails named.
func TestUnsignedOrForeignSignedImagesAreRefused(t *testing.T) {
	image := newImage(t)
	// Any SPDX document serves: the policy checks who signed an SBOM of
	// that digest, not what it lists.
	sbom := filepath.Join(clustertest.State(t), "images", "sbom", "catalog.spdx.json")
	sign := func(key, password string, attest bool) {
		t.Helper()
		env := []string{"COSIGN_PASSWORD=" + password}
		args := append([]string{"--key", key}, clustertest.SigningFlags...)
		if _, err := clustertest.Cosign(t, env, "sign", append(args, image)...); err != nil {
			t.Fatal(err)
		}
		if attest {
			args = append(args, "--type", "spdxjson", "--predicate", sbom, image)
			if _, err := clustertest.Cosign(t, env, "attest", args...); err != nil {
				t.Fatal(err)
			}
		}
	}

	refused(t, image, "no signatures found", "release-signature", "release-sbom")

	otherKey, _ := clustertest.CosignKeyPair(t, t.TempDir())
	sign(otherKey, "", true)
	refused(t, image, "invalid signature", "release-signature", "release-sbom")

	pki := filepath.Join(clustertest.State(t), "pki")
	password, err := os.ReadFile(filepath.Join(pki, "release-signing.password"))
	if err != nil {
		t.Fatal(err)
	}
	releaseKey := filepath.Join(pki, "release-signing.key")
	sign(releaseKey, strings.TrimSpace(string(password)), false)
	refused(t, image, "no matching attestations", "release-sbom")

	sign(releaseKey, strings.TrimSpace(string(password)), true)
	if out, err := admit(image); err != nil {
		t.Fatalf("signed and attested with the release key, still refused: %v\n%s", err, out)
	}
}
