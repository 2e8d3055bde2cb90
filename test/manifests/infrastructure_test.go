package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"slices"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/dbsnapshot"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// withTestCluster is every overlay and the test cluster's.
var withTestCluster = append(slices.Clone(Overlays), "test-cluster")

// TestAppsAndInfrastructureSeparate: an environment's apps hold only
// objects of the shipshape namespace (and the Namespace itself), its
// infrastructure only cluster-wide objects (docs/adr/0013), so that the
// two can be applied separately, infrastructure first.
func TestAppsAndInfrastructureSeparate(t *testing.T) {
	for _, overlay := range withTestCluster {
		t.Run(overlay, func(t *testing.T) {
			_, apps := render(t, overlay)
			_, infra := renderInfrastructure(t, overlay)
			for _, o := range apps {
				if o.Namespace() == "" && o.Kind() != "Namespace" {
					t.Errorf("apps: %s is cluster-wide: it belongs in infrastructure", o.ID())
				}
			}
			for _, o := range infra {
				if o.Namespace() != "" || o.Kind() == "Namespace" {
					t.Errorf("infrastructure: %s belongs to a namespace: it belongs in the apps", o.ID())
				}
			}
		})
	}
}

// TestInfrastructureHasWhatTheAppsName: every PriorityClass, StorageClass
// and VolumeSnapshotClass an environment's apps name is in its
// infrastructure (development relies on the cluster's default
// StorageClass and names none). The snapshot job's class is its
// configuration's, loaded as dbagent snapshot loads it.
func TestInfrastructureHasWhatTheAppsName(t *testing.T) {
	for _, overlay := range withTestCluster {
		t.Run(overlay, func(t *testing.T) {
			_, apps := render(t, overlay)
			_, infra := renderInfrastructure(t, overlay)
			need := func(kind, name, by string) {
				if name != "" && manifestcheck.Find(infra, kind, name) == nil {
					t.Errorf("%s names %s %s, which the infrastructure lacks", by, kind, name)
				}
			}
			named := 0
			for _, w := range apps {
				tpl := w.PodTemplate()
				if tpl == nil {
					continue
				}
				if name := tpl.Str("spec", "priorityClassName"); name != "" {
					named++
					need("PriorityClass", name, w.ID())
				}
				for _, raw := range w.List("spec", "volumeClaimTemplates") {
					if name := manifestcheck.Object(raw.(map[string]any)).Str("spec", "storageClassName"); name != "" {
						named++
						need("StorageClass", name, w.ID())
					}
				}
				if w.Kind() != "CronJob" || w.Name() != "postgres-snapshot" {
					continue
				}
				env, err := manifestcheck.ContainerEnv(apps, w.Namespace(), w.Containers()[0])
				if err != nil {
					t.Fatal(err)
				}
				env["KUBERNETES_SERVICE_HOST"] = "10.0.0.1" // set by the kubelet
				var cfg dbsnapshot.Config
				if err := config.LoadFrom(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, &cfg); err != nil {
					t.Fatalf("%s: %v", w.ID(), err)
				}
				named++
				need("VolumeSnapshotClass", cfg.Class, w.ID())
			}
			if overlay != "development" && named == 0 {
				t.Error("the apps name no class of the infrastructure: the test checks nothing")
			}
		})
	}
}
