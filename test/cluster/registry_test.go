//go:build cluster

package cluster_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/ociregistry"
)

// deployedImages reads the images deploy.sh pinned: shipshape/<name> ->
// registry/shipshape/<name>@sha256:...
func deployedImages(t *testing.T, state string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(state, "deploy", "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		Images []struct {
			Name    string `yaml:"name"`
			NewName string `yaml:"newName"`
			Digest  string `yaml:"digest"`
		}
	}
	if err := yaml.Unmarshal(data, &k); err != nil {
		t.Fatal(err)
	}
	images := map[string]string{}
	for _, i := range k.Images {
		images[i.Name] = i.NewName + "@" + i.Digest
	}
	return images
}

// Every container of every shipshape pod runs the image the release
// overlay names by digest, pulled from the release registry: the spec says
// that digest and the runtime reports that digest as what it runs.
func TestAppsRunByDigestFromTheRegistry(t *testing.T) {
	state := clustertest.State(t)
	registry := os.Getenv("SHIPSHAPE_REGISTRY")
	images := deployedImages(t, state)
	var names []string
	for name, ref := range images {
		names = append(names, name)
		if !strings.HasPrefix(ref, registry+"/"+name+"@sha256:") || len(ref) != len(registry)+1+len(name)+len("@sha256:")+64 {
			t.Errorf("%s is deployed as %q, want %s/%s@sha256:<64 hex>", name, ref, registry, name)
		}
	}
	slices.Sort(names)
	want := []string{"shipshape/cart", "shipshape/catalog", "shipshape/gateway", "shipshape/identity", "shipshape/orders", "shipshape/postgres", "shipshape/storefront-smoke", "shipshape/web"}
	if !slices.Equal(names, want) {
		t.Fatalf("release overlay pins %v, want %v", names, want)
	}

	var pods struct {
		Items []struct {
			Metadata struct{ Name string }
			Spec     struct {
				InitContainers, Containers []struct{ Name, Image string }
			}
			Status struct {
				InitContainerStatuses, ContainerStatuses []struct{ Name, Image, ImageID string }
			}
		}
	}
	if err := json.Unmarshal([]byte(clustertest.Kubectl(t, "shipshape", "get", "pods", "-o", "json")), &pods); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, p := range pods.Items {
		statuses := map[string]string{}
		for _, s := range append(p.Status.InitContainerStatuses, p.Status.ContainerStatuses...) {
			statuses[s.Name] = s.ImageID
		}
		for _, c := range append(p.Spec.InitContainers, p.Spec.Containers...) {
			name, _, _ := strings.Cut(strings.TrimPrefix(c.Image, registry+"/"), "@")
			if c.Image != images[name] {
				t.Errorf("pod %s container %s runs %q, not an image of the release overlay", p.Metadata.Name, c.Name, c.Image)
				continue
			}
			digest := c.Image[strings.Index(c.Image, "@"):]
			id, ok := statuses[c.Name]
			if !ok || id == "" {
				continue // not started yet (e.g. a pending init container)
			}
			if !strings.HasSuffix(id, digest) {
				t.Errorf("pod %s container %s: the runtime runs %s, the overlay says %s", p.Metadata.Name, c.Name, id, c.Image)
			}
			checked++
		}
	}
	// postgres (+ init), identity, catalog, cart, orders (each + migrate),
	// gateway, web at least
	if checked < 12 {
		t.Errorf("only %d running containers checked", checked)
	}
}

// The registry serves the deployed digests to its account only, over TLS
// checked against its own CA.
func TestRegistryServesTheReleaseToItsAccountOnly(t *testing.T) {
	state := clustertest.State(t)
	registry := os.Getenv("SHIPSHAPE_REGISTRY")
	images := deployedImages(t, state)
	pki := filepath.Join(state, "pki")
	account, err := ociregistry.ClientFromFiles("shipshape-release", filepath.Join(pki, "registry-ca.crt"), filepath.Join(pki, "registry.password"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := account.Digest(ctx, registry+"/shipshape/catalog:dev")
	if err != nil {
		t.Fatal(err)
	}
	if deployed := images["shipshape/catalog"]; !strings.HasSuffix(deployed, "@"+got.String()) {
		t.Errorf("the registry's catalog:dev is %s, deployed is %s", got, deployed)
	}
	anonymous := ociregistry.Client{Roots: account.Roots}
	if _, err := anonymous.Digest(ctx, images["shipshape/catalog"]); err == nil || !strings.Contains(err.Error(), "401 Unauthorized") {
		t.Errorf("an anonymous pull of the release: %v, want 401 Unauthorized", err)
	}
}

// A pod without the pull Secret cannot run the release, not even from the
// node's image cache: the kubelet pulled it with credentials, so it checks
// that a new pod has them too (KubeletEnsureSecretPulledImages, on by
// default since Kubernetes 1.35), and the registry refuses the anonymous
// pull.
func TestReleaseNeedsThePullSecretEvenWhenCached(t *testing.T) {
	images := deployedImages(t, clustertest.State(t))
	const ns = "registry-anonymous"
	manifest := fmt.Sprintf(`{"apiVersion":"v1","kind":"List","items":[
	  {"apiVersion":"v1","kind":"Namespace","metadata":{"name":%q,
	    "annotations":{"shipshape.dev/compliance-exception":"test: a pod that must not start"}}},
	  {"apiVersion":"v1","kind":"Pod","metadata":{"name":"no-credentials","namespace":%q},
	   "spec":{"automountServiceAccountToken":false,"restartPolicy":"Never",
	     "securityContext":{"runAsNonRoot":true,"runAsUser":65532,"seccompProfile":{"type":"RuntimeDefault"}},
	     "containers":[{"name":"catalog","image":%q,"imagePullPolicy":"IfNotPresent",
	       "securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"readOnlyRootFilesystem":true}}]}}]}`,
		ns, ns, images["shipshape/catalog"])
	if out, err := clustertest.KubectlIn("", manifest, "apply", "-f", "-"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = clustertest.KubectlIn("", "", "delete", "namespace", ns, "--wait=false") })

	clustertest.Poll(t, 90*time.Second, time.Second, "the pull without credentials to be refused", func() error {
		var pod struct {
			Status struct {
				ContainerStatuses []struct {
					State struct {
						Waiting struct{ Reason, Message string }
						Running *struct{}
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(clustertest.Kubectl(t, ns, "get", "pod", "no-credentials", "-o", "json")), &pod); err != nil {
			return err
		}
		if len(pod.Status.ContainerStatuses) == 0 {
			return fmt.Errorf("no container status yet")
		}
		s := pod.Status.ContainerStatuses[0].State
		if s.Running != nil {
			t.Fatal("the release's image started in a pod without the pull Secret")
		}
		if (s.Waiting.Reason == "ErrImagePull" || s.Waiting.Reason == "ImagePullBackOff") && strings.Contains(s.Waiting.Message, "401 Unauthorized") {
			return nil
		}
		return fmt.Errorf("waiting: %s %q", s.Waiting.Reason, s.Waiting.Message)
	})
}
