package dbha_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// patronictl runs patronictl on m with m's configuration, as an operator
// does inside the member's pod, and returns its output.
func (m *member) patronictl(t testing.TB, args ...string) string {
	t.Helper()
	out, err := runCommand(context.Background(), procSpec{
		argv: append([]string{m.c.tools.patronictl, "--config-file=" + m.configPath}, args...),
		dir:  m.dir,
		env:  []string{"PATH=/usr/bin:/bin", "HOME=" + m.dir, "LC_ALL=C.UTF-8", "LANG=C.UTF-8"},
		user: &m.c.user,
	}, 2*time.Minute)
	if err != nil {
		t.Fatalf("patronictl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}
