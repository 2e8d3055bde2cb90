package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"os/exec"
	"strings"
	"testing"
)

func TestToolVersions(t *testing.T) {
	tb := box(t)
	for _, tool := range []manifestcheck.Tool{manifestcheck.Kustomize, manifestcheck.Kubeconform, manifestcheck.Regocheck, manifestcheck.KubeScore} {
		v, err := tb.ToolVersion(tool)
		if err != nil || !strings.HasPrefix(v, "v") {
			t.Errorf("%s: version %q, %v", tool.Name, v, err)
		}
	}
	if _, err := tb.ToolVersion(manifestcheck.Tool{Name: "nothing", Module: "example.com/not/pinned"}); err == nil {
		t.Error("a module tools/go.mod does not pin must be an error")
	}
}

// TestScriptsParse: the manifests' shell scripts are valid POSIX sh.
func TestScriptsParse(t *testing.T) {
	tb := box(t)
	for _, script := range []string{"scripts/dev-secrets.sh", "scripts/render-gateway-config.sh", "scripts/release-images.sh"} {
		if out, err := exec.Command("sh", "-n", tb.Path(strings.Split(script, "/")...)).CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", script, err, out)
		}
	}
}
