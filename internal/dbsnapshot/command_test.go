package dbsnapshot

import (
	"context"
	"strings"
	"testing"
)

func TestCommandRefusesArguments(t *testing.T) {
	c := Command()
	if c.Name != "snapshot" || c.Usage == "" {
		t.Fatalf("command %q, usage %q", c.Name, c.Usage)
	}
	if err := c.Run(context.Background(), []string{"--keep=3"}); err == nil || !strings.Contains(err.Error(), "--keep=3") {
		t.Fatalf("error %v", err)
	}
}

func TestCommandReportsConfigByVariable(t *testing.T) {
	t.Setenv("KUBERNETES_SERVICE_HOST", "") // empty counts as unset
	t.Setenv("SNAPSHOT_KEEP", "0")
	err := Command().Run(context.Background(), nil)
	for _, v := range []string{"SNAPSHOT_KEEP", "KUBERNETES_SERVICE_HOST"} {
		if err == nil || !strings.Contains(err.Error(), "config: "+v+":") {
			t.Errorf("error %v does not name %s", err, v)
		}
	}
}
