//go:build cluster

package cluster_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"go.yaml.in/yaml/v3"
)

// The promotion promote.yml runs (scripts/promote.sh), against this
// cluster's release run: on a copy of the overlays whose production
// registry list names the release registry (as a fork names its own), it
// verifies every image's signature and SBOM attestation with the release
// key and pins production to the digests the release run pushed. The
// production overlay then passes every policy and schema without the
// manifest check's exception for missing digests. Signed by another key,
// the promotion stops and no file changes.
func TestPromotionPinsProductionToTheReleaseRunsDigests(t *testing.T) {
	state := clustertest.State(t)
	registry := clustertest.Env(t, "SHIPSHAPE_REGISTRY")
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	apps := filepath.Join(t.TempDir(), "apps")
	if err := os.CopyFS(apps, os.DirFS(repo.Path("deploy", "kubernetes", "apps"))); err != nil {
		t.Fatal(err)
	}
	allowed := filepath.Join(apps, "production", "allowed-registries.yaml")
	replaceInFile(t, allowed, "ghcr.io/shipshape-dev/shipshape/", registry+"/shipshape/")
	release := filepath.Join(apps, "production", "release", "kustomization.yaml")

	_, otherPub := clustertest.CosignKeyPair(t, t.TempDir())
	before := string(readFile(t, release))
	out, err := promote(t, repo, apps, otherPub)
	if err == nil {
		t.Fatalf("the promotion accepted images signed by another key:\n%s", out)
	}
	t.Logf("refused, as it must be: %s", lastLine(out))
	if !strings.Contains(out, "is not signed by the key "+otherPub) {
		t.Errorf("the refusal does not name the signature:\n%s", out)
	}
	if after := string(readFile(t, release)); after != before {
		t.Errorf("a refused promotion changed the release component:\n%s", after)
	}

	if out, err := promote(t, repo, apps, filepath.Join(state, "pki", "release-signing.pub")); err != nil {
		t.Fatalf("promotion: %v\n%s", err, out)
	}
	tb, err := manifestcheck.NewToolbox(repo)
	if err != nil {
		t.Fatal(err)
	}
	production := clustertest.Kustomize(t, repo.Root, filepath.Join(apps, "production"))
	problems, err := tb.Problems(production)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}

	objs, err := manifestcheck.Decode(production)
	if err != nil {
		t.Fatal(err)
	}
	released := deployedImages(t, state)
	var pinned struct {
		Images []struct {
			Name    string `yaml:"name"`
			NewName string `yaml:"newName"`
			NewTag  string `yaml:"newTag"`
			Digest  string `yaml:"digest"`
		}
	}
	if err := yaml.Unmarshal(readFile(t, release), &pinned); err != nil {
		t.Fatal(err)
	}
	if len(pinned.Images) != len(released) {
		t.Errorf("the release component pins %d images, the release run pushed %d", len(pinned.Images), len(released))
	}
	for _, p := range pinned.Images {
		if got, want := p.NewName+"@"+p.Digest, released[p.Name]; got != want || p.NewTag != "dev" {
			t.Errorf("%s pinned to %s:%s, the release run pushed %s", p.Name, got, p.NewTag, want)
		}
	}
	images := manifestcheck.Images(objs)
	if len(images) == 0 {
		t.Fatal("production runs no image")
	}
	for _, image := range images {
		name, _, _ := strings.Cut(strings.TrimPrefix(image, registry+"/"), ":")
		ref, ok := released[name]
		if !ok {
			t.Errorf("production runs %s, which is not a released image", image)
			continue
		}
		digest := ref[strings.Index(ref, "@"):]
		if want := registry + "/" + name + ":dev" + digest; image != want {
			t.Errorf("production runs %s, the release run pushed %s", image, want)
		}
	}
}

// promote runs scripts/promote.sh production for the release run's tag
// with the cluster registry's CA and credentials, the signatures checked
// against the public key pub.
func promote(t *testing.T, repo manifestcheck.Repo, apps, pub string) (string, error) {
	t.Helper()
	state := clustertest.State(t)
	cmd := exec.Command(repo.Path("scripts", "promote.sh"), "production", "dev")
	cmd.Env = append(os.Environ(),
		"REGISTRY="+clustertest.Env(t, "SHIPSHAPE_REGISTRY"), "APPS="+apps,
		"RELEASE_KEY="+pub, "RELEASE_NO_TLOG=1",
		// cosign and crane trust the registry's CA through Go's
		// SSL_CERT_FILE, and read its credentials from DOCKER_CONFIG
		"SSL_CERT_FILE="+filepath.Join(state, "pki", "registry-ca.crt"),
		"DOCKER_CONFIG="+filepath.Join(state, "registry-client"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func replaceInFile(t *testing.T, path, old, replacement string) {
	t.Helper()
	data := string(readFile(t, path))
	if !strings.Contains(data, old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(data, old, replacement)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
