package alertcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// RunbookBase is how every runbook_url starts: the repository's
// docs/runbooks on its main branch, what an on-call engineer's browser
// opens from a notification.
const RunbookBase = "https://github.com/shipshape-dev/shipshape/blob/main/"

// Severities are the severity labels Alertmanager routes: critical pages
// someone, warning opens a ticket.
var Severities = []string{"critical", "warning"}

// CheckAnnotations lists what an alert lacks: a known severity, a summary,
// and a runbook_url naming a file that exists under root/docs/runbooks.
func CheckAnnotations(root string, r Rule) []error {
	var errs []error
	sev := r.Labels["severity"]
	known := false
	for _, s := range Severities {
		known = known || sev == s
	}
	if !known {
		errs = append(errs, fmt.Errorf("alert %s: severity %q, want one of %v", r.Alert, sev, Severities))
	}
	if strings.TrimSpace(r.Annotations["summary"]) == "" {
		errs = append(errs, fmt.Errorf("alert %s: no summary annotation", r.Alert))
	}
	url := r.Annotations["runbook_url"]
	rel, ok := strings.CutPrefix(url, RunbookBase)
	switch {
	case url == "":
		errs = append(errs, fmt.Errorf("alert %s: no runbook_url annotation", r.Alert))
	case !ok || !strings.HasPrefix(rel, "docs/runbooks/"):
		errs = append(errs, fmt.Errorf("alert %s: runbook_url %q is not under %sdocs/runbooks/", r.Alert, url, RunbookBase))
	default:
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel))); err != nil {
			errs = append(errs, fmt.Errorf("alert %s: runbook_url %q names no file in the repository", r.Alert, url))
		}
	}
	return errs
}
