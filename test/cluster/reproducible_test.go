//go:build cluster

package cluster_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// A release is reproducible: every app image built a second time from the
// same commit (the storefront from an empty web/.next, so Next runs again)
// and pushed under another tag gets the digest the cluster runs.
func TestReleaseImagesAreReproducible(t *testing.T) {
	state := clustertest.State(t)
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(repo, "test", "cluster", "images.sh"), "rebuild")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("images.sh rebuild: %v\n%s", err, out)
	}

	deployed := deployedImages(t, state)
	rebuilt := filepath.Join(state, "images", "rebuild-digests")
	for name, ref := range deployed {
		data, err := os.ReadFile(filepath.Join(rebuilt, strings.TrimPrefix(name, "shipshape/")))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		again := strings.TrimSpace(string(data))
		_, want, _ := strings.Cut(ref, "@")
		repoPart, got, ok := strings.Cut(again, "@")
		if !ok || !strings.HasSuffix(repoPart, "/"+name) {
			t.Errorf("%s: rebuild pushed as %q, want <registry>/%s@sha256:...", name, again, name)
			continue
		}
		if got != want {
			t.Errorf("%s: rebuilt with digest %s, the release has %s", name, got, want)
		}
	}
	// the six workloads' and PostgreSQL's images, and the storefront's smoke journey
	if len(deployed) != 8 {
		t.Errorf("compared %d images, want the 8 of the release", len(deployed))
	}
}
