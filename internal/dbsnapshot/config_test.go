package dbsnapshot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
)

func loadConfig(env map[string]string) (Config, error) {
	var c Config
	err := config.LoadFrom(config.FromMap(env), &c)
	return c, err
}

func TestConfigDefaults(t *testing.T) {
	c, err := loadConfig(map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		LeaderSelector: "app.kubernetes.io/name=postgres,shipshape.dev/postgres-role=master",
		ClaimTemplate:  "data",
		Class:          "shipshape-database",
		Keep:           7,
		Timeout:        2 * time.Minute,
		API:            kubeapi.Config{ServiceHost: "10.0.0.1", ServicePort: "443"},
	}
	if c != want {
		t.Fatalf("got  %+v\nwant %+v", c, want)
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	for _, tc := range []struct {
		env      map[string]string
		variable string
	}{
		{map[string]string{"SNAPSHOT_KEEP": "0"}, "SNAPSHOT_KEEP"},
		{map[string]string{"SNAPSHOT_KEEP": "-2"}, "SNAPSHOT_KEEP"},
		{map[string]string{"SNAPSHOT_KEEP": "seven"}, "SNAPSHOT_KEEP"},
		{map[string]string{"SNAPSHOT_TIMEOUT": "0s"}, "SNAPSHOT_TIMEOUT"},
		{map[string]string{"SNAPSHOT_TIMEOUT": "soon"}, "SNAPSHOT_TIMEOUT"},
		{map[string]string{"KUBERNETES_SERVICE_HOST": ""}, "KUBERNETES_SERVICE_HOST"},
	} {
		if _, ok := tc.env["KUBERNETES_SERVICE_HOST"]; !ok {
			tc.env["KUBERNETES_SERVICE_HOST"] = "10.0.0.1"
		}
		_, err := loadConfig(tc.env)
		if err == nil || !strings.Contains(err.Error(), "config: "+tc.variable+":") {
			t.Errorf("%v: error %v, want one naming %s", tc.env, err, tc.variable)
		}
	}
}

func TestNamespace(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "namespace")
	if err := os.WriteFile(file, []byte("shop\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ns, err := (Config{NamespaceFile: file}).namespace(); err != nil || ns != "shop" {
		t.Errorf("from file: %q, %v", ns, err)
	}
	if ns, err := (Config{Namespace: "db", NamespaceFile: file}).namespace(); err != nil || ns != "db" {
		t.Errorf("configured: %q, %v", ns, err)
	}
	_, err := (Config{NamespaceFile: filepath.Join(dir, "missing")}).namespace()
	if err == nil || !strings.Contains(err.Error(), "SNAPSHOT_NAMESPACE") {
		t.Errorf("missing file: %v", err)
	}
}
