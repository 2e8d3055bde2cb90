package alerts_test

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/compliance"
)

var complianceName = regexp.MustCompile(`\bshipshape_compliance_[a-z0-9_]+\b`)

// TestComplianceAlertsNameItsMetrics: every shipshape_compliance_* name
// the compliance add-on's rules use is one the reporter exports
// (internal/compliance checks its list against its registry).
func TestComplianceAlertsNameItsMetrics(t *testing.T) {
	rules, err := os.ReadFile(repo(t).Path("deploy", "addons", "compliance-report", "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	used := complianceName.FindAllString(string(rules), -1)
	if len(used) == 0 {
		t.Fatal("the compliance rules name no metric of the reporter")
	}
	for _, name := range used {
		if !slices.Contains(compliance.MetricNames(), name) {
			t.Errorf("rules.yaml uses %s, which the reporter does not export (%v)", name, compliance.MetricNames())
		}
	}
}
