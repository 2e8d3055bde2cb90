package manifestcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// TestOnlyDigest is a digest for validating the production overlay as the
// release step leaves it, without a registry: the sha256 of a sentence
// naming the image. It identifies no image, is never written to the
// repository, and exists only inside the test's temporary kustomization.
func TestOnlyDigest(image string) string {
	sum := sha256.Sum256([]byte("shipshape test-only digest, not an image: " + image))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Images lists the distinct images of the objects' containers.
func Images(objs []Object) []string {
	seen := map[string]bool{}
	for _, o := range objs {
		for _, c := range o.Containers() {
			seen[c.Str("image")] = true
		}
	}
	out := make([]string, 0, len(seen))
	for img := range seen {
		out = append(out, img)
	}
	sort.Strings(out)
	return out
}

// StampRelease builds overlay as the release step would pin it: a
// temporary kustomization on top of it sets every image that has no digest
// to image@TestOnlyDigest with the same `kustomize edit set image` command
// scripts/release-images.sh runs.
func (tb *Toolbox) StampRelease(overlay string, objs []Object) ([]byte, error) {
	dir, err := os.MkdirTemp(tb.Cache, "release-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	rel, err := filepath.Rel(dir, overlay)
	if err != nil {
		return nil, err
	}
	kustomization := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - " + filepath.ToSlash(rel) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(kustomization), 0o644); err != nil {
		return nil, err
	}
	for _, image := range Images(objs) {
		if strings.Contains(image, "@") {
			continue
		}
		if err := tb.Kustomize(dir, "edit", "set", "image", ImageRepository(image)+"="+image+"@"+TestOnlyDigest(image)); err != nil {
			return nil, fmt.Errorf("stamping %s: %w", image, err)
		}
	}
	return tb.Build(dir)
}
