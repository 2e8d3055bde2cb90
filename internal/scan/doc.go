// Package scan runs the offline security scanners of `make scan`
// (govulncheck, gosec, gitleaks, trivy config, actionlint), turns each
// tool's report into findings that name what was found and where, and
// holds them against the one reviewed list of accepted findings
// (security/accepted-findings.yaml). The tools are pinned in tools/go.mod
// and built once per version into the cache, like the manifest tools.
package scan
