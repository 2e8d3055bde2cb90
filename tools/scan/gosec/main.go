// Command gosec runs gosec's rules and analyzers (github.com/securego/gosec/v2,
// pinned in tools/scan/go.mod) the way `make scan` uses them, without
// gosec's own command: that command's AI autofix pulls in three vendors'
// SDKs, most of a cold build, for a feature the scan never uses. Fixed
// choices: JSON report on stdout, #nosec comments ignored (exceptions live
// in security/accepted-findings.yaml), generated files and tests skipped.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"strings"

	"github.com/securego/gosec/v2"
	"github.com/securego/gosec/v2/analyzers"
	"github.com/securego/gosec/v2/report"
	"github.com/securego/gosec/v2/rules"
)

type dirs []string

func (d *dirs) String() string     { return strings.Join(*d, ",") }
func (d *dirs) Set(v string) error { *d = append(*d, v); return nil }

func main() {
	var exclude dirs
	flag.Var(&exclude, "exclude-dir", "a directory to skip (repeatable)")
	flag.Parse()
	if err := run(exclude, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "gosec:", err)
		os.Exit(1)
	}
}

func run(exclude, paths []string) error {
	config := gosec.NewConfig()
	config.SetGlobal(gosec.Nosec, "true")
	a := gosec.NewAnalyzer(config, false, true, false, runtime.NumCPU(), log.New(io.Discard, "", 0))
	a.LoadRules(rules.Generate(false).RulesInfo())
	a.LoadAnalyzers(analyzers.Generate(false).AnalyzersInfo())
	var pkgs, roots []string
	for _, p := range paths {
		found, err := gosec.PackagePaths(p, gosec.ExcludedDirsRegExp(exclude))
		if err != nil {
			return err
		}
		pkgs = append(pkgs, found...)
		root, err := gosec.RootPath(p)
		if err != nil {
			return err
		}
		roots = append(roots, root)
	}
	if len(pkgs) == 0 {
		return fmt.Errorf("no package in %v", paths)
	}
	if err := a.Process(nil, pkgs...); err != nil {
		return err
	}
	issues, metrics, errs := a.Report()
	return report.CreateReport(os.Stdout, "json", false, roots, gosec.NewReportInfo(issues, metrics, errs))
}
