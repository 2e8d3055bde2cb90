package consistency

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/devstack"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// servicePlaces is every place a service is named, as docs/adding-a-service.md
// lists them; TestServicesAgree checks each against devstack.Services, the
// one table of services, and TestAddingAServiceDocNamesEveryPlace that the
// doc names each one.
var servicePlaces = []string{
	"internal/devstack/services.go",
	"api/<name>/v1/",
	"cmd/<name>/main.go",
	"internal/<name>/app/",
	"Makefile",
	"deploy/kubernetes/apps/base/<name>/",
	"gateway/config/settings/<env>/backends.json",
	"scripts/release-images.sh",
	"test/cluster/images.sh",
	"deploy/compose/compose.yaml",
}

// TestServicesAgree: every service of devstack's table exists everywhere a
// service must, with the same name, ports and upstreams.
func TestServicesAgree(t *testing.T) {
	root := repoRoot(t)
	names := make([]string, 0, len(devstack.Services))
	for _, s := range devstack.Services {
		names = append(names, s.Name)
	}
	t.Run("sources", func(t *testing.T) {
		for _, n := range names {
			for _, p := range []string{"api/" + n + "/v1", "cmd/" + n + "/main.go", "internal/" + n + "/app"} {
				if _, err := os.Stat(filepath.Join(root, p)); err != nil {
					t.Errorf("service %s: %v", n, err)
				}
			}
		}
	})
	t.Run("Makefile", func(t *testing.T) {
		m := regexp.MustCompile(`(?m)^SERVICES\s*:=\s*(.*)$`).FindStringSubmatch(readFile(t, filepath.Join(root, "Makefile")))
		if m == nil || !sameSet(strings.Fields(m[1]), names) {
			t.Errorf("Makefile SERVICES = %q, want %v", m, names)
		}
	})
	t.Run("image lists", func(t *testing.T) {
		for file, pattern := range map[string]string{
			"scripts/release-images.sh": `(?m)^for service in (.*); do$`,
			"test/cluster/images.sh":    `(?m)^\s*local cmds=\((.*)\)$`,
		} {
			m := regexp.MustCompile(pattern).FindStringSubmatch(readFile(t, filepath.Join(root, file)))
			if m == nil {
				t.Errorf("%s: no image list matching %s", file, pattern)
				continue
			}
			for _, n := range names {
				if !slices.Contains(strings.Fields(m[1]), n) {
					t.Errorf("%s builds no image for %s (list: %s)", file, n, m[1])
				}
			}
		}
	})
	t.Run("compose", func(t *testing.T) {
		compose := readFile(t, filepath.Join(root, "deploy/compose/compose.yaml"))
		for _, n := range names {
			if !strings.Contains(compose, "\n  "+n+":\n") {
				t.Errorf("deploy/compose/compose.yaml has no service %s", n)
			}
		}
	})
	t.Run("gateway backends", func(t *testing.T) {
		for _, env := range []string{"development", "staging", "production"} {
			var backends map[string]struct{ Host string }
			data := readFile(t, filepath.Join(root, "gateway/config/settings", env, "backends.json"))
			if err := json.Unmarshal([]byte(data), &backends); err != nil {
				t.Fatalf("%s backends.json: %v", env, err)
			}
			for _, s := range devstack.Services {
				want := fmt.Sprintf("http://%s:8080", s.Name) // the Kubernetes Service's REST port
				if env == "development" {
					want = "http://" + s.HTTPAddr() // make run's fixed port
				}
				if got := backends[s.Name].Host; got != want {
					t.Errorf("%s backends.json: %s host = %q, want %q", env, s.Name, got, want)
				}
			}
			if len(backends) != len(names) {
				t.Errorf("%s backends.json has %d backends, devstack %d services", env, len(backends), len(names))
			}
		}
	})
	t.Run("kubernetes", func(t *testing.T) {
		objs := renderProduction(t)
		for _, s := range devstack.Services {
			checkDeployment(t, s, objs)
		}
	})
}

// checkDeployment: the service's Deployment serves the fixed container
// ports and names each upstream devstack gives it, and its Services exist.
func checkDeployment(t *testing.T, s devstack.Service, objs []manifestcheck.Object) {
	t.Helper()
	var dep manifestcheck.Object
	services := map[string]bool{}
	for _, o := range objs {
		switch {
		case o.Str("kind") == "Deployment" && o.Name() == s.Name:
			dep = o
		case o.Str("kind") == "Service":
			services[o.Name()] = true
		}
	}
	if dep == nil {
		t.Errorf("no Deployment %s in the production overlay", s.Name)
		return
	}
	for _, svc := range []string{s.Name, s.Name + "-grpc"} {
		if !services[svc] {
			t.Errorf("no Service %s for %s", svc, s.Name)
		}
	}
	var c manifestcheck.Object
	for _, x := range dep.Containers() {
		if x.Str("name") == s.Name {
			c = x
		}
	}
	if c == nil {
		t.Errorf("%s: no container named %s", dep.ID(), s.Name)
		return
	}
	ports := map[string]int{}
	for _, raw := range c.List("ports") {
		p := manifestcheck.Object(raw.(map[string]any))
		n, _ := p.Int("containerPort")
		ports[p.Str("name")] = n
	}
	for name, want := range map[string]int{"http": 8080, "grpc": 9090, "admin": 9091} {
		if ports[name] != want {
			t.Errorf("%s: port %s = %v, want %v", dep.ID(), name, ports[name], want)
		}
	}
	env := map[string]bool{}
	for _, raw := range c.List("env") {
		env[manifestcheck.Object(raw.(map[string]any)).Str("name")] = true
	}
	for _, raw := range c.List("envFrom") {
		if cm := manifestcheck.Object(raw.(map[string]any)).Str("configMapRef", "name"); cm != "" {
			for _, o := range objs {
				if o.Str("kind") == "ConfigMap" && o.Name() == cm {
					for k := range o.Map("data") {
						env[k] = true
					}
				}
			}
		}
	}
	for _, callee := range s.Calls {
		if v := strings.ToUpper(callee) + "_GRPC_TARGET"; !env[v] {
			t.Errorf("%s calls %s in devstack but its container has no %s", dep.ID(), callee, v)
		}
	}
}

// TestAddingAServiceDocNamesEveryPlace: the how-to lists each place the
// checks above cover.
func TestAddingAServiceDocNamesEveryPlace(t *testing.T) {
	doc := readFile(t, filepath.Join(repoRoot(t), "docs", "adding-a-service.md"))
	for _, p := range servicePlaces {
		if !strings.Contains(doc, "`"+p+"`") {
			t.Errorf("docs/adding-a-service.md does not name `%s`", p)
		}
	}
}

var (
	productionOnce sync.Once
	productionObjs []manifestcheck.Object
	productionErr  error
)

func renderProduction(t *testing.T) []manifestcheck.Object {
	t.Helper()
	productionOnce.Do(func() {
		r, err := manifestcheck.FindRepo(".")
		if err != nil {
			productionErr = err
			return
		}
		tb, err := manifestcheck.NewToolbox(r)
		if err != nil {
			productionErr = err
			return
		}
		y, err := tb.Build(r.Path("deploy", "kubernetes", "apps", "production"))
		if err != nil {
			productionErr = err
			return
		}
		productionObjs, productionErr = manifestcheck.Decode(y)
	})
	if productionErr != nil {
		t.Fatal(productionErr)
	}
	return productionObjs
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
