// Command gosec runs gosec's rules and analyzers (github.com/securego/gosec/v2,
// pinned in tools/go.mod) the way `make scan` uses them, without
// gosec's own command: that command's AI autofix pulls in three vendors'
// SDKs, most of a cold build, for a feature the scan never uses. Fixed
// choices: JSON report on stdout, #nosec comments ignored (exceptions live
// in security/accepted-findings.yaml), generated files and tests skipped.
//
// It scans every Go module under the working directory, each loaded with
// one `go list` of the package directories its walk found (gosec's own
// loop runs one per directory: about 120 here, a second each even when
// warm). The first module is the working
// directory's and loads with -goflags added to $GOFLAGS (make scan: -race,
// as make test's vet and go test -race build); modules below it (our tool
// mains) load with $GOFLAGS alone, as their builds use it, so the export
// data `go list` compiles for their dependencies is what those builds
// compile anyway rather than a second, differently built copy.
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
	"golang.org/x/tools/go/packages"
)

type dirs []string

func (d *dirs) String() string     { return strings.Join(*d, ",") }
func (d *dirs) Set(v string) error { *d = append(*d, v); return nil }

func main() {
	var exclude dirs
	flag.Var(&exclude, "exclude-dir", "a directory to skip, relative to the working directory (repeatable)")
	mainFlags := flag.String("goflags", "", "GOFLAGS added for the working directory's module only")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "gosec: no arguments: it scans every module under the working directory")
		os.Exit(2)
	}
	if err := run(exclude, *mainFlags); err != nil {
		fmt.Fprintln(os.Stderr, "gosec:", err)
		os.Exit(1)
	}
}

func run(exclude []string, mainFlags string) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	skip := newSkipper(root, exclude)
	modules, err := findModules(root, skip)
	if err != nil {
		return err
	}
	config := gosec.NewConfig()
	config.SetGlobal(gosec.Nosec, "true")
	a := gosec.NewAnalyzer(config, false, true, false, runtime.NumCPU(), log.New(io.Discard, "", 0))
	a.LoadRules(rules.Generate(false).RulesInfo())
	a.LoadAnalyzers(analyzers.Generate(false).AnalyzersInfo())
	scanned := 0
	for i, m := range modules {
		if len(m.packages) == 0 {
			continue
		}
		env := os.Environ()
		if i == 0 {
			env = append(env, "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" "+mainFlags))
		}
		pkgs, err := packages.Load(&packages.Config{Mode: gosec.LoadMode, Dir: m.dir, Env: env}, m.packages...)
		if err != nil {
			return fmt.Errorf("loading the packages of %s: %w", m.dir, err)
		}
		for _, pkg := range pkgs {
			if len(pkg.GoFiles) == 0 {
				continue // tests only, or every file left out by build constraints
			}
			// A package gosec cannot type-check would be scanned only in
			// part: that is a failure, not a clean result.
			if len(pkg.Errors) > 0 {
				return fmt.Errorf("loading %s: %s", pkg.PkgPath, pkg.Errors[0])
			}
			a.CheckRules(pkg)
			a.CheckAnalyzers(pkg)
			scanned++
		}
	}
	if scanned == 0 {
		return fmt.Errorf("no Go package under %s", root)
	}
	issues, metrics, errs := a.Report()
	return report.CreateReport(os.Stdout, "json", false, []string{root}, gosec.NewReportInfo(issues, metrics, errs))
}
