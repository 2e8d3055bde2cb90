package scan

import "github.com/shipshape-dev/shipshape/internal/manifestcheck"

// The scanners, built once per pinned version into the cache.
var (
	Govulncheck = manifestcheck.Tool{Name: "govulncheck", Package: "golang.org/x/vuln/cmd/govulncheck",
		Module: "golang.org/x/vuln"}
	// Indexdb turns the OSV files of the pinned golang.org/x/vulndb module
	// into the database govulncheck reads; the same pin dates the data.
	Indexdb = manifestcheck.Tool{Name: "indexdb", Package: "golang.org/x/vulndb/cmd/indexdb",
		Module: "golang.org/x/vulndb"}
	// Gosec is our own small main around gosec's rules and analyzers
	// (tools/scan/gosec): gosec's command would add its AI autofix SDKs.
	Gosec = manifestcheck.Tool{Name: "gosec", Package: "./scan/gosec",
		Module: "github.com/securego/gosec/v2"}
	Gitleaks = manifestcheck.Tool{Name: "gitleaks", Package: "github.com/zricethezav/gitleaks/v8",
		Module: "github.com/zricethezav/gitleaks/v8"}
	Actionlint = manifestcheck.Tool{Name: "actionlint", Package: "github.com/rhysd/actionlint/cmd/actionlint",
		Module: "github.com/rhysd/actionlint"}
)
